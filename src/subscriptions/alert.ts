/**
 * Alerts on a seller's month: "below 30000", "above 30000", "change below -5%", "change above 10%". A figure is
 * an interval (src/sales/figures.ts), so a condition is proven, disproven, or cannot be decided: "over 28,000"
 * proves "above 25,000", disproves "below 20,000", and decides neither "above 30,000" nor "below 30,000". An
 * approximate figure without a margin is read as ±5%, as orders are (src/sales/order.ts).
 */
import type { DatasetIndex } from '../data/index.js';
import type { Sale, YearMonth } from '../data/schema.js';
import { describeUnits, formatNumber, formatPercent, type Figure } from '../sales/figures.js';
import { formatMonth, previousMonth } from '../sales/months.js';
import { orderRange } from '../sales/order.js';
import type { Condition } from './schema.js';

export type Verdict =
  | { kind: 'proven'; figure: string; detail: string; sales: Sale[] }
  | { kind: 'disproven' }
  | { kind: 'undecidable'; why: string; sales: Sale[] };

/**
 * How a condition is written: an optional "change", an optional verb ("drops", "falls", "rises", "is"), then a
 * direction: below, under, less/fewer than, "<"; above, over, more than, exceeds, ">".
 */
const VERB = String.raw`(?:(?:drops?|falls?|dips?|goes|rises?|climbs?|gets|is|stays)\s+)?`;
const DIRECTION = String.raw`(below|under|(?:less|fewer)\s+than|above|over|more\s+than|exceeds?)\s+|([<>])\s*`;
const CONDITION_START = String.raw`(?:change\s+)?${VERB}(?:${DIRECTION})`;
const CONDITION = new RegExp(String.raw`^(change\s+)?${VERB}(?:${DIRECTION})([-+−]?\s*\d[\d,. ]*)\s*(%?)$`, 'u');
const BELOW = /^(?:below|under|less|fewer|<)/;

/** "xiaomi below 30000" → the seller's words and the condition's; undefined when no condition is there. */
export function splitCondition(text: string): { seller: string; condition: string } | undefined {
  const m = text.match(new RegExp(String.raw`^(.*?)\s+(${CONDITION_START}.*)$`, 'i'));
  return m ? { seller: m[1]!.trim(), condition: m[2]!.trim() } : undefined;
}

/** "below 30000", "above 28,000", "change above 10%", "change below -5 %": the condition, or why it cannot be read. */
export function parseCondition(text: string): Condition | { problem: string } {
  const m = text.trim().toLowerCase().match(CONDITION);
  if (!m) return { problem: 'Write the condition as "below <units>", "above <units>", "change below <percent>%" or "change above <percent>%".' };
  const [, change, word, symbol, number, percent] = m;
  const direction = BELOW.test(word ?? symbol!) ? 'below' : 'above';
  const raw = number!.replace(/[\s,]/g, '').replace('−', '-');
  const value = Number(raw);
  if (!Number.isFinite(value)) return { problem: `"${number!.trim()}" is not a number.` };
  if (change) {
    if (percent !== '%') return { problem: 'A change is a percentage: e.g. "change above 10%".' };
    if (value < -100 || value > 100_000) return { problem: 'A change is between -100% and 100000%.' };
    return { measure: 'change', direction, percent: value };
  }
  if (percent === '%') return { problem: 'A percentage is a change: write "change above 10%", or give units ("above 30000").' };
  if (!Number.isInteger(value) || value < 0) return { problem: `Units are a whole number of vehicles, e.g. 30000 (not "${number!.trim()}").` };
  return { measure: 'units', direction, units: value };
}

/** "below 30,000 units", "a change above +10.0%". */
export function describeCondition(c: Condition): string {
  if (c.measure === 'units') return `${c.direction} ${formatNumber(c.units)} units`;
  return `a change ${c.direction} ${c.percent > 0 ? '+' : c.percent < 0 ? '−' : ''}${formatPercent(Math.abs(c.percent) / 100)} on the month before`;
}

/** Whether [lo, hi] lies wholly on the condition's side of `threshold` (proven), wholly off it, or across it. */
function decide(range: Pick<Figure, 'lo' | 'hi'>, direction: 'below' | 'above', threshold: number): 'proven' | 'disproven' | 'undecidable' {
  if (direction === 'above') return range.lo > threshold ? 'proven' : range.hi <= threshold ? 'disproven' : 'undecidable';
  return range.hi < threshold ? 'proven' : range.lo >= threshold ? 'disproven' : 'undecidable';
}

const qualified = (sale: Sale) => (sale.qualifier === 'at_least' ? ' (a lower bound)' : sale.qualifier === 'approximate' ? ` (approximate${sale.margin === undefined ? ', no stated margin' : ''})` : '');

/** The alert's verdict on one seller's month. */
export function evaluateAlert(data: DatasetIndex, seller: string, month: YearMonth, condition: Condition): Verdict {
  const sale = data.sale(seller, month);
  if (!sale) return { kind: 'disproven' };
  const name = data.entity(seller)?.name ?? seller;
  if (condition.measure === 'units') {
    const outcome = decide(orderRange(sale), condition.direction, condition.units);
    const figure = `${describeUnits(sale)}${qualified(sale)}`;
    if (outcome === 'proven') return { kind: 'proven', figure, detail: `${name} sold ${figure} in ${formatMonth(month)}: ${describeCondition(condition)}.`, sales: [sale] };
    if (outcome === 'disproven') return { kind: 'disproven' };
    return { kind: 'undecidable', sales: [sale], why: `${name}'s ${formatMonth(month)} figure is ${figure}, so whether it is ${describeCondition(condition)} cannot be decided.` };
  }
  const before = previousMonth(month);
  const base = data.sale(seller, before);
  if (!base) {
    return { kind: 'undecidable', sales: [sale], why: `${name} has no figure for ${formatMonth(before)}, so the change in ${formatMonth(month)} cannot be worked out.` };
  }
  const now = orderRange(sale);
  const then = orderRange(base);
  // The relative change as an interval: the smallest now over the largest then, and the other way round.
  const ratio = { lo: now.lo / then.hi - 1, hi: then.lo > 0 ? now.hi / then.lo - 1 : Infinity };
  const outcome = decide(ratio, condition.direction, condition.percent / 100);
  const change = describeRatio(ratio);
  const figures = `${describeUnits(sale)}${qualified(sale)} in ${formatMonth(month)} against ${describeUnits(base)}${qualified(base)} in ${formatMonth(before)}`;
  if (outcome === 'proven') return { kind: 'proven', figure: change, detail: `${name}: ${figures}, ${change}: ${describeCondition(condition)}.`, sales: [sale, base] };
  if (outcome === 'disproven') return { kind: 'disproven' };
  return { kind: 'undecidable', sales: [sale, base], why: `${name}: ${figures} is ${change}, so whether it is ${describeCondition(condition)} cannot be decided.` };
}

/** "+12.3%", "at least +2.0%", "between −5.0% and +3.0%": the change as the interval it is. */
function describeRatio({ lo, hi }: { lo: number; hi: number }): string {
  const pct = (r: number) => `${r > 0 ? '+' : r < 0 ? '−' : ''}${formatPercent(Math.abs(r))}`;
  if (lo === hi) return `a change of ${pct(lo)}`;
  if (!Number.isFinite(hi)) return `a change of at least ${pct(lo)}`;
  return `a change between ${pct(lo)} and ${pct(hi)}`;
}
