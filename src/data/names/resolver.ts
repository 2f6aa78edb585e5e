/**
 * Name resolution: an exact map of normalised aliases first; for what misses, an index picks the few
 * aliases that can be close enough, and only those are scored by fuse.js and an edit distance. The
 * threshold is strict enough that nonsense stays unknown instead of becoming a company.
 *
 * The index keeps the cost of a typo or an autocomplete independent of how many names are known:
 * - typos: a bigram index with a length filter finds every alias within the typo budget (typo-search.ts);
 * - autocomplete: a walk over the sorted aliases (an implicit trie) finds aliases whose start is within
 *   a typo or two of what was typed (prefix-walk.ts).
 */
import { normalizeName } from '../normalize.js';
import { editDistance, typoBudget } from './edit-distance.js';
import { type AliasFuse, fuseOver, type Ranked, ranked } from './fuse-rank.js';
import { partitionPoint } from './partition-point.js';
import { startingCloseTo } from './prefix-walk.js';
import { TypoSearch } from './typo-search.js';

export type Resolution<T> =
  | { kind: 'found'; value: T; via: 'exact' | 'fuzzy' }
  | { kind: 'ambiguous'; candidates: T[] }
  | { kind: 'unknown' };

const MAX_QUERY_LENGTH = 100;
/** fuse.js proposes candidates for the autocomplete fill; this many are re-ranked by edit distance. */
const CANDIDATES = 20;
/** Up to this many aliases, the autocomplete fill asks fuse.js about all of them; above it, the prefix walk picks. */
const SMALL_DICTIONARY = 200;

export class NameResolver<T> {
  private readonly exactMap = new Map<string, T>();
  /** Aliases sorted by key: positions in these arrays are fuse.js's collection order. */
  private readonly keys: string[];
  private readonly values: T[];
  private readonly search: TypoSearch;
  /** Every alias position of a value, so a value's rank can be taken from its best-ranked alias. */
  private readonly positionsOf = new Map<string, number[]>();
  private allFuse?: AliasFuse;

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
    for (let i = 0; i < this.keys.length; i++) {
      const id = idOf(this.values[i]!);
      const list = this.positionsOf.get(id);
      if (list) list.push(i);
      else this.positionsOf.set(id, [i]);
    }
    this.search = new TypoSearch(this.keys);
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
    const first = partitionPoint(0, this.keys.length, (p) => this.keys[p]! < key);
    for (let i = first; i < this.keys.length && out.size < limit; i++) {
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
  private typos(key: string, budget: number): Ranked<T>[] {
    const hits = this.search.within(key, budget);
    if (hits.size === 0) return [];
    const pool = new Set<number>(hits.keys());
    for (const p of hits.keys()) for (const q of this.positionsOf.get(this.idOf(this.values[p]!))!) pool.add(q);
    const positions = [...pool].sort((a, b) => a - b);
    // The other aliases only need "over budget or not": their value's verdict comes from the close ones.
    const distance = (p: number) => hits.get(p) ?? this.search.distance(key, p, budget);
    return ranked(key, this.fuseAt(positions), this.at((i) => positions[i]!, distance));
  }

  /** Autocomplete fill: fuse.js over every alias of a small dictionary, else over the prefix walk's pick. */
  private fill(key: string): Ranked<T>[] {
    const distance = (p: number) => editDistance(key, this.keys[p]!);
    if (this.keys.length <= SMALL_DICTIONARY) {
      this.allFuse ??= fuseOver(this.keys);
      return ranked(key, this.allFuse, this.at((i) => i, distance), CANDIDATES);
    }
    const positions = startingCloseTo(this.keys, key, key.length <= 5 ? 1 : 2);
    if (positions.length === 0) return [];
    return ranked(key, this.fuseAt(positions), this.at((i) => positions[i]!, distance), CANDIDATES);
  }

  /** fuse.js over the aliases at these positions, in their sorted order. */
  private fuseAt(positions: readonly number[]): AliasFuse {
    return fuseOver(positions.map((p) => this.keys[p]!));
  }

  private at(position: (refIndex: number) => number, distance: (position: number) => number) {
    return { position, distance, value: (p: number) => this.values[p]!, id: this.idOf };
  }
}
