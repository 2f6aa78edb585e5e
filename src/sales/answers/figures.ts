/** One seller's figures: a month, every month, the change between two months, a total over a span. */
import type { DatasetIndex } from '../../data/index.js';
import type { Sale, YearMonth } from '../../data/schema.js';
import { describe, describeChange, describeUnits, difference, figureOf, qualifierLabel, sum } from '../figures.js';
import { formatDate, formatMonth } from '../months.js';
import { answer, notice, type Block, type Reply } from '../../core/reply.js';
import { changeFrom, sellerLabel, viaNote } from '../sellers.js';
import { monthsChart } from './charts.js';
import { sourceRefs } from '../sources.js';
import type { Query } from '../query.js';
import { order } from '../order.js';
import {
  entities, inSpan, lower, monthList, noFigureIn, noFigures, relativeNote, sellerView, sellerViews,
  stating, whichSeller, type SellerView,
} from './common.js';
import { knownMonthsLine } from '../names.js';

/** The one seller a figure question is about, or the reply that says why there is none. */
function oneSeller(data: DatasetIndex, q: Query, example: string): SellerView | Reply {
  const [asked] = entities(data, q);
  if (!asked) return whichSeller(data, example);
  const view = sellerView(data, asked);
  return view.history.length === 0 ? noFigures(data, asked) : view;
}

const isView = (v: SellerView | Reply): v is SellerView => 'history' in v;

const boundNote = (sale: Sale) => (sale.qualifier === 'at_least' ? ' (a lower bound)' : sale.qualifier === 'approximate' ? ' (approximate)' : '');

function extraLines(data: DatasetIndex, q: Query, view: SellerView): string[] {
  return [viaNote(view.asked, view.seller), relativeNote(data, q)].filter((l): l is string => l !== undefined);
}

export function figure(data: DatasetIndex, q: Query): Reply {
  const view = oneSeller(data, q, '/sales xiaomi april');
  if (!isView(view)) return view;
  const ym = q.months[0];
  if (!ym) return series(data, q);
  const sale = data.sale(view.seller.id, ym);
  if (!sale) return noFigureIn(view, ym);
  const { asked, seller } = view;
  const lines = [`${seller.name === asked.name ? asked.name : `${asked.name} (${seller.name})`} sold ${describeUnits(sale)} vehicles in ${formatMonth(ym)}${boundNote(sale)}.`];
  lines.push(...extraLines(data, q, view));
  if (sale.note) lines.push(`Note: ${sale.note}`);
  if (sale.asOf) lines.push(`As of ${formatDate(sale.asOf)}.`);
  const blocks: Block[] = [
    { type: 'fields', fields: [
      { label: 'Units', value: describeUnits(sale) },
      { label: 'Month', value: formatMonth(ym) },
      { label: 'Qualifier', value: qualifierLabel(sale) },
    ] },
    { type: 'text', lines },
  ];
  const suggestions = [`/digest ${ym}`];
  const rival = data.salesIn(ym).find((s) => s.seller !== seller.id);
  const rivalName = rival && data.entity(rival.seller)?.name.toLowerCase();
  if (rivalName) suggestions.unshift(`/compare ${lower(asked)} ${rivalName} ${ym}`);
  return stating(answer(`${asked.name} sales, ${formatMonth(ym)}`, blocks, sourceRefs(data, sale.sources), suggestions), [sale]);
}

/** Figures month by month; several sellers side by side ("xiaomi vs huawei trend"). */
export function series(data: DatasetIndex, q: Query): Reply {
  const views = sellerViews(data, q);
  if (views.length === 0) return oneSeller(data, q, '/sales xiaomi') as Reply;
  if (views.length >= 2) return sideBySide(data, q, views);
  const view = views[0]!;
  let history = view.history;
  let what = 'every month on record';
  const lines: string[] = [];
  if (q.span) {
    const { sales, missing } = inSpan(history, q.span);
    if (sales.length === 0) {
      return notice(`No figures for ${view.asked.name} in ${q.span.label}`, [`${view.asked.name} has figures for ${view.history.map((s) => formatMonth(s.month)).join(', ')}.`], [`/sales ${lower(view.asked)}`]);
    }
    history = sales;
    what = q.span.label;
    if (missing.length > 0) lines.push(`Not on record: ${monthList(missing)}.`);
  } else if (q.months.length > 0) {
    history = history.filter((s) => q.months.includes(s.month));
    const missing = q.months.filter((m) => !history.some((s) => s.month === m));
    if (history.length === 0) return noFigureIn(view, q.months[0]!);
    if (missing.length > 0) lines.push(`Not on record: ${monthList(missing)}.`);
    what = monthList(history.map((s) => s.month));
  }
  const newestFirst = [...history].reverse();
  const rows = newestFirst.map((s, i) => [formatMonth(s.month), describeUnits(s), qualifierLabel(s), changeFrom(newestFirst[i + 1], s)]);
  const blocks: Block[] = [
    { type: 'table', columns: ['Month', 'Units', 'Qualifier', 'Change'], rows, align: ['left', 'right', 'left', 'right'] },
    { type: 'chart', chart: { ...monthsChart(data, [view.seller.id], history.map((s) => s.month), history.length > 1 ? 'line' : 'bar'), inTable: true } },
  ];
  lines.unshift(...extraLines(data, q, view));
  lines.push('Change is against the previous month on record; a lower bound keeps its bound.');
  blocks.push({ type: 'text', lines });
  return stating(answer(`${view.asked.name} sales, ${what}`, blocks, sourceRefs(data, history.flatMap((s) => s.sources)), [`/sales ${lower(view.asked)} ${view.history.at(-1)!.month}`]), history);
}

