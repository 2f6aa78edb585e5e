/**
 * Reads a cleaned question into what the interpreter decides on: the names the dataset knows
 * (exact aliases over word n-grams first, then careful typo matching), the intent words, and the
 * leftover words that might be a name we do not know.
 */
import type { DatasetIndex, Entity } from '../data/index.js';
import { normalizeName } from '../data/normalize.js';
import { editDistance } from '../data/names/edit-distance.js';
import { isOrdinaryWord } from './ordinary-words.js';
import { BREAK, monthTypo } from './periods.js';
import { INTENTS, type Intent, type Meaning, type Social, typoTolerantWords, vocabulary } from './vocabulary.js';

interface Token {
  text: string;
  han: boolean;
  /** Set once a pass has read the token. */
  used?: 'entity' | 'word' | 'break';
}

export interface Scan {
  /** Names found, in the order they appear, each once, with the words that named them. */
  entities: Entity[];
  typed: Map<string, string>;
  scores: Record<Intent, number>;
  social: Set<Social>;
  /** Runs of name-like words nothing recognised, e.g. "tesla", "yu7": names the data does not have. */
  unknown: string[];
  /** Every run of unread words, name-like or not: a keyword for an event search. */
  leftover: string[];
  /** Month names typed with a typo ("aprl" → 4), in the order written. */
  typoMonths: number[];
  /** Numbers of four or more digits ("44,454"): a figure asked about. */
  numbers: number[];
  /** The question had at least one word. */
  words: number;
}

/** Questions longer than this many tokens are read only this far. */
const MAX_TOKENS = 160;
/** Typo look-ups per question: a real question has a handful of unknown words, not dozens. */
const MAX_TYPO_LOOKUPS = 12;
/** No alias is longer than this many tokens. */
const MAX_NGRAM = 12;
const HAN = /\p{Script=Han}/u;

/** Words and digit runs; every Han character is a token of its own, as Chinese has no spaces. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(new RegExp(`${BREAK}|[\\p{L}\\p{N}\\p{M}]+`, 'gu'))) {
    if (m[0] === BREAK) {
      out.push({ text: BREAK, han: false, used: 'break' });
      continue;
    }
    for (const part of m[0].match(/\p{Script=Han}|[^\p{Script=Han}]+/gu) ?? []) out.push({ text: part, han: HAN.test(part) });
    if (out.length >= MAX_TOKENS) break;
  }
  return out.slice(0, MAX_TOKENS);
}

interface Lexicon {
  /** First token → phrases starting with it, longest first. */
  phrases: Map<string, { tokens: string[]; meaning: Meaning }[]>;
  typos: [string, Intent][];
}

let lexicon: Lexicon | undefined;
function getLexicon(): Lexicon {
  if (lexicon) return lexicon;
  const phrases = new Map<string, { tokens: string[]; meaning: Meaning }[]>();
  const seen = new Set<string>();
  for (const [phrase, meaning] of vocabulary()) {
    const tokens = tokenize(phrase.normalize('NFKC').toLowerCase()).map((t) => t.text);
    const key = tokens.join(' ');
    // The first meaning listed wins: intent words are listed before stop words.
    if (tokens.length === 0 || seen.has(key)) continue;
    seen.add(key);
    const list = phrases.get(tokens[0]!) ?? [];
    list.push({ tokens, meaning });
    phrases.set(tokens[0]!, list);
  }
  for (const list of phrases.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);
  lexicon = { phrases, typos: typoTolerantWords() };
  return lexicon;
}

/** The longest alias of this dataset, in tokens: how far the n-gram scan must look. */
const longestAlias = new WeakMap<DatasetIndex, number>();
function maxNgram(data: DatasetIndex): number {
  let n = longestAlias.get(data);
  if (n === undefined) {
    n = 1;
    for (const e of data.entities.values()) {
      for (const alias of [e.name, ...e.aliases]) n = Math.max(n, tokenize(alias.normalize('NFKC').toLowerCase()).length);
    }
    n = Math.min(n, MAX_NGRAM);
    longestAlias.set(data, n);
  }
  return n;
}

/** Joins tokens back: a space between two words, none next to a Han character. */
function join(tokens: readonly Token[]): string {
  return tokens.reduce((s, t, i) => (i > 0 && !t.han && !tokens[i - 1]!.han ? `${s} ${t.text}` : s + t.text), '');
}

/**
 * A typo is accepted only when it is at least five letters and within one edit (two for long names)
 * of one of the entity's own names: close enough that it cannot be an ordinary word by accident.
 */
function typoMatch(data: DatasetIndex, text: string): Entity | undefined {
  const key = normalizeName(text);
  if (key.length < 5 || /^\d+$/.test(key)) return undefined;
  const r = data.resolve(key);
  if (r.kind !== 'found' || r.via !== 'fuzzy') return undefined;
  const budget = key.length >= 8 ? 2 : 1;
  const close = [r.value.name, ...r.value.aliases].some((a) => editDistance(key, normalizeName(a)) <= budget);
  return close ? r.value : undefined;
}

export interface ScanOptions {
  /** Words written with a capital in the original text (not first in it): names even when ordinary ("Ford"). */
  capitalized?: ReadonlySet<string>;
}

/**
 * Whether an unread word may be a name the data does not have: not an ordinary English word (unless written
 * with a capital mid-sentence), letters with digits ("yu7"), or two or more Chinese characters.
 */
