/**
 * Who is ahead: two sellers in a month, the leader among the sellers on record, the first month one beat the
 * other, and when the lead changed hands. An order is stated only when proven (see order.ts).
 */
import type { DatasetIndex } from '../../data/index.js';
import type { Sale, YearMonth } from '../../data/schema.js';
import { describeUnits, qualifierLabel } from '../figures.js';
import { formatMonth } from '../months.js';
import { answer, notice, type Reply } from '../../core/reply.js';
import { sellerLabel } from '../sellers.js';
import { pairChart, rankingChart } from './charts.js';
import { sourceRefs } from '../sources.js';
import { order, rank } from '../order.js';
import type { Query } from '../query.js';
import { knownMonthsLine } from '../names.js';
import { entities, lower, relativeNote, sellerView, sellerViews, stating, type SellerView } from './common.js';
import { leadWords } from './figures.js';

const COVERAGE = 'This ranks the sellers on record only; it does not show a market leader beyond them.';

/** Sellers of a month that do not contain each other: a brand inside its alliance is not ranked against it. */
export function rankable(data: DatasetIndex, sales: readonly Sale[]): { ranked: Sale[]; parts: Sale[] } {
  const present = new Set(sales.map((s) => s.seller));
  const parts = sales.filter((s) => {
    const whole = data.containerOf(s.seller);
    return whole !== undefined && present.has(whole.id);
  });
  return { ranked: sales.filter((s) => !parts.includes(s)), parts };
}

/** "Aito: 20,000 of HIMA's 44,454." */
export function partLines(data: DatasetIndex, parts: readonly Sale[], month: YearMonth): string[] {
  return parts.map((p) => {
    const whole = data.containerOf(p.seller)!;
    const w = data.sale(whole.id, month)!;
    return `${sellerLabel(data, p.seller)}: ${describeUnits(p)} of ${sellerLabel(data, whole.id)}'s ${describeUnits(w)} (part of it, not ranked against it).`;
  });
}

/** The two sellers to compare: the two named; one named and its closest rival; else the month's top two. */
function pair(data: DatasetIndex, q: Query, month?: YearMonth): [SellerView, SellerView] | Reply {
  const named = entities(data, q).map((e) => sellerView(data, e));
  if (named.length >= 2) {
    const [a, b] = named as [SellerView, SellerView];
    if (a.history.length === 0 || b.history.length === 0) {
      return notice(`No month with figures for both ${a.asked.name} and ${b.asked.name}`, [knownMonthsLine(data)], ['/compare xiaomi huawei']);
    }
    return [a, b];
  }
  const first = named[0];
  if (first && first.history.length === 0) return notice(`No sales figures for ${first.asked.name}`, [knownMonthsLine(data)], ['/compare xiaomi huawei']);
  const m = month ?? data.months.at(-1);
  if (!m) return notice('No sales figures on record yet', [knownMonthsLine(data)]);
  const { rows } = rank(data, rankable(data, data.salesIn(m)).ranked);
  const others = rows.map((r) => sellerView(data, data.entity(r.sale.seller)!)).filter((v) => v.seller.id !== first?.seller.id);
  if (first && others[0]) return [first, others[0]];
  if (!first && others.length >= 2) return [others[0]!, others[1]!];
  return notice(`Fewer than two sellers have figures for ${formatMonth(m)}`, [knownMonthsLine(data)], ['/compare xiaomi huawei']);
}

const isPair = (p: [SellerView, SellerView] | Reply): p is [SellerView, SellerView] => Array.isArray(p);

