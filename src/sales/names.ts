/**
 * Turning typed arguments into things the dataset knows, with friendly replies for what it doesn't.
 * The evaluator calls these; every "unknown", "no data" and "did you mean" reply is written here once.
 */
import type { DatasetIndex, Entity } from '../data/index.js';
import { notice, type Reply } from '../core/reply.js';
import { quote } from '../core/request.js';
import { formatMonth } from './months.js';

export const isReply = (value: unknown): value is Reply =>
  typeof value === 'object' && value !== null && 'kind' in value && 'blocks' in value;


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



