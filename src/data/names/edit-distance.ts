/**
 * Edit distances between normalised keys: the full one, and a banded one that gives up past a budget.
 * Both count insertions, deletions, substitutions and adjacent swaps (optimal string alignment).
 */

/**
 * How many typos a key of this length may carry and still be an answer. fuse.js alone scores
 * substrings well ("tesla" inside "stelato"), so the verdict is an edit distance over the whole key.
 */
export function typoBudget(length: number): number {
  if (length <= 3) return 0;
  if (length <= 5) return 1;
  return 2;
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

/** Reusable rows for `boundedDistance`, so verifying thousands of candidates allocates nothing. */
export class DistanceRows {
  a = new Int32Array(64);
  b = new Int32Array(64);
  c = new Int32Array(64);

  fit(size: number): void {
    if (this.a.length >= size) return;
    this.a = new Int32Array(size * 2);
    this.b = new Int32Array(size * 2);
    this.c = new Int32Array(size * 2);
  }
}

/**
 * `editDistance(a, b)` when it is at most `max`, else `max + 1`. Only the diagonal band |i − j| ≤ max can
 * hold a distance that small, so only it is computed, and it stops as soon as a whole row is over (row
 * minima never decrease, so no later row can come back under).
 */
export function boundedDistance(a: string, b: string, max: number, rows: DistanceRows): number {
  const m = a.length;
  const n = b.length;
  const over = max + 1;
  if (Math.abs(m - n) > max) return over;
  rows.fit(n + 2);
  let prev2 = rows.a;
  let prev = rows.b;
  let cur = rows.c;
  for (let j = 0; j <= n; j++) prev[j] = j <= max ? j : over;
  prev[n + 1] = over;
  for (let i = 1; i <= m; i++) {
    const ai = a.charCodeAt(i - 1);
    const aBefore = i > 1 ? a.charCodeAt(i - 2) : -1;
    const lo = Math.max(1, i - max);
    const hi = Math.min(n, i + max);
    // The cells just outside the band read as "too far", whatever an earlier call left there.
    cur[lo - 1] = lo === 1 ? Math.min(i, over) : over;
    cur[hi + 1] = over;
    let rowMin = cur[lo - 1]!;
    for (let j = lo; j <= hi; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = prev[j - 1]! + (ai === bj ? 0 : 1);
      if (prev[j]! + 1 < d) d = prev[j]! + 1;
      if (cur[j - 1]! + 1 < d) d = cur[j - 1]! + 1;
      if (j > 1 && ai === b.charCodeAt(j - 2) && aBefore === bj && prev2[j - 2]! + 1 < d) d = prev2[j - 2]! + 1;
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return over;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[n]!, over);
}
