/**
 * Name resolution: an exact map of normalised aliases first, fuse.js only for what misses.
 * The fuzzy threshold is strict enough that nonsense stays unknown instead of becoming a company.
 */
import Fuse from 'fuse.js';
import { normalizeName } from './normalize.js';

export type Resolution<T> =
  | { kind: 'found'; value: T; via: 'exact' | 'fuzzy' }
  | { kind: 'ambiguous'; candidates: T[] }
  | { kind: 'unknown' };

interface AliasEntry<T> {
  key: string;
  value: T;
}

const MAX_QUERY_LENGTH = 100;
/** fuse.js proposes candidates; this many are re-ranked by edit distance. */
const CANDIDATES = 20;

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

export class NameResolver<T> {
  private readonly exactMap = new Map<string, T>();
  private readonly sorted: AliasEntry<T>[];
  private readonly fuse: Fuse<AliasEntry<T>>;

  constructor(
    aliases: Iterable<{ alias: string; value: T }>,
    private readonly idOf: (value: T) => string,
  ) {
    const entries: AliasEntry<T>[] = [];
    for (const { alias, value } of aliases) {
      const key = normalizeName(alias);
      if (!key || this.exactMap.has(key)) continue;
      this.exactMap.set(key, value);
      entries.push({ key, value });
    }
    this.sorted = entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.fuse = new Fuse(entries, { keys: ['key'], includeScore: true, ignoreLocation: true, threshold: 0.6 });
  }

  exact(key: string): T | undefined {
    return this.exactMap.get(key);
  }

  resolve(query: string): Resolution<T> {
    const key = normalizeName(query.slice(0, MAX_QUERY_LENGTH));
    if (!key) return { kind: 'unknown' };
    const hit = this.exactMap.get(key);
    if (hit !== undefined) return { kind: 'found', value: hit, via: 'exact' };
    const budget = typoBudget(key.length);
    if (budget === 0) return { kind: 'unknown' };
    const close = this.fuzzy(key).filter((c) => c.distance <= budget);
    const [best] = close;
    if (!best) return { kind: 'unknown' };
    const tied = close.filter((c) => c.distance === best.distance);
    if (tied.length > 1) return { kind: 'ambiguous', candidates: tied.slice(0, 3).map((c) => c.value) };
    return { kind: 'found', value: best.value, via: 'fuzzy' };
  }

  /** Prefix matches in alphabetical order, then fuzzy matches; each value once. */
  complete(prefix: string, limit: number): T[] {
    const key = normalizeName(prefix.slice(0, MAX_QUERY_LENGTH));
    const out = new Map<string, T>();
    const add = (value: T) => {
      if (out.size < limit && !out.has(this.idOf(value))) out.set(this.idOf(value), value);
    };
    for (let i = this.lowerBound(key); i < this.sorted.length && out.size < limit; i++) {
      const entry = this.sorted[i]!;
      if (!entry.key.startsWith(key)) break;
      add(entry.value);
    }
    if (key.length >= 2) for (const c of this.fuzzy(key)) add(c.value);
    return [...out.values()];
  }

  /** fuse.js candidates, re-ranked by edit distance (then fuse.js order); each value once, closest first. */
  private fuzzy(key: string): { value: T; distance: number }[] {
    const best = new Map<string, { value: T; distance: number; rank: number }>();
    this.fuse.search(key, { limit: CANDIDATES }).forEach((r, rank) => {
      const id = this.idOf(r.item.value);
      const distance = editDistance(key, r.item.key);
      const seen = best.get(id);
      if (!seen || distance < seen.distance) best.set(id, { value: r.item.value, distance, rank: seen?.rank ?? rank });
    });
    return [...best.values()].sort((a, b) => a.distance - b.distance || a.rank - b.rank);
  }

  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]!.key < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
