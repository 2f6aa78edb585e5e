/**
 * `npm run ask -- "/sales xiaomi april"`: one answer as plain text.
 * `--json "<text>"`: the reply document as JSON with a `text` field; `--json` alone: one query a line from stdin.
 */
import { createInterface } from 'node:readline';
import { dropPlatformWords } from '../adapters/console/input.js';
import { parseArgs } from 'node:util';
import { createApp, exitOnStartupError } from '../app.js';
import { loadConfig } from '../config.js';
import type { Bot } from '../core/bot.js';
import { renderText } from '../core/render-text.js';
import { createLogger } from '../log.js';

function answer(bot: Bot, query: string, json: boolean): string {
  // A trailing `public` (Slack: post in the channel) means nothing here: dropped, not read as a name.
  const reply = bot.handleLine(dropPlatformWords(query), { platform: 'cli', user: 'cli' });
  const text = renderText(reply);
  return json ? JSON.stringify({ ...reply, text }) : text;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { json: { type: 'boolean', default: false } }, allowPositionals: true });
  const config = loadConfig();
  const { bot } = await createApp(config, createLogger(config.LOG_LEVEL ?? 'warn'));
  const query = positionals.join(' ').trim();
  if (query) {
    process.stdout.write(`${answer(bot, query, values.json)}\n`);
    return;
  }
  if (!values.json) {
    process.stderr.write('Usage: npm run ask -- "/sales xiaomi april"   (or --json, with queries one a line on stdin)\n');
    process.exitCode = 64;
    return;
  }
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim()) process.stdout.write(`${answer(bot, line, true)}\n`);
  }
}

main().catch(exitOnStartupError);
