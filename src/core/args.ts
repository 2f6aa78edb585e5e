/**
 * Turning typed arguments into things the dataset knows, with friendly replies for what it doesn't.
 * Commands call these; every "unknown", "no data" and "did you mean" reply is written here once.
 */
import type { DatasetIndex, Entity } from '../data/index.js';
import type { YearMonth } from '../data/schema.js';
import { formatMonth, parseMonth } from './months.js';
import { notice, type Reply } from './reply.js';

export const isReply = (value: unknown): value is Reply =>
  typeof value === 'object' && value !== null && 'kind' in value && 'blocks' in value;

/** Echoed user text, shortened so a pasted novel does not come back. */
export function quote(text: string, max = 40): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return `"${t.length > max ? `${t.slice(0, max - 1)}…` : t}"`;
}

export function knownSellersLine(data: DatasetIndex): string {
  const names = data.sellers().map((e) => e.name);
  const shown = names.slice(0, 10).join(', ');
  return `Sales figures are on record for ${shown}${names.length > 10 ? ` and ${names.length - 10} more` : ''}.`;
}

export function knownMonthsLine(data: DatasetIndex): string {
  const months = data.months;
  if (months.length === 0) return 'No month has sales figures yet.';
  if (months.length <= 6) return `Months with data: ${months.map(formatMonth).join(', ')}.`;
  return `Months with data: ${formatMonth(months[0]!)} to ${formatMonth(months.at(-1)!)} (${months.length} months).`;
}

/** Resolves a name, or explains why not (unknown, or several close candidates). */
export function resolveEntity(data: DatasetIndex, name: string, example: string): Entity | Reply {
  const r = data.resolve(name);
  if (r.kind === 'found') return r.value;
  if (r.kind === 'ambiguous') {
    const names = r.candidates.map((c) => c.name);
    return notice(`Did you mean ${names.join(' or ')}?`, [`${quote(name)} is close to more than one name I know.`], [example.replace('{name}', names[0]!.toLowerCase())]);
  }
  return notice(`I don't know ${quote(name)}`, [knownSellersLine(data), 'Names can be companies, alliances or brands, in English or Chinese.'], [example.replace('{name}', data.sellers()[0]?.name.toLowerCase() ?? 'xiaomi')]);
}

/** Parses a month argument against the months on record. */
export function resolveMonth(data: DatasetIndex, text: string, example: string): YearMonth | Reply {
  const parsed = parseMonth(text, data.months);
  if (!parsed.ok) {
    return notice(`I can't read ${quote(text)} as a month`, ['Try "april", "apr 2025", "2025-04", "04/2025" or "4月".', knownMonthsLine(data)], [example]);
  }
  return parsed.month;
}

/** Tries the last one or two words as a month: "aito m8 april 2025" → ["aito m8", "april 2025"]. */
export function splitTrailingMonth(text: string, data: DatasetIndex): { rest: string; month?: string } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  for (const n of [2, 1]) {
    if (words.length < n) continue;
    const tail = words.slice(-n).join(' ');
    if (parseMonth(tail, data.months).ok) return { rest: words.slice(0, -n).join(' '), month: tail };
  }
  // "小米4月" has no space before the month.
  const glued = text.trim().match(/^(.*?[^\d\s])((?:\d{4}年)?\d{1,2}月份?)$/u);
  if (glued && parseMonth(glued[2]!, data.months).ok) return { rest: glued[1]!.trim(), month: glued[2]! };
  return { rest: words.join(' ') };
}

/**
 * Splits "xiaomi huawei", "xiaomi vs huawei", "baic bluepark, aito" into two names:
 * an explicit separator first, else the split point where both sides are names the index knows.
 */
export function splitPair(text: string, data: DatasetIndex): [string, string] | undefined {
  const explicit = text.split(/\s*(?:,|\bvs\.?|\bversus\b|\band\b|&|\bor\b|和|与|对比|还是)\s*/i).filter(Boolean);
  if (explicit.length === 2) return [explicit[0]!, explicit[1]!];
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length < 2) return undefined;
  let fallback: [string, string] | undefined;
  for (let i = 1; i < words.length; i++) {
    const pair: [string, string] = [words.slice(0, i).join(' '), words.slice(i).join(' ')];
    const exact = pair.every((p) => data.lookupExact(p) !== undefined);
    if (exact) return pair;
    if (!fallback && pair.every((p) => data.resolve(p).kind === 'found')) fallback = pair;
  }
  return fallback ?? [words[0]!, words.slice(1).join(' ')];
}
