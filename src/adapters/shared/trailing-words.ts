/**
 * Words a user ends a line with that are not part of the question: `public` (Slack: answer in the channel) and
 * `csv` (attach the figures as a file), in either order. One reading for every adapter.
 */
import { parseCommandLine } from '../../core/request.js';

/** The commands whose answers state figures a file can carry. */
export const CSV_COMMANDS: ReadonlySet<string> = new Set(['sales', 'compare', 'digest']);

/** `text` without the trailing `words` (each at most once, any order, any case), and which were there. */
export function takeTrailingWords<W extends string>(text: string, words: readonly W[]): { text: string; found: Set<W> } {
  const found = new Set<W>();
  let rest = text.trim();
  for (;;) {
    const m = rest.match(/^(.*?)(?:^|\s+)(\S+)$/s);
    const word = m ? (m[2]!.toLowerCase() as W) : undefined;
    if (!m || word === undefined || !words.includes(word) || found.has(word)) return { text: rest, found };
    found.add(word);
    rest = m[1]!.trim();
  }
}

/** The trailing words a command takes: `public` always, `csv` where its answer states figures. */
export function commandWords(name: string): readonly ('public' | 'csv')[] {
  return CSV_COMMANDS.has(name.toLowerCase()) ? ['public', 'csv'] : ['public'];
}

/**
 * A typed line ("/sales xiaomi may csv public", a question) without the words that only ask for a way of answering.
 * A line that is nothing but such a word is left as typed, to be answered as text.
 */
export function splitLineWords(line: string): { line: string; public: boolean; csv: boolean } {
  const command = parseCommandLine(line);
  const { text, found } = takeTrailingWords(line, command ? commandWords(command.name) : ['public']);
  if (!text) return { line, public: false, csv: false };
  return { line: text, public: found.has('public'), csv: found.has('csv') };
}
