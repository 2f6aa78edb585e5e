/**
 * The figures grouped for look-ups: by month, and by seller in month order. Built in steps, so a reload of a
 * million figures can yield to waiting answers between steps (`buildSalesIndexAsync`) while a first load runs
 * them back to back (`buildSalesIndex`): one code path, two pacings.
 */
import type { Sale, YearMonth } from './schema.js';

export interface SalesIndex {
  byMonth: Map<string, Sale[]>;
  /** Every month with at least one figure, oldest first. */
  months: YearMonth[];
  /** Each seller's figures sorted by month; sellers in order of their first month on record (ties: file order). */
  bySeller: Map<string, Sale[]>;
}

/** Figures handled between two yields: a few milliseconds of work. */
const STEP = 20_000;

const byMonth = (a: Sale, b: Sale) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0);

function* append<T>(out: Map<string, T[]>, items: readonly T[], keyOf: (item: T) => string): Generator<void> {
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const key = keyOf(item);
    const list = out.get(key);
    if (list) list.push(item);
    else out.set(key, [item]);
    if (i % STEP === STEP - 1) yield;
  }
}

function* steps(sales: readonly Sale[], result: SalesIndex): Generator<void> {
  yield* append(result.byMonth, sales, (s) => s.month);
  result.months.push(...[...result.byMonth.keys()].sort());
  const bySeller = new Map<string, Sale[]>();
  yield* append(bySeller, sales, (s) => s.seller);
  let done = 0;
  for (const list of bySeller.values()) {
    // Figures usually come month by month: a sorted list is left as it is (sort is stable, so that is the same).
    let sorted = true;
    for (let i = 1; i < list.length && sorted; i++) sorted = list[i - 1]!.month <= list[i]!.month;
    if (!sorted) list.sort(byMonth);
    done += list.length;
    if (done >= STEP) {
      done = 0;
      yield;
    }
  }
  // What a stable sort of every figure by month followed by grouping gives, without sorting a million figures.
  for (const month of result.months) {
    for (const s of result.byMonth.get(month)!) if (!result.bySeller.has(s.seller)) result.bySeller.set(s.seller, bySeller.get(s.seller)!);
    if (result.bySeller.size === bySeller.size) break;
    yield;
  }
}

const empty = (): SalesIndex => ({ byMonth: new Map(), months: [], bySeller: new Map() });

export function buildSalesIndex(sales: readonly Sale[]): SalesIndex {
  const result = empty();
  for (const _ of steps(sales, result));
  return result;
}

/** The same, yielding to the event loop between steps, so answers keep flowing during a reload. */
export async function buildSalesIndexAsync(sales: readonly Sale[]): Promise<SalesIndex> {
  const result = empty();
  for (const _ of steps(sales, result)) await new Promise<void>((resolve) => setImmediate(resolve));
  return result;
}