/** Several sellers month by month, with who was ahead each month when that is proven. */
function sideBySide(data: DatasetIndex, q: Query, views: SellerView[]): Reply {
  const all = [...new Set(views.flatMap((v) => v.history.map((s) => s.month)))].sort();
  const months = q.span ? all.filter((m) => m >= q.span!.from && m <= q.span!.to) : q.months.length > 0 ? all.filter((m) => q.months.includes(m)) : all;
  if (months.length === 0) return notice(`No figures for ${views.map((v) => v.asked.name).join(' or ')} in ${q.span?.label ?? monthList(q.months)}`, [knownMonthsLine(data)], ['/compare xiaomi huawei']);
  const columns = ['Month', ...views.map((v) => sellerLabel(data, v.seller.id))];
  const rows: string[][] = [];
  const lines: string[] = [];
  const sources: string[] = [];
  const stated: Sale[] = [];
  for (const m of months) {
    const sales = views.map((v) => data.sale(v.seller.id, m));
    rows.push([formatMonth(m), ...sales.map((s) => (s ? describeUnits(s) : 'not on record'))]);
    sources.push(...sales.flatMap((s) => s?.sources ?? []));
    const present = sales.filter((s): s is Sale => s !== undefined);
    stated.push(...present);
    if (present.length === 2) lines.push(`${formatMonth(m)}: ${leadWords(data, order(data, present[0]!, present[1]!))}`);
  }
  const missing = q.months.filter((m) => !months.includes(m));
  if (missing.length > 0) lines.push(`Not on record: ${monthList(missing)}.`);
  const note = relativeNote(data, q);
  if (note) lines.push(note);
  const blocks: Block[] = [
    { type: 'table', columns, rows, align: ['left', ...views.map(() => 'right' as const)] },
    { type: 'chart', chart: { ...monthsChart(data, views.map((v) => v.seller.id), months, 'bar'), inTable: true } },
  ];
  if (lines.length > 0) blocks.push({ type: 'text', lines });
  return stating(answer(`${views.map((v) => v.asked.name).join(' vs ')}, month by month`, blocks, sourceRefs(data, sources), [`/compare ${views.slice(0, 2).map((v) => lower(v.asked)).join(' ')} ${months.at(-1)}`]), stated);
}

/**
 * "Xiaomi is ahead by 1,030.", "Huawei (HIMA) is ahead by at most 16,454 (Xiaomi's figure is a lower bound; …)",
 * "The order of … is not known (…); no leader or gap can be stated."
 */
export function leadWords(data: DatasetIndex, o: ReturnType<typeof order>): string {
  const name = (s: Sale) => sellerLabel(data, s.seller);
  if (o.kind === 'level') return `${name(o.first)} and ${name(o.second)} are level.`;
  if (o.kind === 'unknown') return `The order of ${name(o.first)} and ${name(o.second)} is not known (${o.why.join('; ')}); no leader or gap can be stated.`;
  const bounds = [o.first, o.second].filter((s) => s.qualifier !== 'exact').map((s) => `${name(s)}'s figure is ${s.qualifier === 'at_least' ? 'a lower bound' : 'approximate'}`);
  const why = [...bounds, ...(o.standing ? [`the order is stated by the source: "${o.standing.statement}"`] : [])];
  // A source's order makes the gap positive, so a gap open below reads "at most".
  const gap = o.standing && o.gap.lo <= 0 && Number.isFinite(o.gap.hi) ? { ...o.gap, lo: -Infinity } : o.gap;
  const by = Number.isFinite(gap.hi) || Number.isFinite(gap.lo) ? ` by ${describe(gap)}` : '';
  return `${name(o.first)} is ahead${by}${why.length ? ` (${why.join('; ')})` : ''}.`;
}

