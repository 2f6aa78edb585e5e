/**
 * Reads text (a question, the text after a slash command, or one option's value) into what the classifier
 * decides on: the names the dataset knows, the periods, the cue words, and what was not recognised.
 * Commands and questions share this one reader, so a name or a month is resolved in one place only.
 */
import type { DatasetIndex, Entity } from '../data/index.js';
import type { YearMonth } from '../data/schema.js';
import { parseMonth } from './months.js';
import { stripNoise } from '../core/noise.js';
import { MAX_INPUT } from '../core/request.js';
import { findPeriods, type Span } from './periods.js';
import { scan } from './scan.js';
import { toSimplified } from './simplified.js';
import { INTENTS, type Intent, type Social } from './vocabulary.js';

export interface Reading {
  subjects: Entity[];
  /** What the user typed for each subject, by id ("xiomi" for Xiaomi). */
  typed: Map<string, string>;
  months: YearMonth[];
  span?: Span;
  relative?: 'month' | 'year';
  unreadable: string[];
  /** Name-like words the data does not have. */
  unknown: string[];
  /** Every run of words nothing read (ordinary words included). */
  leftover: string[];
  numbers: number[];
  /** A source named in the text ("CPCA"). */
  source?: string;
  cues: Record<Intent, number>;
  social: Set<Social>;
  words: number;
}

const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Words with a capital that do not open the text or a sentence: "is Ford a partner" keeps "ford" as a name. */
function capitalizedWords(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/(?<![.!?]\s*|^\s*)(?<=\s)\p{Lu}[\p{L}\p{N}]+/gu)) out.add(m[0].toLowerCase());
  return out;
}

/** A source's short names: its id, and an acronym the publisher gives in parentheses ("CPCA"). */
function sourceNamed(data: DatasetIndex, words: string): string | undefined {
  const w = words.toLowerCase().trim();
  for (const s of data.sources.values()) {
    const acronym = s.publisher.match(/\(([^)]+)\)/)?.[1]?.toLowerCase();
    if (w === s.id || w === acronym || w === s.publisher.toLowerCase() || s.aliases?.some((a) => a.toLowerCase() === w)) return s.id;
  }
  return undefined;
}

export interface ReadOptions {
  /** The text follows a slash command: a bare month number (1–12) reads as a month, and unread words may be names. */
  command?: boolean;
}

const emptyCues = (): Record<Intent, number> => Object.fromEntries(INTENTS.map((i) => [i, 0])) as Record<Intent, number>;

/**
 * The common command shape — one exact name, perhaps a month after it ("xiaomi april", "hima 2025-05") —
 * read with two map look-ups and no scan. Anything else takes the full reader.
 */
function readExact(text: string, data: DatasetIndex): Reading | undefined {
  const words = text.trim().split(/\s+/);
  for (const n of [0, 1, 2]) {
    if (words.length <= n) break;
    const month = n === 0 ? undefined : parseMonth(words.slice(-n).join(' '), data.months);
    if (month && !month.ok) continue;
    const name = words.slice(0, words.length - n).join(' ');
    const entity = data.lookupExact(name);
    if (!entity) continue;
    return {
      subjects: [entity], typed: new Map([[entity.id, name]]), months: month?.ok ? [month.month] : [], unreadable: [], unknown: [],
      leftover: [], numbers: [], cues: emptyCues(), social: new Set(), words: words.length,
    };
  }
  return undefined;
}

export function readText(input: string, data: DatasetIndex, options: ReadOptions = {}): Reading {
  const reading = readAs(input, data, options);
  // Traditional Chinese ("華為5月銷量"): read again in Simplified, kept unless it leaves more unknown than before.
  if (reading.unknown.some((u) => /\p{Script=Han}/u.test(u))) {
    const simplified = toSimplified(input);
    if (simplified !== input) {
      const again = readAs(simplified, data, options);
      if (again.unknown.length <= reading.unknown.length) return again;
    }
  }
  return reading;
}

function readAs(input: string, data: DatasetIndex, { command = false }: ReadOptions): Reading {
  const exact = command ? readExact(input, data) : undefined;
  if (exact) return exact;
  const raw = stripNoise(input.slice(0, MAX_INPUT)).normalize('NFKC');
  const periods = findPeriods(raw.toLowerCase(), data);
  const s = scan(periods.text, data, { capitalized: capitalizedWords(raw) });
  const months = [...periods.months];
  for (const n of s.typoMonths) {
    const parsed = parseMonth(MONTH_NAMES[n - 1]!, data.months);
    if (parsed.ok && !months.includes(parsed.month)) months.push(parsed.month);
  }
  if (command && months.length === 0 && !periods.span) {
    const bare = periods.text.match(/(?:^|\s)(1[0-2]|[1-9])(?=\s|$)/);
    const parsed = bare ? parseMonth(`${bare[1]}月`, data.months) : undefined;
    if (parsed?.ok) months.push(parsed.month);
  }
  let source: string | undefined;
  const unknown = s.unknown.filter((u) => {
    const id = sourceNamed(data, u);
    if (id) source ??= id;
    return !id;
  });
  for (const l of s.leftover) source ??= sourceNamed(data, l);
  return {
    subjects: s.entities, typed: s.typed, months, unreadable: periods.unreadable, unknown, leftover: s.leftover,
    numbers: s.numbers, cues: s.scores, social: s.social, words: s.words,
    ...(periods.span ? { span: periods.span } : {}),
    ...(periods.relative ? { relative: periods.relative } : {}),
    ...(source ? { source } : {}),
  };
}

/** Platform options (Discord's typed fields) read one by one and merged in declaration order. */
export function readOptions(values: readonly string[], data: DatasetIndex): Reading {
  const readings = values.map((v) => readText(v, data, { command: true }));
  const merged = readText('', data, { command: true });
  for (const r of readings) {
    for (const e of r.subjects) if (!merged.subjects.some((x) => x.id === e.id)) merged.subjects.push(e);
    for (const [k, v] of r.typed) if (!merged.typed.has(k)) merged.typed.set(k, v);
    for (const m of r.months) if (!merged.months.includes(m)) merged.months.push(m);
    merged.span ??= r.span;
    merged.relative ??= r.relative;
    merged.source ??= r.source;
    merged.unreadable.push(...r.unreadable);
    merged.unknown.push(...r.unknown);
    merged.leftover.push(...r.leftover);
    merged.numbers.push(...r.numbers);
    for (const [k, v] of Object.entries(r.cues) as [Intent, number][]) merged.cues[k] += v;
    for (const x of r.social) merged.social.add(x);
    merged.words += r.words;
  }
  return merged;
}
