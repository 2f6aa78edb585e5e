import { z } from 'zod';
import { quote } from '../src/core/request.js';
import { defineCommand, optionSpecs } from '../src/core/command.js';
import { answer, notice } from '../src/core/reply.js';

const example = (name: string, args: string) => `/${name}${args ? ` ${args}` : ''}`;

export const help = defineCommand({
  name: 'help',
  description: 'What the bot can answer, with an example for each command',
  options: z.object({
    command: z.string().trim().max(40).optional().meta({ description: 'A command to explain, e.g. sales', completion: 'command' }),
  }),
  examples: ['', 'sales'],
  serves: ['help'],
  run(input, { commands }) {
    const command = 'text' in input ? input.text.trim() || undefined : input.options.command;
    if (!command) {
      const rows = commands.map((c) => [`/${c.name} ${c.usage}`.trim(), c.description, example(c.name, c.examples.find(Boolean) ?? '')]);
      return answer('What I can answer', [
        { type: 'table', columns: ['Command', 'What it does', 'Example'], rows },
        { type: 'text', lines: ['You can also just ask, e.g. "who sold more in May?"'] },
      ], [], ['/sales xiaomi april', '/help sales']);
    }
    const wanted = command.replace(/^\//, '').toLowerCase();
    const found = commands.find((c) => c.name === wanted);
    if (!found) {
      return notice(`There is no command ${quote(command)}`, [`Commands: ${commands.map((c) => `/${c.name}`).join(', ')}.`], ['/help']);
    }
    const options = optionSpecs(found).map((o) => `${o.name}${o.required ? '' : ' (optional)'}: ${o.description}`);
    return answer(`/${found.name} ${found.usage}`.trim(), [
      { type: 'text', lines: [found.description] },
      { type: 'text', lines: ['Options:', ...options] },
      { type: 'text', lines: ['Examples:', ...found.examples.map((e) => example(found.name, e))] },
    ], [], found.examples.slice(0, 2).map((e) => example(found.name, e)));
  },
});
