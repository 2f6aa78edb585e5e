/**
 * A month for leadership. It opens with one headline sentence that carries the news (who leads, by how much,
 * and whether that changed: only as far as it is proven), then the ranking with the month-over-month change in
 * units and % (bound-aware; the column is left out when there is no previous month), the ranking and the trend
 * as charts (data: each adapter draws them), the month's events and what is due later, each with its source, and
 * one footnote only when a figure is a bound or an estimate.
 */
import type { DatasetIndex } from '../../data/index.js';
import type { Sale, TimelineEvent, YearMonth } from '../../data/schema.js';
import { describe, describeChange, describeUnits, difference, figureOf, type Figure } from '../figures.js';
import { formatMonth, previousMonth } from '../months.js';
import { eventDate } from './events.js';
import { answer, notice, type Block, type Reply } from '../../core/reply.js';
import { sellerLabel } from '../sellers.js';
import { sourceRefs } from '../sources.js';
import { order, rank, type Order, type RankedSale } from '../order.js';
import type { Query } from '../query.js';
import { knownMonthsLine } from '../names.js';
import { stating } from './common.js';
import { leadWords } from './figures.js';
import { partLines, rankable } from './standings.js';
import { monthsChart, rankingChart, TREND_SELLERS } from './charts.js';

/** Sellers listed in a digest; the rest are counted, so a market-wide dataset stays readable. */
const MAX_SELLERS = 15;
/** How far back "retook the lead" looks for an earlier month the same seller was proven to lead. */
const LOOKBACK_MONTHS = 12;
/** Events listed as due later. */
const MAX_DUE = 3;

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
  const prev = hasPrevious ? rank(data, prevSales) : undefined;
  const label = (s: Sale) => sellerLabel(data, s.seller);

  const change = (current: Sale) => {
    const before = data.sale(current.seller, prevMonth);
    return before ? describeChange(difference(figureOf(current), figureOf(before)), figureOf(before)) : `not on record in ${formatMonth(prevMonth)}`;
  };
  const columns = ['#', 'Seller', 'Units', ...(hasPrevious ? [`Change vs ${formatMonth(prevMonth)}`] : [])];
  const tableRows = shown.map((r) => [`${r.rank}${r.tied ? '=' : ''}`, label(r.sale), describeUnits(r.sale), ...(hasPrevious ? [change(r.sale)] : [])]);

  const blocks: Block[] = [
    { type: 'text', lines: [headline(data, ym, rows, leader, margin, prev?.leader, hasPrevious)] },
    { type: 'table', caption: `Ranking, ${formatMonth(ym)}`, columns, rows: tableRows, align: ['right', 'left', 'right', 'right'] },
    { type: 'chart', chart: { ...rankingChart(data, ym, shown.map((r) => r.sale)), inTable: true } },
  ];
  const trendSellers = shown.slice(0, TREND_SELLERS).map((r) => r.sale.seller);
  const trendMonths = data.months.filter((m) => m <= ym && trendSellers.some((id) => data.sale(id, m)));
  if (trendMonths.length >= 2) blocks.push({ type: 'chart', chart: monthsChart(data, trendSellers, trendMonths, 'line', trendSellers.length > 1 ? `Units by month, top ${trendSellers.length}` : undefined) });

  const standing: string[] = [];
  const [top, second] = rows;
  if (top && second) standing.push(leadWords(data, margin ?? order(data, top.sale, second.sale)));
  if (rows.some((r) => r.tied)) standing.push('"=" marks sellers whose order against the row above is not known.');
  if (prev && (!leader || !prev.leader)) standing.push(`Whether the lead changed since ${formatMonth(prevMonth)} is not known: ${!leader ? 'this' : 'that'} month's leader is not proven.`);
  else if (prev && leader && prev.leader && prev.leader.seller === leader.seller) standing.push(`${label(leader)} keeps the lead it had in ${formatMonth(prevMonth)}.`);
  else if (prev && leader && prev.leader) standing.push(`The lead changed: ${label(leader)} took it from ${label(prev.leader)}, who led in ${formatMonth(prevMonth)}.`);
  standing.push(...partLines(data, parts, ym));
  if (rows.length > shown.length) standing.push(`…and ${rows.length - shown.length} more sellers.`);
  if (standing.length > 0) blocks.push({ type: 'text', lines: standing });

  const events = data.eventsDuring(ym);
  if (events.length > 0) blocks.push({ type: 'text', lines: [`Events in ${formatMonth(ym)}:`, ...events.map((e) => `${eventDate(e)}: ${e.title} (${publishers(data, e)})`)] });
  const due = dueLater(data, ym);
  if (due.length > 0) blocks.push({ type: 'text', lines: ['Due later (the source gives no exact date):', ...due.map((e) => `${e.title}: ${eventDate(e)} (${publishers(data, e)})`)] });

  const note = footnote(data, shown.map((r) => r.sale), hasPrevious ? prevMonth : undefined);
  if (note) blocks.push({ type: 'text', lines: [note] });

  const standingSources = data.standingsIn(ym).flatMap((s) => s.sources);
  const before = hasPrevious ? shown.flatMap((r) => data.sale(r.sale.seller, prevMonth) ?? []) : [];
  const compareNames = top && second ? [top.sale, second.sale].map((s) => data.entity(s.seller)?.name.toLowerCase()).join(' ') : undefined;
  return stating(answer(
    `Monthly digest: ${formatMonth(ym)}`,
    blocks,
    sourceRefs(data, [...shown.flatMap((r) => r.sale.sources), ...before.flatMap((s) => s.sources), ...standingSources, ...events.flatMap((e) => e.sources), ...due.flatMap((e) => e.sources)]),
    [...(compareNames ? [`/compare ${compareNames} ${ym}`] : []), `/timeline ${ym}`],
  ), [...shown.map((r) => r.sale), ...before, ...parts]);
}

