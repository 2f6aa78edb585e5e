/**
 * Run in a fresh process by the harness (`node --expose-gc --import tsx bench/load-child.ts DIR [--phases]`):
 * opens DIR through the real `DataStore.open` and prints one JSON line of timings and heap. A fresh process
 * per run, so the figures are those of a start-up: cold code, an empty heap.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DatasetIndex } from '../src/data/index.js';
import { loadDataset } from '../src/data/load.js';
import { DataStore } from '../src/data/store.js';
import { nowMs } from './stats.js';

export interface LoadChildResult {
  loadMs: number;
  cpuMs: number;
  heapBeforeMB: number;
  heapAfterMB: number;
  maxRssMB: number;
  entities: number;
  version: string;
  /** With --phases: read + validate + cross-check, then indexing, then a bare read + JSON.parse of every file. */
  validateMs?: number;
  indexMs?: number;
  parseOnlyMs?: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapMB = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 1e6;
};

async function main(): Promise<void> {
  const [dir, flag] = process.argv.slice(2);
  if (!dir) throw new Error('usage: load-child.ts DIR [--phases]');
  const heapBeforeMB = heapMB();
  const cpu = process.cpuUsage();
  const started = nowMs();
  let store: DataStore | undefined = await DataStore.open(dir);
  const loadMs = nowMs() - started;
  const used = process.cpuUsage(cpu);
  const heapAfterMB = heapMB();
  const result: LoadChildResult = {
    loadMs,
    cpuMs: (used.user + used.system) / 1000,
    heapBeforeMB,
    heapAfterMB,
    maxRssMB: 0,
    entities: store.current.entities.size,
    version: store.current.version,
  };
  store = undefined;
  if (flag === '--phases') {
    heapMB();
    let t = nowMs();
    const loaded = await loadDataset(dir);
    result.validateMs = nowMs() - t;
    t = nowMs();
    const index = new DatasetIndex(loaded.data, loaded.version);
    result.indexMs = nowMs() - t;
    if (index.version !== result.version) throw new Error('the dataset changed during the benchmark');
    heapMB();
    t = nowMs();
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json') && f !== 'bench-manifest.json');
    let rows = 0;
    for (const f of files) rows += (JSON.parse(await readFile(path.join(dir, f), 'utf8')) as unknown[]).length;
    result.parseOnlyMs = nowMs() - t;
    if (rows === 0) throw new Error('no rows');
  }
  result.maxRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
