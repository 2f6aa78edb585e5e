import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCollections } from '../../bench/generate.js';
import { commands } from '../../commands/index.js';
import { Bot } from '../../src/core/bot.js';
import { renderText } from '../../src/core/render-text.js';
import type { Sale } from '../../src/data/schema.js';
import { DataStore, type ReloadResult } from '../../src/data/store.js';
import { DataWatcher } from '../../src/data/watch.js';
import { runScript } from '../support/child.js';
import { dataDirWith, removeDataDirs } from '../support/data-dir.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'salesbot-reload-'));
afterAll(() => {
  removeDataDirs();
  rmSync(scratch, { recursive: true, force: true });
});

function nextReload(results: ReloadResult[], count: number, within = 10_000): Promise<ReloadResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = setInterval(() => {
      if (results.length >= count) {
        clearInterval(tick);
        resolve(results[count - 1]!);
      } else if (Date.now() - started > within) {
        clearInterval(tick);
        reject(new Error(`no reload #${count} within ${within} ms (got ${results.length})`));
      }
    }, 20);
  });
}

async function watching(dir: string, run: (ctx: { store: DataStore; results: ReloadResult[]; warnings: string[] }) => Promise<void>, options = {}): Promise<void> {
  const store = await DataStore.open(dir, options);
  const results: ReloadResult[] = [];
  const warnings: string[] = [];
  const watcher = new DataWatcher({ store, debounceMs: 50, pollMs: 100, onReload: (r) => results.push(r), onWarning: (w) => warnings.push(w) });
  watcher.start();
  try {
    await run({ store, results, warnings });
  } finally {
    await watcher.stop();
  }
}

const june = { seller: 'xiaomi', month: '2025-06', units: 30000, qualifier: 'approximate', sources: ['caixin-2025-06'] };

describe('hot reload of the data directory', () => {
  it('swaps in a valid change and keeps serving the old data through a broken one', async () => {
    const dir = dataDirWith();
    await watching(dir, async ({ store, results }) => {
      const before = store.current;
      const salesFile = path.join(dir, 'sales.json');
      const sales = JSON.parse(readFileSync(salesFile, 'utf8')) as object[];
      writeFileSync(salesFile, JSON.stringify([...sales, june]));
      const ok = await nextReload(results, 1);
      expect(ok).toMatchObject({ ok: true, changed: true, warnings: [] });
      expect(store.current.months).toEqual(['2025-04', '2025-05', '2025-06']);
      // A request that started on the old index still sees the old index.
      expect(before.months).toEqual(['2025-04', '2025-05']);

      const serving = store.current;
      writeFileSync(salesFile, '[{"seller": "xiaomi", "month": "2025-07", "units": "lots"}]');
      const broken = await nextReload(results, 2);
      expect(broken.ok).toBe(false);
      expect(!broken.ok && broken.error.message).toContain('sales.json: item 1, units: expected a positive integer, got "lots"');
      expect(store.current).toBe(serving);
    });
  });

  it('warns, naming the file, when an optional file disappears; refuses an emptied sales file unless allowed', async () => {
    const dir = dataDirWith();
    await watching(dir, async ({ store, results }) => {
      rmSync(path.join(dir, 'events.json'));
      const deleted = await nextReload(results, 1);
      expect(deleted.ok && deleted.warnings).toEqual([`${dir}/events.json disappeared: 8 events are no longer served; restore the file if that was not intended`]);

      const serving = store.current;
      writeFileSync(path.join(dir, 'sales.json'), '[]');
      const emptied = await nextReload(results, 2);
      expect(!emptied.ok && emptied.error.message).toContain(`${dir}/sales.json: holds no figures ([]); restore the figures, or set DATA_ALLOW_EMPTY_SALES=true`);
      expect(store.current).toBe(serving);
    }, { allowEmptySales: false });

    const allowed = dataDirWith();
    await watching(allowed, async ({ store, results }) => {
      writeFileSync(path.join(allowed, 'sales.json'), '[]');
      const r = await nextReload(results, 1);
      expect(r.ok && r.warnings).toEqual([`${allowed}/sales.json is now empty: 4 figures are no longer served; restore the file if that was not intended`]);
      expect(store.current.months).toEqual([]);
    }, { allowEmptySales: true });
  });

  it('follows a DATA_DIR symbolic link that is swapped to another directory', async () => {
    const first = dataDirWith();
    const second = dataDirWith({ 'sales.json': (rows) => [...rows, june] });
    const link = path.join(scratch, 'current');
    symlinkSync(first, link);
    await watching(link, async ({ store, results }) => {
      expect(store.current.months).toEqual(['2025-04', '2025-05']);
      // How a deploy swaps it: a new link renamed over the old one (atomic).
      symlinkSync(second, `${link}.new`);
      renameSync(`${link}.new`, link);
      const swapped = await nextReload(results, 1);
      expect(swapped).toMatchObject({ ok: true, changed: true });
      expect(store.current.months).toEqual(['2025-04', '2025-05', '2025-06']);
      // Later changes in the new target are seen too.
      writeFileSync(path.join(second, 'sales.json'), readFileSync(path.join(first, 'sales.json')));
      await nextReload(results, 2);
      expect(store.current.months).toEqual(['2025-04', '2025-05']);
    });
  });

  it('a file that cannot be read (a named pipe) fails that reload with the reason, and later reloads still run', async () => {
    const dir = dataDirWith();
    await watching(dir, async ({ store, results }) => {
      const events = path.join(dir, 'events.json');
      const saved = readFileSync(events);
      rmSync(events);
      execFileSync('mkfifo', [events]);
      const stuck = await nextReload(results, 1);
      expect(!stuck.ok && stuck.error.message).toContain(`${dir}/events.json: is a named pipe (FIFO); replace it with a regular JSON file`);
      rmSync(events);
      writeFileSync(events, saved);
      const sales = JSON.parse(readFileSync(path.join(dir, 'sales.json'), 'utf8')) as object[];
      writeFileSync(path.join(dir, 'sales.json'), JSON.stringify([...sales, june]));
      const recovered = await nextReload(results, results.length + 1);
      expect(recovered.ok).toBe(true);
      await expect.poll(() => store.current.months.length).toBe(3);
    });
  });

  it('stop() returns while a reload is running, and that reload ends as aborted', async () => {
    const dir = dataDirWith();
    const store = await DataStore.open(dir);
    const watcher = new DataWatcher({ store, onReload: () => undefined });
    watcher.start();
    const pending = store.reload();
    await watcher.stop();
    const r = await pending;
    // It may have finished first on a fast machine; if not, it was aborted, never left hanging.
    if (!r.ok) expect(r.error.message).toBe('data reload aborted');
  });
});

