/** Where a figure comes from: "where does the 44,454 come from", "what did CPCA report for april". */
import type { DatasetIndex } from '../../data/index.js';
import type { Sale } from '../../data/schema.js';
import { describeUnits } from '../figures.js';
import { formatDate, formatMonth } from '../months.js';
import { answer, notice, type Reply } from '../../core/reply.js';
import { sellerLabel } from '../sellers.js';
import { sourceRefs } from '../sources.js';
import type { Query } from '../query.js';
import { knownMonthsLine } from '../names.js';
import { sellerViews, stating } from './common.js';

const MAX_SHOWN = 20;

function describeSource(data: DatasetIndex, id: string): string {
  const s = data.sources.get(id);
  if (!s) return id;
  const kind = s.kind === 'article' ? 'reported in the article' : s.kind === 'industry-body' ? 'industry body' : s.kind === 'company-announcement' ? 'company announcement' : s.kind === 'name-list' ? 'name list' : 'source';
  return `${s.title} — ${kind}${s.date ? `, ${formatDate(s.date)}` : ''}`;
}

export function sources(data: DatasetIndex, q: Query): Reply {
  let sales: Sale[] = [];
  const views = sellerViews(data, q);
  if (views.length > 0) sales = views.flatMap((v) => [...v.history]);
  else if (q.figure !== undefined || q.source || q.months.length > 0) sales = data.months.flatMap((m) => [...data.salesIn(m)]);
  if (q.figure !== undefined) sales = sales.filter((s) => s.units === q.figure);
  if (q.months.length > 0) sales = sales.filter((s) => q.months.includes(s.month));
  if (q.source) sales = sales.filter((s) => s.sources.includes(q.source!));
  const what = [q.figure !== undefined ? q.figure.toLocaleString('en-US') : undefined, q.source ? data.sources.get(q.source)?.publisher : undefined, ...q.months.map(formatMonth)].filter(Boolean).join(', ');
  if (sales.length === 0) {
    if (views.length === 0 && q.figure === undefined && !q.source) {
      return notice('Which figure?', ['Name a seller and month ("source for xiaomi\'s may figure") or quote the number ("where does the 44,454 come from").'], ['/sales xiaomi may']);
    }
    return notice(`No figure on record for ${what || 'that'}`, [knownMonthsLine(data)], ['/sales xiaomi may']);
  }
  const shown = sales.slice(0, MAX_SHOWN);
  const lines = shown.flatMap((s) => [
    `${sellerLabel(data, s.seller)}, ${formatMonth(s.month)}: ${describeUnits(s)}`,
    ...s.sources.map((id) => `  from ${describeSource(data, id)}`),
  ]);
  if (sales.length > shown.length) lines.push(`…and ${sales.length - shown.length} more figures.`);
  return stating(answer(`Sources${what ? `: ${what}` : ''}`, [{ type: 'text', lines }], sourceRefs(data, shown.flatMap((s) => s.sources)), [`/sales ${data.entity(shown[0]!.seller)?.name.toLowerCase() ?? ''} ${shown[0]!.month}`]), shown);
}
