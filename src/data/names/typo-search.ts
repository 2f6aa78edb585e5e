/**
 * Every alias within a typo budget of a key, with its distance, found through the bigram index so the
 * cost does not grow with the number of aliases. None within the budget is missed.
 */
import { BigramIndex, bigrams } from './bigram-index.js';
import { boundedDistance, DistanceRows } from './edit-distance.js';

export class TypoSearch {
  private readonly index: BigramIndex;
  private readonly rows = new DistanceRows();
  /** Per-query "already seen" marks: a stamp per alias avoids clearing a set on every query. */
  private readonly seen: Uint32Array;
  private stamp = 0;

  /** `keys`: the aliases' normalised keys; positions in it are what every answer refers to. */
  constructor(private readonly keys: readonly string[]) {
    this.index = new BigramIndex(keys);
    this.seen = new Uint32Array(keys.length);
  }

  /** The distance from `key` to the alias at `position` when it is at most `budget`, else `budget + 1`. */
  distance(key: string, position: number, budget: number): number {
    return boundedDistance(key, this.keys[position]!, budget, this.rows);
  }

  /**
   * Every alias within `budget` of `key`, with its distance. An alias that close shares all but at most
   * 3 × budget of the key's distinct bigrams (an edit breaks at most three), so it is in at least one of
   * the key's 3 × budget + 1 rarest bigram lists, within `budget` of the key's length.
   */
  within(key: string, budget: number): Map<number, number> {
    const found = new Map<number, number>();
    const lo = Math.max(1, key.length - budget);
    const hi = key.length + budget;
    const stamp = this.nextStamp();
    const check = (p: number) => {
      if (this.seen[p] === stamp) return;
      this.seen[p] = stamp;
      const d = this.distance(key, p, budget);
      if (d <= budget) found.set(p, d);
    };
    const grams = bigrams(key);
    const needed = 3 * budget + 1;
    if (grams.length < needed) {
      // Too few bigrams to filter on (e.g. "aaaa"): every alias of a possible length is checked.
      const [from, to] = this.index.lengthRun(lo, hi);
      for (let p = from; p < to; p++) check(this.index.byLengthAt(p));
      return found;
    }
    const runs = grams.map((g) => this.index.run(g, lo, hi)).sort((a, b) => a[1] - a[0] - (b[1] - b[0])).slice(0, needed);
    for (const [from, to] of runs) for (let p = from; p < to; p++) check(this.index.posting(p));
    return found;
  }

  private nextStamp(): number {
    if (this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }
}
