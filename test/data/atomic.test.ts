import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importFigures } from '../../src/data/import/run.js';
import { formatSales, writeFileAtomic } from '../../src/data/import/write.js';
import type { Sale } from '../../src/data/schema.js';
import { DataStore, type ReloadResult } from '../../src/data/store.js';
import { DataWatcher } from '../../src/data/watch.js';
import { dataDirWith, removeDataDirs } from '../support/data-dir.js';

afterAll(removeDataDirs);

/** `count` figures for Xiaomi and HIMA, month after month from 2000-01. */
function figures(count: number, units: number): Sale[] {
  return Array.from({ length: count }, (_, i) => ({
    seller: i % 2 === 0 ? 'xiaomi' : 'hima',
    month: `${2000 + Math.floor(i / 24)}-${String((Math.floor(i / 2) % 12) + 1).padStart(2, '0')}`,
    units,
    qualifier: 'exact' as const,
    sources: ['cpca'],
  }));
}

describe('writing sales.json while the bot reloads it', () => {
  it('a reload only ever sees the old file or the new one, never half of one', async () => {
    const dir = dataDirWith();
    const file = path.join(dir, 'sales.json');
    // Two versions of a file of a few megabytes: each write takes many reads' time.
    const a = formatSales(figures(8_000, 111), undefined);
    const b = formatSales(figures(10_000, 222), undefined);
    writeFileSync(file, a);
    const store = await DataStore.open(dir, { worker: false });
    let writing = true;
    const writes = (async () => {
      for (let i = 0; i < 16; i++) await writeFileAtomic(file, i % 2 === 0 ? b : a);
      writing = false;
    })();
    const results: ReloadResult[] = [];
    while (writing) results.push(await store.reload());
    await writes;
    expect(results.length).toBeGreaterThan(1);
    const failures = results.flatMap((r) => (r.ok ? [] : [r.error.message.slice(0, 300)]));
    expect(failures).toEqual([]);
    for (const r of results) if (r.ok) expect([8_000, 10_000]).toContain(r.index.data.sales.length);
    // No temporary file is left behind.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);

  it('an import into a watched directory is picked up by the running bot in one piece', async () => {
    const dir = dataDirWith();
    const store = await DataStore.open(dir);
    const results: ReloadResult[] = [];
    const watcher = new DataWatcher({ store, debounceMs: 20, onReload: (r) => results.push(r) });
    watcher.start();
    try {
      const sample = path.resolve(import.meta.dirname, '../../data/samples/figures-2025-06.csv');
      const report = await importFigures({ file: sample, dataDir: dir });
      expect(report.written).toBe(true);
      await expect.poll(() => store.current.months, { timeout: 15_000 }).toEqual(['2025-04', '2025-05', '2025-06']);
      expect(results.filter((r) => !r.ok)).toEqual([]);
      expect(JSON.parse(readFileSync(path.join(dir, 'sales.json'), 'utf8'))).toHaveLength(6);
    } finally {
      await watcher.stop();
    }
  });
});