describe('a large reload while questions are asked', () => {
  it('answers every question, correctly, on the old data and then on the new (100,000 figures)', async () => {
    const generated = generateCollections({ companies: 1000, months: 100, seed: 5 });
    const dir = mkdtempSync(path.join(scratch, 'large-'));
    const write = (name: string, rows: unknown[]) => writeFileSync(path.join(dir, `${name}.json`), `[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
    for (const [name, rows] of Object.entries(generated)) write(name, rows);
    const store = await DataStore.open(dir);
    const bot = new Bot({ commands, data: () => store.current });
    const answer = (s: Sale) => renderText(bot.handleLine(`/sales ${s.seller} ${s.month}`, { platform: 'cli', user: 'test' }));
    const asked = generated.sales.filter((_, i) => i % 997 === 0);
    const units = (s: Sale) => s.units.toLocaleString('en-US');

    // The new data: one more month for every seller.
    const newest = generated.sales.at(-1)!.month;
    const next = newest.endsWith('-12') ? `${Number(newest.slice(0, 4)) + 1}-01` : `${newest.slice(0, 5)}${String(Number(newest.slice(5)) + 1).padStart(2, '0')}`;
    const added: Sale[] = generated.sales.filter((s) => s.month === newest).map((s) => ({ seller: s.seller, month: next, units: s.units + 1, qualifier: 'exact', sources: s.sources }));
    write('sales', [...generated.sales, ...added]);

    const reload = store.reload();
    let done = false;
    void reload.then(() => (done = true));
    let answered = 0;
    let wrong: string[] = [];
    while (!done) {
      const s = asked[answered % asked.length]!;
      const text = answer(s);
      if (!text.includes(units(s))) wrong.push(`${s.seller} ${s.month}: ${text.split('\n')[0]}`);
      answered++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(wrong).toEqual([]);
    expect(answered).toBeGreaterThan(0);
    const r = await reload;
    expect(r).toMatchObject({ ok: true, changed: true });
    expect(store.current.months.at(-1)).toBe(next);
    wrong = added.filter((_, i) => i % 97 === 0).filter((s) => !answer(s).includes(units(s))).map((s) => `${s.seller} ${s.month}`);
    expect(wrong).toEqual([]);
  }, 120_000);
});

describe('the reload worker under the way the bot is started', () => {
  it('runs under node --import tsx (npm run dev) and hands back the same data', async () => {
    const dir = dataDirWith();
    const r = await runScript('test/fixtures/reload-probe.ts', [dir]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, changed: true, months: ['2025-04', '2025-05', '2025-06'], worker: true });
  }, 60_000);
});