export function compare(data: DatasetIndex, q: Query): Reply {
  const p = pair(data, q, q.months[0]);
  if (!isPair(p)) return p;
  const [a, b] = p;
  if (a.seller.id === b.seller.id) {
    return notice(`${a.asked.name} and ${b.asked.name} share one set of figures`, [`Both are answered with ${a.seller.name}'s figures; compare two different sellers.`], ['/compare xiaomi huawei april']);
  }
  if (data.containerOf(a.seller.id)?.id === b.seller.id || data.containerOf(b.seller.id)?.id === a.seller.id) {
    const [part, whole] = data.containerOf(a.seller.id)?.id === b.seller.id ? [a, b] : [b, a];
    return notice(`${part.asked.name} is part of ${whole.asked.name}`, [`${whole.asked.name}'s figures already include ${part.asked.name}'s, so the two are not ranked against each other.`], [`/sales ${lower(whole.asked)}`]);
  }
  let ym = q.months[0];
  if (!ym) {
    const both = a.history.filter((s) => data.sale(b.seller.id, s.month)).at(-1);
    if (!both) return notice(`No month with figures for both ${a.asked.name} and ${b.asked.name}`, [knownMonthsLine(data)], ['/compare xiaomi huawei april']);
    ym = both.month;
  }
  const fa = data.sale(a.seller.id, ym);
  const fb = data.sale(b.seller.id, ym);
  if (!fa || !fb) {
    const missing = [fa ? undefined : a.asked.name, fb ? undefined : b.asked.name].filter(Boolean).join(' and ');
    return notice(`No figure for ${missing} in ${formatMonth(ym)}`, [knownMonthsLine(data)], ['/compare xiaomi huawei april']);
  }
  const o = order(data, fa, fb);
  const lines = [leadWords(data, o)];
  const note = relativeNote(data, q);
  if (note) lines.push(note);
  const rows = [fa, fb].map((s) => [sellerLabel(data, s.seller), describeUnits(s), qualifierLabel(s)]);
  return stating(answer(
    `${sellerLabel(data, a.seller.id)} vs ${sellerLabel(data, b.seller.id)}, ${formatMonth(ym)}`,
    [
      { type: 'table', columns: ['Seller', 'Units', 'Qualifier'], rows, align: ['left', 'right', 'left'] },
      { type: 'chart', chart: { ...pairChart(data, ym, fa, fb), inTable: true } },
      { type: 'text', lines },
    ],
    sourceRefs(data, [...fa.sources, ...fb.sources, ...(o.kind === 'ahead' && o.standing ? o.standing.sources : [])]),
    [`/digest ${ym}`, `/sales ${lower(a.asked)}`],
  ), [fa, fb]);
}

/** "who is winning", "who was number one in april": the month's leader among the sellers on record. */
export function leader(data: DatasetIndex, q: Query): Reply {
  if (sellerViews(data, q).length >= 2) return compare(data, q);
  const ym = q.months[0] ?? data.months.at(-1);
  if (!ym) return notice('No sales figures on record yet', [knownMonthsLine(data)]);
  const { ranked, parts } = rankable(data, data.salesIn(ym));
  if (ranked.length === 0) return notice(`No figures for ${formatMonth(ym)}`, [knownMonthsLine(data)], [`/digest ${data.months.at(-1)}`]);
  const { rows, leader: top, margin } = rank(data, ranked);
  const lines: string[] = [];
  if (top && rows[1]) lines.push(`${sellerLabel(data, top.seller)} led in ${formatMonth(ym)}. ${leadWords(data, margin ?? order(data, top, rows[1].sale))}`);
  else if (top) lines.push(`${sellerLabel(data, top.seller)} is the only seller on record for ${formatMonth(ym)}.`);
  else lines.push(`No leader can be named for ${formatMonth(ym)}. ${leadWords(data, order(data, rows[0]!.sale, rows[1]!.sale))}`);
  lines.push(...partLines(data, parts, ym), COVERAGE);
  const note = relativeNote(data, q);
  if (note) lines.push(note);
  const shown = rows.slice(0, 10);
  return stating(answer(`Who led in ${formatMonth(ym)}`, [
    { type: 'table', columns: ['#', 'Seller', 'Units'], rows: shown.map((r) => [`${r.rank}${r.tied ? '=' : ''}`, sellerLabel(data, r.sale.seller), describeUnits(r.sale)]), align: ['right', 'left', 'right'] },
    { type: 'chart', chart: { ...rankingChart(data, ym, shown.map((r) => r.sale)), inTable: true } },
    { type: 'text', lines },
  ], sourceRefs(data, [...shown.flatMap((r) => r.sale.sources), ...data.standingsIn(ym).flatMap((s) => s.sources)]), [`/digest ${ym}`]), shown.map((r) => r.sale));
}

/** The months on record where both sellers have figures, with the proven order in each. */
function duel(data: DatasetIndex, a: SellerView, b: SellerView) {
  return a.history.flatMap((s) => {
    const other = data.sale(b.seller.id, s.month);
    return other ? [{ month: s.month, order: order(data, s, other), a: s, b: other }] : [];
  });
}

