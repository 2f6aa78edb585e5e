/**
 * Name resolution: an exact map of normalised aliases first; for what misses, an index picks the few
 * aliases that can be close enough, and only those are scored by fuse.js and an edit distance. The
 * threshold is strict enough that nonsense stays unknown instead of becoming a company.
 *
 * The index keeps the cost of a typo or an autocomplete independent of how many names are known:
 * - typos: a bigram index with a length filter finds every alias within the typo budget (none is missed);
 * - autocomplete: a walk over the sorted aliases (an implicit trie) finds aliases whose start is within
 *   a typo or two of what was typed.
 */
import Fuse from 'fuse.js';
import { normalizeName } from './normalize.js';

export type Resolution<T> =
  | { kind: 'found'; value: T; via: 'exact' | 'fuzzy' }
  | { kind: 'ambiguous'; candidates: T[] }
  | { kind: 'unknown' };

/** What fuse.js searches: the normalised alias (positions map results back to values). */
interface AliasKey {
  key: string;
}

const MAX_QUERY_LENGTH = 100;
/** fuse.js proposes candidates for the autocomplete fill; this many are re-ranked by edit distance. */
const CANDIDATES = 20;
/** Up to this many aliases, the autocomplete fill asks fuse.js about all of them (cheap, and as before). */
const SMALL_DICTIONARY = 200;
/** Above it, the fill hands fuse.js at most this many aliases picked by the index... */
const FILL_POOL = 100;
/** ...taking at most this many (alphabetically) from any one close prefix, so one busy prefix cannot fill it. */
const FILL_PER_PREFIX = 10;
/** A bound on the autocomplete walk, whatever the dictionary looks like. */
const MAX_WALK_NODES = 50_000;
const FUSE_OPTIONS = { keys: ['key'], includeScore: true, ignoreLocation: true, threshold: 0.6 };

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
class Rows {
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
function boundedDistance(a: string, b: string, max: number, rows: Rows): number {
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

/** Code units no normalised key contains, marking a key's start and end so edges count as bigrams. */
const START = 1;
const END = 2;

/** The distinct bigrams of `^key$`, as numbers. */
function bigrams(key: string): number[] {
  const out: number[] = [];
  let before = START;
  for (let i = 0; i <= key.length; i++) {
    const c = i < key.length ? key.charCodeAt(i) : END;
    const gram = before * 65536 + c;
    if (!out.includes(gram)) out.push(gram);
    before = c;
  }
  return out;
}

/**
 * Aliases by bigram, each list ordered by key length then position, so "aliases with this bigram and a
 * length from lo to hi" is one contiguous run found by binary search. Flat typed arrays keep it compact.
 */
class BigramIndex {
  private readonly slots = new Map<number, number>();
  private readonly offsets: Int32Array;
  private readonly postings: Int32Array;
  /** Alias positions ordered by key length, and where each length starts. */
  private readonly byLength: Int32Array;
  private readonly lengthStart: Int32Array;
  readonly maxLength: number;

  constructor(private readonly lengths: Int32Array, keys: readonly string[]) {
    const count = keys.length;
    let maxLength = 0;
    for (let i = 0; i < count; i++) maxLength = Math.max(maxLength, lengths[i]!);
    this.maxLength = maxLength;
    // Counting sort by length; positions stay ascending within a length.
    this.lengthStart = new Int32Array(maxLength + 2);
    for (let i = 0; i < count; i++) this.lengthStart[lengths[i]! + 1]!++;
    for (let l = 1; l <= maxLength + 1; l++) this.lengthStart[l]! += this.lengthStart[l - 1]!;
    this.byLength = new Int32Array(count);
    const cursor = this.lengthStart.slice();
    for (let i = 0; i < count; i++) this.byLength[cursor[lengths[i]!]!++] = i;

    // Two passes: count each bigram's aliases, then fill the lists in (length, position) order.
    const gramsOf: number[][] = new Array(count);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const grams = bigrams(keys[i]!);
      const slots = grams.map((g) => {
        let slot = this.slots.get(g);
        if (slot === undefined) {
          slot = sizes.length;
          this.slots.set(g, slot);
          sizes.push(0);
        }
        sizes[slot]!++;
        return slot;
      });
      gramsOf[i] = slots;
    }
    this.offsets = new Int32Array(sizes.length + 1);
    for (let s = 0; s < sizes.length; s++) this.offsets[s + 1] = this.offsets[s]! + sizes[s]!;
    this.postings = new Int32Array(this.offsets[sizes.length]!);
    const fill = this.offsets.slice(0, sizes.length);
    for (const i of this.byLength) for (const slot of gramsOf[i]!) this.postings[fill[slot]!++] = i;
  }

  /** The run of `postings` holding aliases with this bigram and a key length in [lo, hi]. */
  run(gram: number, lo: number, hi: number): [number, number] {
    const slot = this.slots.get(gram);
    if (slot === undefined) return [0, 0];
    return [this.firstLonger(this.offsets[slot]!, this.offsets[slot + 1]!, lo - 1), this.firstLonger(this.offsets[slot]!, this.offsets[slot + 1]!, hi)];
  }

  posting(p: number): number {
    return this.postings[p]!;
  }

  /** Every alias with a key length in [lo, hi], as a run of `byLength`. */
  lengthRun(lo: number, hi: number): [number, number] {
    const clamp = (l: number) => Math.max(0, Math.min(l, this.maxLength + 1));
    return [this.lengthStart[clamp(lo)]!, this.lengthStart[clamp(hi + 1)]!];
  }

  byLengthAt(p: number): number {
    return this.byLength[p]!;
  }

  /** First position in [from, to) whose alias is longer than `length`. */
  private firstLonger(from: number, to: number, length: number): number {
    let lo = from;
    let hi = to;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.lengths[this.postings[mid]!]! <= length) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export class NameResolver<T> {
  private readonly exactMap = new Map<string, T>();
  /** Aliases sorted by key: positions in these arrays are fuse.js's collection order, as before. */
  private readonly keys: string[];
  private readonly values: T[];
  private readonly index: BigramIndex;
  /** Every alias position of a value, so a value's rank can be taken from its best-ranked alias. */
  private readonly positionsOf = new Map<string, number[]>();
  private readonly rows = new Rows();
  /** Per-query "already seen" marks: a stamp per alias avoids clearing a set on every query. */
  private readonly seen: Uint32Array;
  private stamp = 0;
  private allFuse?: Fuse<AliasKey>;

  constructor(
    aliases: Iterable<{ alias: string; value: T }>,
    private readonly idOf: (value: T) => string,
  ) {
    for (const { alias, value } of aliases) {
      const key = normalizeName(alias);
      if (key && !this.exactMap.has(key)) this.exactMap.set(key, value);
    }
    // Keys are unique, so the default sort (by UTF-16 code units, as `<` compares) orders them fully.
    this.keys = [...this.exactMap.keys()].sort();
    this.values = this.keys.map((k) => this.exactMap.get(k)!);
    const lengths = new Int32Array(this.keys.length);
    for (let i = 0; i < this.keys.length; i++) {
      lengths[i] = this.keys[i]!.length;
      const id = idOf(this.values[i]!);
      const list = this.positionsOf.get(id);
      if (list) list.push(i);
      else this.positionsOf.set(id, [i]);
    }
    this.index = new BigramIndex(lengths, this.keys);
    this.seen = new Uint32Array(this.keys.length);
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
    const close = this.typos(key, budget).filter((c) => c.distance <= budget);
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
    for (let i = this.lowerBound(key); i < this.keys.length && out.size < limit; i++) {
      if (!this.keys[i]!.startsWith(key)) break;
      add(this.values[i]!);
    }
    if (key.length >= 2 && out.size < limit) for (const c of this.fill(key)) add(c.value);
    return [...out.values()];
  }

  /**
   * Values with an alias within `budget` typos of `key`, closest first (ties: fuse.js order), each
   * once. fuse.js ranks the aliases within the budget plus the other aliases of their values, which
   * keeps each value's rank what it was when fuse.js ranked every alias.
   */
  private typos(key: string, budget: number): { value: T; distance: number }[] {
    const hits = this.within(key, budget);
    if (hits.size === 0) return [];
    const pool = new Set<number>(hits.keys());
    for (const p of hits.keys()) for (const q of this.positionsOf.get(this.idOf(this.values[p]!))!) pool.add(q);
    const positions = [...pool].sort((a, b) => a - b);
    // The other aliases only need "over budget or not": their value's verdict comes from the close ones.
    const distance = (p: number) => hits.get(p) ?? boundedDistance(key, this.keys[p]!, budget, this.rows);
    return this.ranked(key, this.fuseOver(positions), (i) => positions[i]!, distance);
  }

  /**
   * Every alias within `budget` of `key`, with its distance. An alias that close shares all but at most
   * 3 × budget of the key's distinct bigrams (an edit breaks at most three), so it is in at least one of
   * the key's 3 × budget + 1 rarest bigram lists, within `budget` of the key's length.
   */
  private within(key: string, budget: number): Map<number, number> {
    const found = new Map<number, number>();
    const lo = Math.max(1, key.length - budget);
    const hi = key.length + budget;
    const stamp = this.nextStamp();
    const check = (p: number) => {
      if (this.seen[p] === stamp) return;
      this.seen[p] = stamp;
      const d = boundedDistance(key, this.keys[p]!, budget, this.rows);
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

  /** Autocomplete fill: fuse.js over every alias of a small dictionary, else over the index's pick. */
  private fill(key: string): { value: T; distance: number }[] {
    const distance = (p: number) => editDistance(key, this.keys[p]!);
    if (this.keys.length <= SMALL_DICTIONARY) {
      this.allFuse ??= new Fuse(this.keys.map((k) => ({ key: k })), FUSE_OPTIONS);
      return this.ranked(key, this.allFuse, (i) => i, distance, CANDIDATES);
    }
    const positions = this.startingCloseTo(key, key.length <= 5 ? 1 : 2);
    if (positions.length === 0) return [];
    return this.ranked(key, this.fuseOver(positions), (i) => positions[i]!, distance, CANDIDATES);
  }

  /** fuse.js over some aliases, in their sorted order (fuse.js breaks score ties by collection order). */
  private fuseOver(positions: readonly number[]): Fuse<AliasKey> {
    return new Fuse(positions.map((p) => ({ key: this.keys[p]! })), FUSE_OPTIONS);
  }

  /**
   * fuse.js's matches (its top `limit`, or all) re-ranked by edit distance, then fuse.js order; each value
   * once, at its closest alias and its first fuse.js rank.
   */
  private ranked(
    key: string,
    fuse: Fuse<AliasKey>,
    positionOf: (refIndex: number) => number,
    distanceOf: (position: number) => number,
    limit?: number,
  ): { value: T; distance: number }[] {
    const best = new Map<string, { value: T; distance: number; rank: number }>();
    fuse.search(key, limit === undefined ? undefined : { limit }).forEach((r, rank) => {
      const p = positionOf(r.refIndex);
      const value = this.values[p]!;
      const id = this.idOf(value);
      const distance = distanceOf(p);
      const seen = best.get(id);
      if (!seen || distance < seen.distance) best.set(id, { value, distance, rank: seen?.rank ?? rank });
    });
    return [...best.values()].sort((a, b) => a.distance - b.distance || a.rank - b.rank);
  }

  /**
   * Alias positions whose first characters are within `budget` typos of `key`, closest prefixes first:
   * a walk over the sorted keys as a trie, one edit-distance row per node, pruned once a row is over. A
   * character the key does not contain costs a typo, so a node already at the budget only looks at
   * children whose character is in the key (found by binary search) instead of every child.
   */
  private startingCloseTo(key: string, budget: number): number[] {
    const n = key.length;
    const keyChars = [...new Set(Array.from({ length: n }, (_, j) => key.charCodeAt(j)))].sort((a, b) => a - b);
    const rows: Int32Array[] = [Int32Array.from({ length: n + 1 }, (_, j) => j)];
    const matches: { from: number; to: number; distance: number }[] = [];
    let nodes = 0;
    const visit = (from: number, to: number, depth: number, c: number) => {
      nodes++;
      const row = (rows[depth + 1] ??= new Int32Array(n + 1));
      const prev = rows[depth]!;
      const prev2 = rows[depth - 1];
      const before = depth > 0 ? this.keys[from]!.charCodeAt(depth - 1) : -1;
      row[0] = depth + 1;
      let rowMin = row[0]!;
      for (let j = 1; j <= n; j++) {
        const kj = key.charCodeAt(j - 1);
        let d = prev[j - 1]! + (c === kj ? 0 : 1);
        if (prev[j]! + 1 < d) d = prev[j]! + 1;
        if (row[j - 1]! + 1 < d) d = row[j - 1]! + 1;
        if (prev2 && j > 1 && c === key.charCodeAt(j - 2) && before === kj && prev2[j - 2]! + 1 < d) d = prev2[j - 2]! + 1;
        row[j] = d;
        if (d < rowMin) rowMin = d;
      }
      if (row[n]! <= budget) matches.push({ from, to, distance: row[n]! });
      else if (rowMin <= budget) walk(from, to, depth + 1, rowMin);
    };
    // Children of a node: runs of keys sharing the next character; keys that end at the node come first.
    const walk = (from: number, to: number, depth: number, rowMin: number) => {
      let i = from;
      while (i < to && this.keys[i]!.length === depth) i++;
      if (rowMin < budget) {
        while (i < to && nodes < MAX_WALK_NODES) {
          const c = this.keys[i]!.charCodeAt(depth);
          const end = this.firstAfter(i, to, depth, c);
          visit(i, end, depth, c);
          i = end;
        }
        return;
      }
      for (const c of keyChars) {
        const at = this.firstAfter(i, to, depth, c - 1);
        if (at >= to || this.keys[at]!.charCodeAt(depth) !== c || nodes >= MAX_WALK_NODES) continue;
        const end = this.firstAfter(at, to, depth, c);
        visit(at, end, depth, c);
        i = end;
      }
    };
    walk(0, this.keys.length, 0, 0);
    matches.sort((a, b) => a.distance - b.distance || a.from - b.from);
    const out = new Set<number>();
    for (const m of matches) {
      for (let p = m.from; p < m.to && p < m.from + FILL_PER_PREFIX && out.size < FILL_POOL; p++) out.add(p);
      if (out.size >= FILL_POOL) break;
    }
    return [...out].sort((a, b) => a - b);
  }

  /** First position in [from, to) whose key has a character after `c` at `depth` (keys there share a prefix). */
  private firstAfter(from: number, to: number, depth: number, c: number): number {
    let lo = from;
    let hi = to;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]!.charCodeAt(depth) <= c) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private nextStamp(): number {
    if (this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }

  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
