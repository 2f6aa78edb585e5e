/** The dataset index built for scale (sellers and figures ordered once, versions by file content) answers as the simple version did. */
import { afterAll, describe, expect, it } from 'vitest';
import { generateCollections } from '../../bench/generate.js';
import { Rng } from '../../bench/rng.js';
import { DatasetIndex } from '../../src/data/index.js';
import { dataDirWith, removeDataDirs } from '../support/data-dir.js';

describe('the index built for scale keeps the answers of the simple version', () => {
  afterAll(removeDataDirs);

  it('orders sellers and each seller\'s figures as sorting every figure by month would', () => {
    const data = generateCollections({ companies: 200, months: 6, seed: 5 });
    const rng = new Rng(6);
    const sales = data.sales.map((s) => ({ s, k: rng.next() })).sort((a, b) => a.k - b.k).map((x) => x.s);
    const index = new DatasetIndex({ ...data, sales });
    const sorted = [...sales].sort((a, b) => a.month.localeCompare(b.month));
    const sellers = [...new Set(sorted.map((s) => s.seller))];
    expect(index.sellers().map((e) => e.id)).toEqual(sellers);
    for (const id of sellers.slice(0, 50)) expect(index.salesOf(id)).toEqual(sorted.filter((s) => s.seller === id));
  });

  it('versions a data directory by its files: same files, same version; a changed figure, a new one', async () => {
    const same = dataDirWith();
    const changed = dataDirWith({ 'sales.json': (rows) => rows.map((r, i) => (i === 0 ? { ...(r as object), units: 28586 } : r)) });
    const [a, b, c] = await Promise.all([DatasetIndex.load(same), DatasetIndex.load(dataDirWith()), DatasetIndex.load(changed)]);
    expect(a.version).toMatch(/^[0-9a-f]{12}$/);
    expect(b.version).toBe(a.version);
    expect(c.version).not.toBe(a.version);
  });
});
