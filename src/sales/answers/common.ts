/** What every answer needs: the subjects as sellers, the months on record, and the friendly "I can't" replies. */
import type { DatasetIndex, Entity } from '../../data/index.js';
import type { Sale, YearMonth } from '../../data/schema.js';
import { quote } from '../../core/request.js';
import { formatMonth } from '../months.js';
import { notice, type Reply, type StatedFigure } from '../../core/reply.js';
import type { Query } from '../query.js';
import { knownMonthsLine, knownSellersLine } from '../names.js';

/** A subject with the seller whose figures answer for it ("Huawei" is answered with HIMA's). */
export interface SellerView {
  asked: Entity;
  seller: Entity;
  history: readonly Sale[];
}

export const lower = (e: Entity) => e.name.toLowerCase();

export function entities(data: DatasetIndex, q: Query): Entity[] {
  return q.subjects.flatMap((id) => data.entity(id) ?? []);
}

export function sellerView(data: DatasetIndex, asked: Entity): SellerView {
  const seller = data.sellerFor(asked);
  return { asked, seller, history: data.salesOf(seller.id) };
}

/** The subjects that have figures, one per seller. */
export function sellerViews(data: DatasetIndex, q: Query): SellerView[] {
  const seen = new Set<string>();
  return entities(data, q).map((e) => sellerView(data, e)).filter((v) => {
    if (v.history.length === 0 || seen.has(v.seller.id)) return false;
    seen.add(v.seller.id);
    return true;
  });
}

export function noFigures(data: DatasetIndex, asked: Entity): Reply {
  return notice(`No sales figures for ${asked.name}`, [knownSellersLine(data), knownMonthsLine(data)], [`/company ${lower(asked)}`]);
}

export function noFigureIn(view: SellerView, month: YearMonth): Reply {
  const months = view.history.map((s) => formatMonth(s.month)).join(', ');
  return notice(`No figure for ${view.asked.name} in ${formatMonth(month)}`, [`${view.asked.name} has figures for ${months}.`], [`/sales ${lower(view.asked)} ${view.history.at(-1)!.month}`]);
}

/** "Which company?": a sales answer needs a seller. */
export function whichSeller(data: DatasetIndex, example: string): Reply {
  return notice('Which company, alliance or brand?', ['Name one, in English or Chinese.', knownSellersLine(data)], [example]);
}

/** Names the user typed that the data does not have: named, never dropped or swapped for a known one. */
export function unknownNames(data: DatasetIndex, q: Query): Reply {
  const names = q.unknown.map((u) => quote(u));
  const known = entities(data, q);
  const lines = [
    `${names.join(' and ')} ${names.length === 1 ? 'is' : 'are'} not on record, so I can't answer about ${names.length === 1 ? 'it' : 'them'}.`,
    knownSellersLine(data),
  ];
  if (known.length > 0) lines.push(`I do know ${known.map((e) => e.name).join(' and ')}.`);
  const suggestions = known.slice(0, 2).map((e) => (data.salesOf(data.sellerFor(e).id).length > 0 ? `/sales ${lower(e)}` : `/company ${lower(e)}`));
  return notice(`I don't know ${names.join(' or ')}`, lines, suggestions.length ? suggestions : ['/help']);
}

export function unreadableMonths(data: DatasetIndex, q: Query): Reply {
  return notice(`I can't read ${q.unreadable.map((u) => quote(u)).join(' or ')} as a month`, ['Try "april", "apr 2025", "2025-04", "04/2025" or "4月".', knownMonthsLine(data)], [`/digest ${data.months.at(-1) ?? ''}`.trim()]);
}

/** When "last month" or "this year" was asked: which month or year that is, as the calendar may differ. */
export function relativeNote(data: DatasetIndex, q: Query, now = new Date()): string | undefined {
  const newest = data.months.at(-1);
  if (!q.relative || !newest) return undefined;
  if (q.relative === 'year') return `The newest year on record is ${newest.slice(0, 4)}.`;
  const lastCalendarMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
  return newest === lastCalendarMonth ? undefined : `The newest month on record is ${formatMonth(newest)}.`;
}

/** Months of a span on record for a seller, and the ones the data does not have. */
export function inSpan(history: readonly Sale[], span: { from: YearMonth; to: YearMonth }): { sales: Sale[]; missing: YearMonth[] } {
  const sales = history.filter((s) => s.month >= span.from && s.month <= span.to);
  const missing: YearMonth[] = [];
  for (let m = span.from; m <= span.to; m = nextMonth(m)) if (!sales.some((s) => s.month === m)) missing.push(m);
  return { sales, missing };
}

export function nextMonth(month: YearMonth): YearMonth {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** "June 2025", "June and July 2025", "June to December 2025". */
export function monthList(months: readonly YearMonth[]): string {
  if (months.length <= 2) return months.map(formatMonth).join(' and ');
  return `${formatMonth(months[0]!)} to ${formatMonth(months.at(-1)!)}`;
}

/** The reply with the figures it states, as data. */
export function stating(reply: Reply, sales: readonly (Sale | undefined)[]): Reply {
  const seen = new Set<Sale>();
  const figures: StatedFigure[] = [];
  for (const s of sales) {
    if (!s || seen.has(s)) continue;
    seen.add(s);
    figures.push({ seller: s.seller, month: s.month, units: s.units, qualifier: s.qualifier, ...(s.reportedAs ? { reportedAs: s.reportedAs } : {}), sources: [...s.sources] });
  }
  return figures.length > 0 ? { ...reply, figures } : reply;
}
