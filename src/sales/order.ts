/**
 * Which of two figures is larger, stated only when proven: by the intervals themselves, or by a source that
 * states the order (a standing). "over 28,000" next to 28,500 proves nothing, and the reply must say so.
 */
import type { DatasetIndex } from '../data/index.js';
import type { Sale, Standing } from '../data/schema.js';
import { difference, figureOf, type Figure } from './figures.js';

/** An approximate figure without a margin is taken as ±5% when ordering: close figures stay unordered. */
const APPROXIMATE_SPREAD = 0.05;

/** The range a figure may really lie in, for deciding an order. */
export function orderRange(sale: Sale): Figure {
  const f = figureOf(sale);
  if (sale.qualifier === 'approximate' && sale.margin === undefined) {
    const spread = Math.round(sale.units * APPROXIMATE_SPREAD);
    return { lo: f.lo - spread, hi: f.hi + spread, approximate: true };
  }
  return f;
}

export type Order =
  /** `first` is ahead of `second`; `standing` when only a source's statement proves it. */
  | { kind: 'ahead'; first: Sale; second: Sale; gap: Figure; standing?: Standing }
  | { kind: 'level'; first: Sale; second: Sale }
  | { kind: 'unknown'; first: Sale; second: Sale; why: string[] };

/** The standing (if any) in which a source puts `leader` ahead of `other` in that month. */
export function statedOrder(data: DatasetIndex, month: string, leader: string, other: string): Standing | undefined {
  return data.standingsIn(month).find((s) => s.leader === leader && (!s.over || s.over.includes(other)));
}

/** Why a figure cannot be ordered against a close one, in a reader's words. */
export function uncertainty(data: DatasetIndex, sale: Sale): string | undefined {
  const name = data.entity(sale.seller)?.name ?? sale.seller;
  if (sale.qualifier === 'at_least') return `${name}'s figure is a lower bound`;
  if (sale.qualifier === 'approximate') return `${name}'s figure is approximate${sale.margin === undefined ? ' with no stated margin' : ''}`;
  return undefined;
}

/** Orders two figures of one month: larger first when proven. */
export function order(data: DatasetIndex, a: Sale, b: Sale): Order {
  const ra = orderRange(a);
  const rb = orderRange(b);
  if (ra.lo > rb.hi) return { kind: 'ahead', first: a, second: b, gap: difference(figureOf(a), figureOf(b)) };
  if (rb.lo > ra.hi) return { kind: 'ahead', first: b, second: a, gap: difference(figureOf(b), figureOf(a)) };
  if (a.qualifier === 'exact' && b.qualifier === 'exact') return { kind: 'level', first: a, second: b };
  for (const [x, y] of [[a, b], [b, a]] as const) {
    const standing = statedOrder(data, x.month, x.seller, y.seller);
    if (standing) {
      // The source proves x > y: the gap is positive, and at most what the intervals allow.
      return { kind: 'ahead', first: x, second: y, gap: difference(figureOf(x), figureOf(y)), standing };
    }
  }
  return { kind: 'unknown', first: a, second: b, why: [a, b].flatMap((s) => uncertainty(data, s) ?? []) };
}

/** One row of a ranking: `tied` when its order against the row above is not known. */
export interface RankedSale {
  sale: Sale;
  rank: number;
  tied: boolean;
}

/**
 * Sellers of one month ranked by their figures. A row whose order against the one above cannot be proven shares
 * its rank ("2="); the leader is named only when it is proven ahead of every other seller.
 */
export function rank(data: DatasetIndex, sales: readonly Sale[]): { rows: RankedSale[]; leader?: Sale; margin?: Order & { kind: 'ahead' } } {
  const items = sales.map((sale) => ({ sale, range: orderRange(sale) }));
  items.sort((a, b) => b.range.lo - a.range.lo || b.sale.units - a.sale.units || (a.sale.seller < b.sale.seller ? -1 : 1));
  const ranges = new Map(items.map((x) => [x.sale, x.range]));
  const rows: RankedSale[] = [];
  items.forEach(({ sale, range }, i) => {
    const above = items[i - 1];
    // Clearly apart (the usual case in a large market), or put in order by a source.
    const ahead = above !== undefined && (above.range.lo > range.hi || statedOrder(data, sale.month, above.sale.seller, sale.seller) !== undefined);
    rows.push({ sale, rank: !above ? 1 : ahead ? i + 1 : rows[i - 1]!.rank, tied: above !== undefined && !ahead });
  });
  const top = rows[0];
  if (!top) return { rows };
  const others = rows.slice(1);
  if (others.length === 0) return { rows, leader: top.sale };
  // The top row leads only if it is proven ahead of every other row, not merely of its neighbour. Rows clearly
  // below it need no proof; the ones whose range reaches the top's must be proven by an order.
  const topLo = ranges.get(top.sale)!.lo;
  const overlapping = others.filter((r) => ranges.get(r.sale)!.hi >= topLo).map((r) => order(data, top.sale, r.sale));
  if (overlapping.some((o) => o.kind !== 'ahead' || o.first !== top.sale)) return { rows };
  // The lead over the field is the smallest gap to any other seller, as the runner-up may not be known.
  const t = figureOf(top.sale);
  const gap = { lo: Infinity, hi: Infinity, approximate: t.approximate };
  for (const r of others) {
    const f = figureOf(r.sale);
    gap.lo = Math.min(gap.lo, t.lo - f.hi);
    gap.hi = Math.min(gap.hi, t.hi - f.lo);
    gap.approximate ||= f.approximate;
  }
  const second = order(data, top.sale, others[0]!.sale) as Order & { kind: 'ahead' };
  const standing = overlapping.flatMap((o) => (o.kind === 'ahead' && o.standing ? [o.standing] : []))[0];
  return { rows, leader: top.sale, margin: { ...second, kind: 'ahead', first: top.sale, gap, ...(standing ? { standing } : {}) } };
}