/** The change between two months of one seller: "up 16,899 (+61.3%)", "down at most 585 (May is a lower bound)". */
export function change(data: DatasetIndex, q: Query): Reply {
  const view = oneSeller(data, q, '/sales xiaomi april may');
  if (!isView(view)) return view;
  const { history } = view;
  let from: YearMonth | undefined;
  let to: YearMonth | undefined;
  if (q.months.length >= 2) [from, to] = [...q.months.slice(0, 2)].sort() as [YearMonth, YearMonth];
  else {
    to = q.months[0] ?? history.at(-1)!.month;
    from = [...history].reverse().find((s) => s.month < to!)?.month;
    if (!from) return notice(`No month before ${formatMonth(to)} for ${view.asked.name}`, [`${view.asked.name} has figures for ${history.map((s) => formatMonth(s.month)).join(', ')}.`], [`/sales ${lower(view.asked)}`]);
  }
  const a = data.sale(view.seller.id, from);
  const b = data.sale(view.seller.id, to);
  if (!a) return noFigureIn(view, from);
  if (!b) return noFigureIn(view, to);
  const delta = difference(figureOf(b), figureOf(a));
  const why = [a, b].filter((s) => s.qualifier !== 'exact').map((s) => `${formatMonth(s.month)} is ${s.qualifier === 'at_least' ? 'a lower bound' : 'approximate'}`);
  const words = describeChange(delta, figureOf(a));
  const lines = [`${view.asked.name}: ${describeUnits(a)} in ${formatMonth(from)}, ${describeUnits(b)} in ${formatMonth(to)}: ${words}${why.length ? `; ${why.join('; ')}` : ''}.`];
  lines.push(...extraLines(data, q, view));
  return stating(answer(`${view.asked.name}, ${formatMonth(from)} to ${formatMonth(to)}`, [
    { type: 'fields', fields: [
      { label: formatMonth(from), value: describeUnits(a) },
      { label: formatMonth(to), value: describeUnits(b) },
      { label: 'Change', value: words },
    ] },
    { type: 'text', lines },
  ], sourceRefs(data, [...a.sources, ...b.sources]), [`/sales ${lower(view.asked)}`]), [a, b]);
}

/** A sum over a span (or the months named, or every month on record); a lower bound makes the total one. */
export function total(data: DatasetIndex, q: Query): Reply {
  const view = oneSeller(data, q, '/sales xiaomi');
  if (!isView(view)) return view;
  let sales: readonly Sale[] = view.history;
  let missing: YearMonth[] = [];
  let what = 'every month on record';
  if (q.span) {
    ({ sales, missing } = inSpan(view.history, q.span));
    what = q.span.label;
  } else if (q.months.length > 0) {
    sales = view.history.filter((s) => q.months.includes(s.month));
    missing = q.months.filter((m) => !sales.some((s) => s.month === m));
    what = monthList(q.months);
  }
  if (sales.length === 0) return notice(`No figures for ${view.asked.name} in ${what}`, [`${view.asked.name} has figures for ${view.history.map((s) => formatMonth(s.month)).join(', ')}.`], [`/sales ${lower(view.asked)}`]);
  const totalFigure = sum(sales.map(figureOf));
  const covered = monthList(sales.map((s) => s.month));
  const lines = [`${view.asked.name} sold ${describe(totalFigure)} vehicles in total over ${covered}${sales.length === 1 ? '' : ` (${sales.length} months)`}.`];
  if (missing.length > 0) lines.push(`Not on record: ${monthList(missing)}, so the total covers only ${covered}.`);
  const bounds = sales.filter((s) => s.qualifier !== 'exact').map((s) => `${formatMonth(s.month)} is ${s.qualifier === 'at_least' ? 'a lower bound' : 'approximate'}`);
  const kind = !Number.isFinite(totalFigure.hi) ? 'a lower bound' : totalFigure.lo < totalFigure.hi ? 'a range' : 'approximate';
  if (bounds.length > 0) lines.push(`The total is ${kind}: ${bounds.join('; ')}.`);
  lines.push(...extraLines(data, q, view));
  const rows = sales.map((s) => [formatMonth(s.month), describeUnits(s), qualifierLabel(s)]);
  return stating(answer(`${view.asked.name} total, ${what}`, [
    { type: 'fields', fields: [{ label: 'Total', value: describe(totalFigure) }, { label: 'Months', value: String(sales.length) }] },
    { type: 'table', columns: ['Month', 'Units', 'Qualifier'], rows, align: ['left', 'right', 'left'] },
    { type: 'text', lines },
  ], sourceRefs(data, sales.flatMap((s) => s.sources)), [`/sales ${lower(view.asked)}`]), sales);
}
