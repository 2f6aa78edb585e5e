/**
 * fuse.js's ranking of aliases, re-ranked by edit distance: fuse.js scores substrings well, the edit
 * distance over the whole key decides, and fuse.js's order breaks ties.
 */
import Fuse from 'fuse.js';

/** What fuse.js searches: the normalised alias (positions map results back to values). */
interface AliasKey {
  key: string;
}

const FUSE_OPTIONS = { keys: ['key'], includeScore: true, ignoreLocation: true, threshold: 0.6 };

export type AliasFuse = Fuse<AliasKey>;

/** fuse.js over some aliases, in the order given (fuse.js breaks score ties by collection order). */
export function fuseOver(keys: readonly string[]): AliasFuse {
  return new Fuse(keys.map((key) => ({ key })), FUSE_OPTIONS);
}

/** A value found, and how many typos away its closest alias is. */
export interface Ranked<T> {
  value: T;
  distance: number;
}

/**
 * fuse.js's matches (its top `limit`, or all) re-ranked by edit distance, then fuse.js order; each value
 * once, at its closest alias and its first fuse.js rank.
 */
export function ranked<T>(
  key: string,
  fuse: AliasFuse,
  at: {
    /** The alias position of a fuse.js result. */
    position: (refIndex: number) => number;
    value: (position: number) => T;
    distance: (position: number) => number;
    id: (value: T) => string;
  },
  limit?: number,
): Ranked<T>[] {
  const best = new Map<string, { value: T; distance: number; rank: number }>();
  fuse.search(key, limit === undefined ? undefined : { limit }).forEach((r, rank) => {
    const p = at.position(r.refIndex);
    const value = at.value(p);
    const id = at.id(value);
    const distance = at.distance(p);
    const seen = best.get(id);
    if (!seen || distance < seen.distance) best.set(id, { value, distance, rank: seen?.rank ?? rank });
  });
  return [...best.values()].sort((a, b) => a.distance - b.distance || a.rank - b.rank);
}
