/**
 * Figures as intervals, so a lower bound stays a bound through every comparison and change:
 * "over 28,000" is [28000, ∞); 44,454 − [28000, ∞) = (−∞, 16,454], shown as "at most 16,454".
 */
import type { Sale } from '../data/schema.js';

export interface Figure {
  lo: number;
  hi: number;
  approximate: boolean;
}

export function figureOf(sale: Sale): Figure {
  return {
    lo: sale.units,
    hi: sale.qualifier === 'at_least' ? Infinity : sale.units,
    approximate: sale.qualifier === 'approximate',
  };
}

export function difference(a: Figure, b: Figure): Figure {
  return { lo: a.lo - b.hi, hi: a.hi - b.lo, approximate: a.approximate || b.approximate };
}

const fmt = new Intl.NumberFormat('en-US');
export const formatNumber = (n: number): string => fmt.format(n);
const signed = (n: number): string => (n > 0 ? `+${fmt.format(n)}` : n < 0 ? `−${fmt.format(-n)}` : '0');

/** A figure in words: "28,585", "at least 28,000", "about 28,000", "at most 16,454", "unknown". */
export function describe(f: Figure, options: { signed?: boolean } = {}): string {
  const num = options.signed ? signed : formatNumber;
  if (f.lo === f.hi) return f.approximate ? `about ${num(f.lo)}` : num(f.lo);
  const about = f.approximate ? 'about ' : '';
  if (Number.isFinite(f.lo) && !Number.isFinite(f.hi)) return `at least ${about}${num(f.lo)}`;
  if (!Number.isFinite(f.lo) && Number.isFinite(f.hi)) return `at most ${about}${num(f.hi)}`;
  if (Number.isFinite(f.lo) && Number.isFinite(f.hi)) return `between ${num(f.lo)} and ${num(f.hi)}`;
  return 'unknown';
}

/** A sale's units as the reply shows them: the source's own wording for a bound ("over 28,000"). */
export function describeUnits(sale: Sale): string {
  if (sale.qualifier === 'exact') return formatNumber(sale.units);
  return sale.reportedAs ?? describe(figureOf(sale));
}

/** The qualifier in a reader's words. */
export function qualifierLabel(sale: Sale): string {
  switch (sale.qualifier) {
    case 'exact':
      return 'exact';
    case 'at_least':
      return 'lower bound';
    case 'approximate':
      return 'approximate';
  }
}

/** Ordering by the reported figure: with a bound the order is the reported one, the gap says how sure. */
export function compareSales(a: Sale, b: Sale): number {
  return b.units - a.units;
}