/** "which month did xiaomi first outsell huawei". */
export function first(data: DatasetIndex, q: Query): Reply {
  const p = pair(data, q);
  if (!isPair(p)) return p;
  const [a, b] = p;
  const months = duel(data, a, b);
  const won = months.find((m) => m.order.kind === 'ahead' && m.order.first === m.a);
  const sources = months.flatMap((m) => [...m.a.sources, ...m.b.sources]);
  const nameA = sellerLabel(data, a.seller.id);
  const nameB = sellerLabel(data, b.seller.id);
  const span = months.length ? ` (months on record with both: ${months.map((m) => formatMonth(m.month)).join(', ')})` : '';
  if (!won) {
    return answer(`Has ${a.asked.name} outsold ${b.asked.name}?`, [{ type: 'text', lines: [`Not in the months on record${span}: ${nameA} was never proven ahead of ${nameB}.`] }], sourceRefs(data, sources), [`/compare ${lower(a.asked)} ${lower(b.asked)}`]);
  }
  const lines = [`${formatMonth(won.month)}: ${leadWords(data, won.order)}`];
  const event = data.eventsDuring(won.month).find((e) => /first time/i.test(e.title) && e.entities.includes(a.asked.id));
  if (event) lines.push(`The source says so too: "${event.title}".`);
  else if (won === months[0]) lines.push(`That is the first month on record with figures for both; earlier months are not on record.`);
  return stating(answer(`${a.asked.name} first outsold ${b.asked.name} in ${formatMonth(won.month)}`, [{ type: 'text', lines }], sourceRefs(data, [...won.a.sources, ...won.b.sources, ...(event?.sources ?? [])]), [`/compare ${lower(a.asked)} ${lower(b.asked)} ${won.month}`]), [won.a, won.b]);
}

/** "did huawei lose the lead?": who led each month on record, and when that changed. */
export function leadChanges(data: DatasetIndex, q: Query): Reply {
  const p = pair(data, q);
  if (!isPair(p)) return p;
  const [a, b] = p;
  const months = duel(data, a, b);
  if (months.length === 0) return notice(`No month with figures for both ${a.asked.name} and ${b.asked.name}`, [knownMonthsLine(data)], ['/compare xiaomi huawei']);
  const nameA = sellerLabel(data, a.seller.id);
  const leaderOf = (m: (typeof months)[number]) => (m.order.kind === 'ahead' ? (m.order.first === m.a ? a : b) : undefined);
  const lines: string[] = [];
  const changes: string[] = [];
  let previous: SellerView | undefined;
  for (const m of months) {
    const lead = leaderOf(m);
    lines.push(`${formatMonth(m.month)}: ${leadWords(data, m.order)}`);
    if (lead && previous && lead !== previous) changes.push(`${sellerLabel(data, lead.seller.id)} took the lead in ${formatMonth(m.month)}`);
    if (lead) previous = lead;
  }
  let headline: string;
  if (q.lead === 'took') {
    // "did xiaomi take the lead": the months in which A led after B (or led in the first month on record).
    const took = months.find((m, i) => leaderOf(m) === a && (i === 0 ? true : leaderOf(months[i - 1]!) !== a));
    const event = took && data.eventsDuring(took.month).find((e) => /first time/i.test(e.title) && e.entities.includes(a.asked.id));
    headline = took
      ? `Yes: ${nameA} was ahead in ${formatMonth(took.month)}${took === months[0] ? (event ? ` — "${event.title}", per the source` : ' (the first month on record for both)') : `, taking the lead from ${sellerLabel(data, b.seller.id)}`}.`
      : `No: ${nameA} was not proven ahead in any month on record with both.`;
    const lost = took && months.find((m) => m.month > took.month && leaderOf(m) === b);
    if (lost) headline += ` ${sellerLabel(data, b.seller.id)} took the lead back in ${formatMonth(lost.month)}.`;
  } else {
    const lostAt = months.find((m) => {
      const l = leaderOf(m);
      return l !== undefined && l !== a;
    });
    if (lostAt) {
      const back = months.find((m) => m.month > lostAt.month && leaderOf(m) === a);
      headline = `Yes: ${nameA} was behind in ${formatMonth(lostAt.month)}${back ? `, and took the lead back in ${formatMonth(back.month)}` : ''}.`;
      if (lostAt === months[0]) headline += ` (${formatMonth(lostAt.month)} is the first month on record for both.)`;
    } else if (months.every((m) => leaderOf(m) === a)) headline = `No: ${nameA} led in every month on record with both.`;
    else headline = `Not proven: in some months the order is not known.`;
  }
  return stating(answer(`Lead changes: ${a.asked.name} and ${b.asked.name}`, [{ type: 'text', lines: [headline, ...lines, ...changes.map((c) => `${c}.`)] }], sourceRefs(data, months.flatMap((m) => [...m.a.sources, ...m.b.sources, ...(m.order.kind === 'ahead' && m.order.standing ? m.order.standing.sources : [])])), [`/compare ${lower(a.asked)} ${lower(b.asked)}`]), months.flatMap((m) => [m.a, m.b]));
}

