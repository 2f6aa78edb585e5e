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
  const margin = sale.qualifier === 'approximate' ? sale.margin ?? 0 : 0;
  return {
    lo: sale.units - margin,
    hi: sale.qualifier === 'at_least' ? sale.upTo ?? Infinity : sale.units + margin,
    approximate: sale.qualifier === 'approximate',
  };
}

export function sum(figures: readonly Figure[]): Figure {
  return figures.reduce((t, f) => ({ lo: t.lo + f.lo, hi: t.hi + f.hi, approximate: t.approximate || f.approximate }), { lo: 0, hi: 0, approximate: false });
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

/**
 * A change in words that cannot be misread: "up 16,899", "down 585", "down at most 585" (a later lower bound),
 * "up at least 1,000", "between −200 and +300". `percentOf` adds the relative change against that base.
 */
export function describeChange(change: Figure, base?: Figure): string {
  const exactBase = base && base.lo === base.hi && base.lo > 0 ? base.lo : undefined;
  const pct = (n: number, bound = '') => (exactBase ? ` (${bound}${n > 0 ? '+' : n < 0 ? '−' : ''}${formatPercent(Math.abs(n) / exactBase)})` : '');
  const about = change.approximate ? 'about ' : '';
  const { lo, hi } = change;
  if (lo === hi) return lo === 0 ? `unchanged${change.approximate ? ' (approximately)' : ''}` : `${lo > 0 ? 'up' : 'down'} ${about}${formatNumber(Math.abs(lo))}${pct(lo)}`;
  if (Number.isFinite(lo) && !Number.isFinite(hi)) return lo >= 0 ? `up at least ${about}${formatNumber(lo)}${pct(lo, 'at least ')}` : `down at most ${about}${formatNumber(-lo)}${pct(lo, 'at most ')}`;
  if (!Number.isFinite(lo) && Number.isFinite(hi)) return hi <= 0 ? `down at least ${about}${formatNumber(-hi)}${pct(hi, 'at least ')}` : `up at most ${about}${formatNumber(hi)}${pct(hi, 'at most ')}`;
  if (Number.isFinite(lo) && Number.isFinite(hi)) return `between ${signedNumber(lo)} and ${signedNumber(hi)}`;
  return 'unknown';
}

/** "61.3%": one decimal, as leaders read growth. */
export function formatPercent(ratio: number): string {
  return `${(Math.round(ratio * 1000) / 10).toFixed(1)}%`;
}

export const signedNumber = signed;
