/**
 * For autocomplete: the aliases whose start is within a typo or two of what was typed, found by a walk
 * over the sorted keys as an implicit trie, so the cost does not grow with the number of aliases.
 */
import { partitionPoint } from './partition-point.js';

/** The walk hands back at most this many aliases... */
const FILL_POOL = 100;
/** ...taking at most this many (alphabetically) from any one close prefix, so one busy prefix cannot fill it. */
const FILL_PER_PREFIX = 10;
/** A bound on the walk, whatever the dictionary looks like. */
const MAX_WALK_NODES = 50_000;

/**
 * Positions in `keys` (sorted, unique) whose first characters are within `budget` typos of `key`, closest
 * prefixes first, then returned in position order: one edit-distance row per trie node, pruned once a row
 * is over. A character the key does not contain costs a typo, so a node already at the budget only looks
 * at children whose character is in the key (found by binary search) instead of every child.
 */
export function startingCloseTo(keys: readonly string[], key: string, budget: number): number[] {
  const n = key.length;
  const keyChars = [...new Set(Array.from({ length: n }, (_, j) => key.charCodeAt(j)))].sort((a, b) => a - b);
  const rows: Int32Array[] = [Int32Array.from({ length: n + 1 }, (_, j) => j)];
  const matches: { from: number; to: number; distance: number }[] = [];
  let nodes = 0;
  /** First position in [from, to) whose key has a character after `c` at `depth` (keys there share a prefix). */
  const firstAfter = (from: number, to: number, depth: number, c: number) => partitionPoint(from, to, (p) => keys[p]!.charCodeAt(depth) <= c);
  const visit = (from: number, to: number, depth: number, c: number) => {
    nodes++;
    const row = (rows[depth + 1] ??= new Int32Array(n + 1));
    const prev = rows[depth]!;
    const prev2 = rows[depth - 1];
    const before = depth > 0 ? keys[from]!.charCodeAt(depth - 1) : -1;
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
    while (i < to && keys[i]!.length === depth) i++;
    if (rowMin < budget) {
      while (i < to && nodes < MAX_WALK_NODES) {
        const c = keys[i]!.charCodeAt(depth);
        const end = firstAfter(i, to, depth, c);
        visit(i, end, depth, c);
        i = end;
      }
      return;
    }
    for (const c of keyChars) {
      const at = firstAfter(i, to, depth, c - 1);
      if (at >= to || keys[at]!.charCodeAt(depth) !== c || nodes >= MAX_WALK_NODES) continue;
      const end = firstAfter(at, to, depth, c);
      visit(at, end, depth, c);
      i = end;
    }
  };
  walk(0, keys.length, 0, 0);
  matches.sort((a, b) => a.distance - b.distance || a.from - b.from);
  const out = new Set<number>();
  for (const m of matches) {
    for (let p = m.from; p < m.to && p < m.from + FILL_PER_PREFIX && out.size < FILL_POOL; p++) out.add(p);
    if (out.size >= FILL_POOL) break;
  }
  return [...out].sort((a, b) => a - b);
}
