/**
 * Month parsing: "april", "apr", "April 2025", "2025-04", "04/2025", "4月", "2025年4月".
 * Without a year, the latest year that has data for that month.
 */
import type { YearMonth } from '../data/schema.js';

const NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "jan", "sept", "april" → 1-based month; three letters at least so "ma" stays unknown. */
function monthFromName(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w.length < 3) return undefined;
  if (w === 'sept') return 9;
  const i = NAMES.findIndex((n) => n === w || (w.length === 3 && n.startsWith(w)));
  return i >= 0 ? i + 1 : undefined;
}

export type MonthParse =
  | { ok: true; month: YearMonth; yearGiven: boolean }
  | { ok: false };

const pad = (m: number) => String(m).padStart(2, '0');
const valid = (m: number) => m >= 1 && m <= 12;

/** Parses one month expression; `known` (YYYY-MM, any order) picks the year when none is given. */
export function parseMonth(input: string, known: readonly YearMonth[]): MonthParse {
  const text = input.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
  const withYear = (year: number, month: number): MonthParse =>
    valid(month) && year >= 1900 && year <= 2999 ? { ok: true, month: `${year}-${pad(month)}`, yearGiven: true } : { ok: false };
  const withoutYear = (month: number): MonthParse => {
    if (!valid(month)) return { ok: false };
    const suffix = `-${pad(month)}`;
    const years = known.filter((k) => k.endsWith(suffix)).sort();
    const newest = known.length > 0 ? [...known].sort().at(-1)!.slice(0, 4) : String(new Date().getUTCFullYear());
    const year = years.at(-1)?.slice(0, 4) ?? newest;
    return { ok: true, month: `${year}${suffix}`, yearGiven: false };
  };

  let m: RegExpMatchArray | null;
  if ((m = text.match(/^(\d{4})[-/.](\d{1,2})$/))) return withYear(Number(m[1]), Number(m[2]));
  if ((m = text.match(/^(\d{1,2})[-/.](\d{4})$/))) return withYear(Number(m[2]), Number(m[1]));
  if ((m = text.match(/^(\d{4}) ?年 ?(\d{1,2}) ?月(份)?$/))) return withYear(Number(m[1]), Number(m[2]));
  if ((m = text.match(/^(\d{1,2}) ?月(份)?$/))) return withoutYear(Number(m[1]));
  if ((m = text.match(/^([a-z]+\.?),? (\d{4})$/))) {
    const month = monthFromName(m[1]!);
    return month ? withYear(Number(m[2]), month) : { ok: false };
  }
  if ((m = text.match(/^(\d{4}) ([a-z]+\.?)$/))) {
    const month = monthFromName(m[2]!);
    return month ? withYear(Number(m[1]), month) : { ok: false };
  }
  if ((m = text.match(/^[a-z]+\.?$/))) {
    const month = monthFromName(m[0]);
    return month ? withoutYear(month) : { ok: false };
  }
  return { ok: false };
}

/** "2025-04" → "April 2025". */
export function formatMonth(month: YearMonth): string {
  const [y, m] = month.split('-');
  return `${capitalize(NAMES[Number(m) - 1] ?? '')} ${y}`;
}

/** A partial date at its own precision: "2021", "April 2025", "May 30, 2025". */
export function formatDate(date: string): string {
  const [y, m, d] = date.split('-');
  if (!m) return y!;
  const month = capitalize(NAMES[Number(m) - 1] ?? '');
  return d ? `${month} ${Number(d)}, ${y}` : `${month} ${y}`;
}

/** The month before: "2025-01" → "2024-12". */
export function previousMonth(month: YearMonth): YearMonth {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${pad(m - 1)}`;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
