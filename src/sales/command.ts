/**
 * A sales command: declared once (name, options, examples, the asks it serves), answered through the shared
 * path — read the text or options, classify within the asks it serves, evaluate.
 */
import type { DatasetIndex } from '../data/index.js';
import { didYouMean } from './names.js';
import { defineCommand, usage, type CommandDefinition, type CommandInput, type OptionsSchema } from '../core/command.js';
import type { Reply } from '../core/reply.js';
import { classify } from './classify.js';
import { evaluate } from './evaluate.js';
import type { Ask, Query } from './query.js';
import { readOptions, readText, type Reading } from './read.js';

/** The sales domain's dataset is what every command answers from (the kernel's `Register`). */
declare module '../core/command.js' {
  interface Register {
    dataset: DatasetIndex;
  }
}

export interface SalesCommandOptions<S extends OptionsSchema> {
  name: string;
  description: string;
  options: S;
  examples: readonly string[];
  serves: readonly Ask[];
  /** The ask when the text points nowhere else among those served. */
  fallback: Ask;
  /** Names the command needs: unread words are then looked up leniently (typos), or named as unknown. */
  names?: number;
}

/**
 * In a command every unread word is meant: a run the strict scan did not know is looked up with the index's
 * fuzzy search ("luxed"), and one it cannot find is named as unknown rather than ignored.
 */
function lookUpLeftovers(reading: Reading, data: DatasetIndex, wanted: number, example: string): Reply | undefined {
  if (reading.subjects.length >= wanted) return undefined;
  for (const words of reading.leftover) {
    if (reading.unknown.includes(words) || reading.subjects.length >= wanted) continue;
    const found = data.resolve(words);
    if (found.kind === 'ambiguous') return didYouMean(words, found.candidates, example);
    if (found.kind === 'unknown') reading.unknown.push(words);
    else if (!reading.subjects.some((e) => e.id === found.value.id)) {
      reading.subjects.push(found.value);
      reading.typed.set(found.value.id, words);
    }
  }
  return undefined;
}

/** Reads a command's input into the Query it answers, or the reply that says what is missing. */
function commandQuery<S extends OptionsSchema>(def: SalesCommandOptions<S> & { usage: string }, input: CommandInput<S>, data: DatasetIndex): Query | Reply {
  const reading = 'text' in input
    ? readText(input.text, data, { command: true })
    : readOptions(Object.values(input.options as Record<string, string | undefined>).filter((v): v is string => typeof v === 'string' && v !== ''), data);
  const wanted = def.names ?? 0;
  const example = `/${def.name} ${def.examples.find(Boolean) ?? ''}`.trim();
  const ambiguous = lookUpLeftovers(reading, data, wanted, example);
  if (ambiguous) return ambiguous;
  // Text that named nothing we know ("<!channel>", "<@U123> &", "tesla") is named as typed, whole, not in pieces.
  const typed = 'text' in input ? input.text.trim() : '';
  if (reading.subjects.length === 0 && wanted > 0 && reading.months.length === 0 && !reading.span && reading.unreadable.length === 0 && typed !== '') {
    reading.unknown.splice(0, reading.unknown.length, typed);
  }
  if (reading.subjects.length < wanted && reading.unknown.length === 0 && reading.unreadable.length === 0) {
    const missing = wanted - reading.subjects.length;
    return usage(def, [`Missing: ${missing === 1 && wanted === 1 ? 'a name' : `${missing} more name${missing === 1 ? '' : 's'}`}.`]);
  }
  return classify(reading, data, { serves: def.serves, fallback: def.fallback })!;
}

export function salesCommand<S extends OptionsSchema>(def: SalesCommandOptions<S>): CommandDefinition<S> {
  const command: CommandDefinition<S> = defineCommand({
    name: def.name,
    description: def.description,
    options: def.options,
    examples: def.examples,
    serves: def.serves,
    run(input, { data }) {
      const q = commandQuery({ ...def, usage: command.usage }, input, data);
      return 'kind' in q ? q : evaluate(data, q);
    },
  });
  return command;
}
