import fc from 'fast-check';
import Fuse from 'fuse.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCollections } from '../../../bench/generate.js';
import { typos } from '../../../bench/queries.js';
import { Rng } from '../../../bench/rng.js';
import { DatasetIndex, type Entity } from '../../../src/data/index.js';
import { editDistance, typoBudget } from '../../../src/data/names/edit-distance.js';
import type { Resolution } from '../../../src/data/names/resolver.js';
import { normalizeName } from '../../../src/data/normalize.js';
import { BUNDLED_DATA } from '../../support/data-dir.js';

const FUSE_OPTIONS = { ignoreLocation: true, threshold: 0.6 };

/** Every alias once (first owner wins, as in the index), sorted by key: the order fuse.js ranked in. */
function aliasTable(data: DatasetIndex): { key: string; entity: Entity }[] {
  const seen = new Map<string, Entity>();
  for (const e of data.entities.values()) {
    for (const a of [e.name, ...e.aliases]) {
      const key = normalizeName(a);
      if (key && !seen.has(key)) seen.set(key, e);
    }
  }
  return [...seen].map(([key, entity]) => ({ key, entity })).sort((a, b) => (a.key < b.key ? -1 : 1));
}

/**
 * The resolver's verdict worked out by brute force over every alias: each alias within the typo budget that
 * fuse.js also matches, a value ranked by its best fuse.js rank, closest first: fuse.js over every alias with no
 * index and no top-20 cut.
 */
function bruteForce(table: { key: string; entity: Entity }[], query: string): string {
  const key = normalizeName(query.slice(0, 100));
  if (!key) return 'unknown';
  if (table.some((a) => a.key === key)) return `found ${table.find((a) => a.key === key)!.entity.id}`;
  const budget = typoBudget(key.length);
  const near = new Set(table.filter((a) => Math.abs(a.key.length - key.length) <= budget && editDistance(key, a.key) <= budget).map((a) => a.entity.id));
  // Only values with an alias within the budget can be the answer; their aliases in fuse.js order rank them.
  const ranked = table
    .flatMap((a, position) => (near.has(a.entity.id) ? [{ ...a, position, match: Fuse.match(key, a.key, FUSE_OPTIONS) }] : []))
    .filter((a) => a.match.isMatch)
    .sort((a, b) => a.match.score - b.match.score || a.position - b.position);
  const best = new Map<string, { id: string; distance: number; rank: number }>();
  ranked.forEach((a, rank) => {
    const distance = editDistance(key, a.key);
    const seen = best.get(a.entity.id);
    if (!seen || distance < seen.distance) best.set(a.entity.id, { id: a.entity.id, distance, rank: seen?.rank ?? rank });
  });
  const close = [...best.values()].filter((c) => c.distance <= budget).sort((a, b) => a.distance - b.distance || a.rank - b.rank);
  if (close.length === 0) return 'unknown';
  const tied = close.filter((c) => c.distance === close[0]!.distance);
  return tied.length > 1 ? `ambiguous ${tied.slice(0, 3).map((c) => c.id).join(',')}` : `found ${tied[0]!.id}`;
}

const verdict = (r: Resolution<Entity>) =>
  r.kind === 'found' ? `found ${r.value.id}` : r.kind === 'ambiguous' ? `ambiguous ${r.candidates.map((c) => c.id).join(',')}` : 'unknown';

/** A seeded typo: substitutions, deletions, insertions and swaps of neighbours. */
const typoOf = (keys: string[]) =>
  fc.tuple(fc.constantFrom(...keys), fc.array(fc.tuple(fc.nat(3), fc.nat(40), fc.constantFrom(...'abcdeiklmnorstuxyz')), { minLength: 1, maxLength: 2 }))
    .map(([key, edits]) => edits.reduce((w, [op, at, c]) => {
      const i = at % Math.max(1, w.length);
      if (op === 0) return w.slice(0, i) + c + w.slice(i + 1);
      if (op === 1) return w.slice(0, i) + w.slice(i + 1);
      if (op === 2) return w.slice(0, i) + c + w.slice(i);
      return w.slice(0, i) + (w[i + 1] ?? '') + (w[i] ?? '') + w.slice(i + 2);
    }, key));

describe('the candidate index on the bundled data', () => {
  let data: DatasetIndex;
  beforeAll(async () => {
    data = await DatasetIndex.load(BUNDLED_DATA);
  });

  it.each([['xiomi', 'xiaomi'], ['hauwei', 'huawei'], ['chrey', 'chery']])('typo %s still finds %s', (q, id) => {
    expect(data.resolve(q)).toMatchObject({ kind: 'found', via: 'fuzzy', value: { id } });
  });

  it.each(['tesla', 'qwerty'])('%s is still unknown', (q) => {
    expect(data.resolve(q).kind).toBe('unknown');
  });

  it('gives the same verdict as ranking every alias, for any typo of a known name', () => {
    const table = aliasTable(data);
    fc.assert(
      fc.property(typoOf(table.map((a) => a.key)), (query) => {
        expect(verdict(data.resolve(query))).toBe(bruteForce(table, query));
      }),
      { seed: 8, numRuns: 400 },
    );
  });
});

describe('the candidate index on a generated market (thousands of names)', () => {
  let data: DatasetIndex;
  beforeAll(() => {
    data = new DatasetIndex(generateCollections({ companies: 1200, months: 1, seed: 3 }));
  });

  it('resolves seeded typos of known names to the right entity', () => {
    const queries = typos(data, new Rng(11), 400);
    const right = queries.filter((q) => {
      const r = data.resolve(q.query);
      return r.kind === 'found' && r.value.id === q.truth;
    });
    expect(data.entities.size).toBeGreaterThan(3000);
    expect(right.length / queries.length).toBeGreaterThanOrEqual(0.95);
  });

  it('misses no alias within the typo budget: the verdict equals a brute-force pass over every alias', () => {
    const table = aliasTable(data);
    for (const { query } of typos(data, new Rng(12), 150)) expect(verdict(data.resolve(query)), query).toBe(bruteForce(table, query));
  });

  it('completes a prefix with a letter missing to the name meant', () => {
    const rng = new Rng(13);
    const companies = [...data.entities.values()].filter((e) => e.kind === 'company' && normalizeName(e.name).length >= 6);
    let found = 0;
    for (let i = 0; i < 60; i++) {
      const company = rng.pick(companies);
      const start = normalizeName(company.name).slice(0, 5);
      const at = rng.int(1, 4);
      const typed = start.slice(0, at) + start.slice(at + 1);
      if (data.complete(typed, 25).some((e) => e.id === company.id)) found++;
    }
    expect(found / 60).toBeGreaterThanOrEqual(0.8);
  });

  it('lists prefix matches first, alphabetically, each entity once', () => {
    const results = data.complete('ch', 25);
    expect(results).toHaveLength(25);
    expect(new Set(results.map((e) => e.id)).size).toBe(25);
    const firstAlias = results.map((e) => [e.name, ...e.aliases].map(normalizeName).filter((k) => k.startsWith('ch')).sort()[0]);
    expect(firstAlias.every(Boolean)).toBe(true);
    expect(firstAlias).toEqual([...firstAlias].sort());
  });
});
