/** What a terminal line means before the core reads it: a word that ends the session, or text with words that only mean something on another platform removed. */
import { splitLineWords } from '../shared/trailing-words.js';

/** Typed alone (any case, with or without a leading `/` or a trailing `.`/`!`), each of these ends the console. */
export const QUIT_WORDS = ['quit', 'exit', 'bye', 'q'] as const;

export function isQuit(line: string): boolean {
  const word = line.trim().toLowerCase().replace(/^\//, '').replace(/[.!]+$/, '');
  return (QUIT_WORDS as readonly string[]).includes(word);
}

/**
 * A terminal line without its trailing words: `csv` writes the figures to a file; `public` (Slack: post in the
 * channel) means nothing where there is no channel, and must not be read as a name ("/sales xiaomi april public").
 */
export function readTerminalLine(typed: string): { line: string; csv: boolean } {
  const { line, csv } = splitLineWords(typed);
  return { line, csv };
}
