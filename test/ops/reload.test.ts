import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataStore, type ReloadResult } from '../../src/data/store.js';
import { DataWatcher } from '../../src/data/watch.js';
import { dataDirWith, removeDataDirs } from '../support/data-dir.js';

afterAll(removeDataDirs);

function nextReload(results: ReloadResult[], count: number): Promise<ReloadResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = setInterval(() => {
      if (results.length >= count) {
        clearInterval(tick);
        resolve(results[count - 1]!);
      } else if (Date.now() - started > 5000) {
        clearInterval(tick);
        reject(new Error('no reload within 5 s'));
      }
    }, 20);
  });
}

describe('hot reload of the data directory', () => {
  it('swaps in a valid change and keeps serving the old data through a broken one', async () => {
    const dir = dataDirWith();
    const store = await DataStore.open(dir);
    const before = store.current;
    const results: ReloadResult[] = [];
    const watcher = new DataWatcher({ store, debounceMs: 50, onReload: (r) => results.push(r) });
    watcher.start();
    try {
      const salesFile = path.join(dir, 'sales.json');
      const sales = JSON.parse(readFileSync(salesFile, 'utf8')) as object[];
      writeFileSync(salesFile, JSON.stringify([...sales, { seller: 'xiaomi', month: '2025-06', units: 30000, qualifier: 'approximate', sources: ['caixin-2025-06'] }]));
      const ok = await nextReload(results, 1);
      expect(ok).toMatchObject({ ok: true, changed: true });
      expect(store.current.months).toEqual(['2025-04', '2025-05', '2025-06']);
      // A request that started on the old index still sees the old index.
      expect(before.months).toEqual(['2025-04', '2025-05']);

      const serving = store.current;
      writeFileSync(salesFile, '[{"seller": "xiaomi", "month": "2025-07", "units": "lots"}]');
      const broken = await nextReload(results, 2);
      expect(broken.ok).toBe(false);
      expect(!broken.ok && broken.error.message).toContain('sales.json: item 1, units: expected a positive integer, got "lots"');
      expect(store.current).toBe(serving);
    } finally {
      await watcher.stop();
    }
  });
});
