/**
 * The baseline the issue measures against: plain fuse.js over every name and alias, with the options the
 * resolver used before it had an index (ignoreLocation, threshold 0.6), top result taken as the answer.
 */
import Fuse from 'fuse.js';
import type { DatasetIndex } from '../src/data/index.js';
import { normalizeName } from '../src/data/normalize.js';
import { nowMs } from './stats.js';

export interface PlainFuse {
  fuse: Fuse<{ key: string; id: string }>;
  aliases: number;
  buildMs: number;
}

export function plainFuse(data: DatasetIndex): PlainFuse {
  const started = nowMs();
  const seen = new Set<string>();
  const entries: { key: string; id: string }[] = [];
  for (const e of data.entities.values()) {
    for (const alias of [e.name, ...e.aliases]) {
      const key = normalizeName(alias);
      if (!key || seen.has(key)) continue;
      seen.add(key);
      entries.push({ key, id: e.id });
    }
  }
  const fuse = new Fuse(entries, { keys: ['key'], includeScore: true, ignoreLocation: true, threshold: 0.6 });
  return { fuse, aliases: entries.length, buildMs: nowMs() - started };
}

export function fuseTop1(baseline: PlainFuse, query: string): string | undefined {
  return baseline.fuse.search(normalizeName(query), { limit: 1 })[0]?.item.id;
}

export function fuseComplete(baseline: PlainFuse, prefix: string, limit: number): string[] {
  return baseline.fuse.search(normalizeName(prefix), { limit }).map((r) => r.item.id);
}
