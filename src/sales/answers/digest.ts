/**
 * A month for leadership: the ranking (bound-aware, brands shown inside their alliance), month-over-month change,
 * who leads and whether that changed (only when proven), the month's events, and the sources.
 */
import type { DatasetIndex } from '../../data/index.js';
import { describeChange, describeUnits, difference, figureOf } from '../figures.js';
import { formatMonth, previousMonth } from '../months.js';
import { eventDate } from './events.js';
import { answer, notice, type Block, type Reply } from '../../core/reply.js';
import { saleBars, sellerLabel } from '../sellers.js';
import { sourceRefs } from '../sources.js';
import { order, rank } from '../order.js';
import type { Query } from '../query.js';
import { knownMonthsLine, stating } from './common.js';
import { leadWords } from './figures.js';
import { partLines, rankable } from './standings.js';

/** Sellers listed in a digest; the rest are counted, so a market-wide dataset stays readable. */
const MAX_SELLERS = 15;

export function digest(data: DatasetIndex, q: Query): Reply {
  const newest = data.months.at(-1);
  if (!newest) return notice('No sales figures on record yet', ['Add figures to sales.json in the data directory.']);
  const ym = q.months[0] ?? newest;
  const { ranked: sales, parts } = rankable(data, data.salesIn(ym));
  if (sales.length === 0) return notice(`No figures for ${formatMonth(ym)}`, [knownMonthsLine(data)], [`/digest ${newest}`]);

  const prevMonth = previousMonth(ym);
  const prevSales = rankable(data, data.salesIn(prevMonth)).ranked;
  const { rows, leader, margin } = rank(data, sales);
  const shown = rows.slice(0, MAX_SELLERS);
  const hasPrevious = prevSales.length > 0;
  const change = (seller: string, current: (typeof rows)[number]['sale']) => {
    const before = data.sale(seller, prevMonth);
    return before ? describeChange(difference(figureOf(current), figureOf(before)), figureOf(before)) : 'not on record';
  };
  const columns = ['#', 'Seller', 'Units', ...(hasPrevious ? [`vs ${formatMonth(prevMonth)}`] : [])];
  const tableRows = shown.map((r) => [`${r.rank}${r.tied ? '=' : ''}`, sellerLabel(data, r.sale.seller), describeUnits(r.sale), ...(hasPrevious ? [change(r.sale.seller, r.sale)] : [])]);
  const blocks: Block[] = [
    { type: 'table', columns, rows: tableRows, align: ['right', 'left', 'right', 'right'] },
    { type: 'bars', bars: saleBars(data, shown.map((r) => r.sale)) },
  ];

  const standing: string[] = [];
  const [top, second] = rows;
  if (top && second) standing.push(`${leader ? `${sellerLabel(data, leader.seller)} leads.` : 'No leader can be named.'} ${leadWords(data, margin ?? order(data, top.sale, second.sale))}`);
  if (rows.some((r) => r.tied)) standing.push('"=" marks sellers whose order against the row above is not known.');
  const prev = hasPrevious ? rank(data, prevSales) : undefined;
  if (!prev) standing.push(`No figures for ${formatMonth(prevMonth)}, so no change of leader to report.`);
  else if (!leader || !prev.leader) standing.push(`Whether the lead changed since ${formatMonth(prevMonth)} is not known: ${!leader ? 'this' : 'that'} month's leader is not proven.`);
  else if (prev.leader.seller === leader.seller) standing.push(`${sellerLabel(data, leader.seller)} keeps the lead it had in ${formatMonth(prevMonth)}.`);
  else standing.push(`The lead changed: ${sellerLabel(data, leader.seller)} took it from ${sellerLabel(data, prev.leader.seller)}, who led in ${formatMonth(prevMonth)}.`);
  standing.push(...partLines(data, parts, ym));
  if (rows.length > shown.length) standing.push(`…and ${rows.length - shown.length} more sellers.`);
  if (sales.some((s) => s.qualifier !== 'exact')) standing.push('A figure shown as a lower bound or estimate keeps its bound in every change and gap.');
  blocks.push({ type: 'text', lines: standing });

  const events = data.eventsDuring(ym);
  if (events.length > 0) blocks.push({ type: 'text', lines: ['Events:', ...events.map((e) => `${eventDate(e)}: ${e.title}`)] });

  const standingSources = data.standingsIn(ym).flatMap((s) => s.sources);
  const compareNames = top && second ? [top.sale, second.sale].map((s) => data.entity(s.seller)?.name.toLowerCase()).join(' ') : undefined;
  return stating(answer(
    `Monthly digest: ${formatMonth(ym)}`,
    blocks,
    sourceRefs(data, [...shown.flatMap((r) => r.sale.sources), ...standingSources, ...events.flatMap((e) => e.sources)]),
    [...(compareNames ? [`/compare ${compareNames} ${ym}`] : []), `/timeline ${ym}`],
  ), [...shown.map((r) => r.sale), ...parts]);
}
