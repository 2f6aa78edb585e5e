/** What the dataset knows, in the sentences replies use when a name or a month is not there. */
import type { DatasetIndex, Entity } from '../data/index.js';
import { notice, type Reply } from '../core/reply.js';
import { quote } from '../core/request.js';
import { formatMonth } from './months.js';

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

/** Several names lie close to what was typed: ask which, rather than pick one. */
export function didYouMean(name: string, candidates: readonly Entity[], example: string): Reply {
  const names = candidates.map((c) => c.name);
  return notice(`Did you mean ${names.join(' or ')}?`, [`${quote(name)} is close to more than one name I know.`], [example.replace('{name}', names[0]!.toLowerCase())]);
}
