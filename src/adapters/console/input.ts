/** What a terminal line means before the core reads it: a word that ends the session, or text with words that only mean something on another platform removed. */

/** Typed alone (any case, with or without a leading `/` or a trailing `.`/`!`), each of these ends the console. */
export const QUIT_WORDS = ['quit', 'exit', 'bye', 'q'] as const;

export function isQuit(line: string): boolean {
  const word = line.trim().toLowerCase().replace(/^\//, '').replace(/[.!]+$/, '');
  return (QUIT_WORDS as readonly string[]).includes(word);
}

/**
 * Drops a trailing `public`: in Slack it posts the answer in the channel; in a terminal or a script there is no
 * channel, so the word means nothing and must not be read as a name ("/sales xiaomi april public").
 */
export function dropPlatformWords(line: string): string {
  const m = line.match(/^(.*\S)\s+public\s*$/is);
  return m ? m[1]! : line;
}