/** "at most 16,454": a gap a source's order makes positive reads "at most" when the intervals allow less. */
function gapOf(o: Order & { kind: 'ahead' }): Figure {
  return o.standing && o.gap.lo <= 0 && Number.isFinite(o.gap.hi) ? { ...o.gap, lo: -Infinity } : o.gap;
}

function gapWords(gap: Figure): string {
  const words = describe(gap);
  return words === 'unknown' ? '' : ` — a gap of ${words}`;
}

/**
 * The one sentence a leader reads first: "Huawei (HIMA) took the lead from Xiaomi in May 2025: 44,454 vs Xiaomi's
 * over 28,000 — a gap of at most 16,454." "retook" only when the same seller was proven to lead an earlier month;
 * a change of leader only when both months' leaders are proven.
 */
function headline(data: DatasetIndex, ym: YearMonth, rows: readonly RankedSale[], leader: Sale | undefined, margin: (Order & { kind: 'ahead' }) | undefined, prevLeader: Sale | undefined, previousKnown: boolean): string {
  const label = (s: Sale) => sellerLabel(data, s.seller);
  const month = formatMonth(ym);
  const [top, second, third] = rows;
  if (!top) return `No figures for ${month}.`;
  if (!second) return `${label(top.sale)} is the only seller on record for ${month}: ${describeUnits(top.sale)}.`;
  if (!leader || !margin) {
    const o = order(data, top.sale, second.sale);
    const why = o.kind === 'unknown' && o.why.length ? ` (${o.why.join('; ')})` : '';
    return o.kind === 'level'
      ? `No single leader in ${month}: ${label(top.sale)} and ${label(second.sale)} are level at ${describeUnits(top.sale)}.`
      : `No leader can be named for ${month}: ${label(top.sale)} (${describeUnits(top.sale)}) and ${label(second.sale)} (${describeUnits(second.sale)}) cannot be put in order${why}.`;
  }
  const previousMonthName = formatMonth(previousMonth(ym));
  let verb: string;
  if (!prevLeader) verb = `led in ${month}`;
  else if (prevLeader.seller === leader.seller) verb = `kept the lead in ${month}`;
  else verb = `${ledEarlier(data, leader.seller, previousMonth(ym)) ? 'retook' : 'took'} the lead from ${label(prevLeader)} in ${month}`;
  // The runner-up is named only when it is proven second (not tied with the row below it).
  const runnerUpProven = !third?.tied;
  const news = runnerUpProven
    ? `${describeUnits(leader)} vs ${label(second.sale)}'s ${describeUnits(second.sale)}${gapWords(gapOf(order(data, leader, second.sale) as Order & { kind: 'ahead' }))}`
    : `${describeUnits(leader)}, ahead of every other seller on record${gapWords(margin.gap).replace(' — a gap of', ' by')}`;
  const unsure = prevLeader === undefined && previousKnown ? `; whether the lead changed since ${previousMonthName} is not known` : '';
  return `${label(leader)} ${verb}: ${news}${unsure}.`;
}

/** Whether `seller` was proven to lead a month before `before`, within LOOKBACK_MONTHS months on record. */
function ledEarlier(data: DatasetIndex, seller: string, before: YearMonth): boolean {
  const earlier = data.months.filter((m) => m < before).slice(-LOOKBACK_MONTHS);
  return earlier.some((m) => rank(data, rankable(data, data.salesIn(m)).ranked).leader?.seller === seller);
}

/** Who says so: the publishers of an event's sources. */
function publishers(data: DatasetIndex, e: TimelineEvent): string {
  return [...new Set(e.sources.map((id) => data.sources.get(id)?.publisher ?? id))].join('; ');
}

/**
 * Planned events the source dates only by year (Shangjie's first model "this fall"): of the digest's year or
 * later, so the digest says what leaders can expect next.
 */
function dueLater(data: DatasetIndex, ym: YearMonth): TimelineEvent[] {
  const year = ym.slice(0, 4);
  return data.events.filter((e) => e.date.length === 4 && e.date >= year && e.when !== undefined).slice(0, MAX_DUE);
}

/** The one footnote, only when a figure shown (or the month before it) is a bound or an estimate. */
function footnote(data: DatasetIndex, shown: readonly Sale[], prevMonth: YearMonth | undefined): string | undefined {
  const figures = [...shown, ...(prevMonth ? shown.flatMap((s) => data.sale(s.seller, prevMonth) ?? []) : [])].filter((s) => s.qualifier !== 'exact');
  if (figures.length === 0) return undefined;
  const items = figures.map((s) => `${sellerLabel(data, s.seller)}'s ${formatMonth(s.month)} figure is ${s.qualifier === 'at_least' ? 'a lower bound' : 'approximate'} ("${describeUnits(s)}")`);
  const marks = [figures.some((s) => s.qualifier === 'at_least') ? '≥' : '', figures.some((s) => s.qualifier === 'approximate') ? '~' : ''].filter(Boolean).join(' and ');
  return `Note (${marks} in the charts): ${items.join('; ')}, so every change and gap involving ${figures.length === 1 ? 'it' : 'them'} is a bound too.`;
}