function nameLike(run: readonly Token[], capitalized: ReadonlySet<string>): boolean {
  if (run.some((t) => t.han)) return run.filter((t) => t.han).length >= 2;
  return run.some((t) => (/\p{L}/u.test(t.text) && /\p{N}/u.test(t.text) && t.text.length >= 2)
    || (t.text.length >= 2 && /^\p{L}+$/u.test(t.text) && (capitalized.has(t.text) || !isOrdinaryWord(t.text))));
}

export function scan(text: string, data: DatasetIndex, { capitalized = new Set() }: ScanOptions = {}): Scan {
  const tokens = tokenize(text);
  const { phrases, typos } = getLexicon();
  const scores = Object.fromEntries(INTENTS.map((i) => [i, 0])) as Record<Intent, number>;
  const social = new Set<Social>();
  const found: { at: number; entity: Entity; typed: string }[] = [];
  const typoMonths: number[] = [];
  const free = (from: number, n: number) => tokens.slice(from, from + n).every((t) => !t.used) && from + n <= tokens.length;
  const mark = (from: number, n: number, used: Token['used']) => tokens.slice(from, from + n).forEach((t) => (t.used = used));

  // 1. Names the dataset knows exactly, longest n-gram first ("xiaomi su7" before "xiaomi").
  const longest = maxNgram(data);
  for (let i = 0; i < tokens.length; i++) {
    for (let n = Math.min(longest, tokens.length - i); n >= 1; n--) {
      if (!free(i, n)) continue;
      const words = join(tokens.slice(i, i + n));
      const entity = data.lookupExact(words);
      if (entity) {
        found.push({ at: i, entity, typed: words });
        mark(i, n, 'entity');
        i += n - 1;
        break;
      }
    }
  }

  // 2. Intent, social and stop words, longest phrase first.
  const apply = (meaning: Meaning) => {
    if ('intent' in meaning) scores[meaning.intent] += meaning.weight;
    else if ('social' in meaning) social.add(meaning.social);
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.used) continue;
    const match = phrases.get(t.text)?.find((p) => free(i, p.tokens.length) && p.tokens.every((w, k) => tokens[i + k]!.text === w));
    if (!match) continue;
    apply(match.meaning);
    mark(i, match.tokens.length, 'word');
    i += match.tokens.length - 1;
  }

  // 3. Typos, on what is left: an intent word ("slaes"), else a name ("xiomi", "hauwei").
  const latin = (t: Token | undefined) => t !== undefined && !t.used && !t.han;
  // Fuzzy look-ups are the costly part: a bounded number per question, each text once.
  const tried = new Map<string, Entity | undefined>();
  const typo = (text: string) => {
    if (!tried.has(text) && tried.size < MAX_TYPO_LOOKUPS) tried.set(text, typoMatch(data, text));
    return tried.get(text);
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (latin(t) && latin(next)) {
      // A two-word name with a typo: "richrd yu".
      const pair = typo(`${t.text} ${next!.text}`);
      if (pair) {
        found.push({ at: i, entity: pair, typed: `${t.text} ${next!.text}` });
        t.used = next!.used = 'entity';
        continue;
      }
    }
    if (!latin(t)) continue;
    const monthNumber = isOrdinaryWord(t.text) ? undefined : monthTypo(t.text, editDistance);
    if (monthNumber) {
      typoMonths.push(monthNumber);
      t.used = 'word';
      continue;
    }
    if (t.text.length < 5) continue;
    const word = typos.find(([w]) => Math.abs(w.length - t.text.length) <= 1 && editDistance(w, t.text) <= 1);
    if (word) {
      apply({ intent: word[1], weight: 2 });
      t.used = 'word';
      continue;
    }
    const entity = typo(t.text);
    if (entity) {
      found.push({ at: i, entity, typed: t.text });
      t.used = 'entity';
    }
  }

  // 4. Runs of unread words: candidates for a name we do not know. Bare numbers are not names.
  const unknown: string[] = [];
  const leftover: string[] = [];
  const numbers: number[] = [];
  let run: Token[] = [];
  const flush = () => {
    const words = run.filter((t) => !/^\p{N}+$/u.test(t.text));
    if (words.length > 0) {
      leftover.push(join(words));
      if (nameLike(words, capitalized)) unknown.push(join(words));
    }
    run = [];
  };
  for (const t of tokens) {
    if (t.used) flush();
    else run.push(t);
  }
  flush();

  const named = new Set(found.map((f) => f.typed));
  // Chinese runs straight into a number ("44454这个数据"), so only Latin letters glued to digits make a code ("yu7").
  for (const m of text.matchAll(/(?<![\p{Script=Latin}\p{N}.])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\p{Script=Latin}\p{N}.])\d{4,}(?![\p{Script=Latin}\d])/gu)) {
    if (!named.has(m[0])) numbers.push(Number(m[0].replace(/,/g, '')));
  }
  const sorted = found.sort((a, b) => a.at - b.at);
  const entities = [...new Map(sorted.map((f) => [f.entity.id, f.entity])).values()];
  const typed = new Map<string, string>();
  for (const f of sorted) if (!typed.has(f.entity.id)) typed.set(f.entity.id, f.typed);
  return { entities, typed, scores, social, unknown, leftover, typoMonths, numbers, words: tokens.filter((t) => t.used !== 'break').length };
}
