/**
 * Run in a fresh process by the harness (`node --expose-gc --import tsx bench/load-child.ts DIR [--phases]`):
 * opens DIR through the real `DataStore.open` and prints one JSON line of timings and heap. A fresh process
 * per run, so the figures are those of a start-up: cold code, an empty heap.
 *
 * `bench/load-child.ts DIR --reload [--main-thread]`: answers questions arriving at a steady rate while the
 * store reloads DIR (a copy with one file changed, so the whole dataset is reloaded) and prints the answers'
 * latency; see bench/sections/reload.ts.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { commands } from '../commands/index.js';
import { Bot } from '../src/core/bot.js';
import { renderText } from '../src/core/render-text.js';
import { monthWords } from './generate.js';
import { sellerNames } from './queries.js';
import { Rng } from './rng.js';
import { summarize, type Summary } from './stats.js';
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

export interface ReloadChildResult {
  /** Answers while no reload runs (the same arrival rate), then during the reload. */
  idle: Summary;
  during: Summary;
  reloadMs: number;
  /** The longest stretch the main thread was busy (event-loop delay) during the reload. */
  maxBlockMs: number;
  worker: boolean;
  changed: boolean;
  /** One question arrives every this many milliseconds. */
  arrivalMs: number;
  /** `DatasetIndex.build` on the main thread, in steps that yield to answers: its total time. */
  indexMs: number;
}

/** 100 questions a second: far above what a chat bot gets, without saturating a busy two-core machine. */
const ARRIVAL_MS = 10;

/** Questions arrive every `intervalMs`; each is answered as soon as the event loop lets it. */
async function answerWhile(answer: (i: number) => string, intervalMs: number, until: () => boolean): Promise<{ latencies: number[]; maxStallMs: number }> {
  const latencies: number[] = [];
  let next = nowMs();
  let i = 0;
  let wake = nowMs();
  let maxStallMs = 0;
  for (;;) {
    // How late this turn came compared with when the timer was due: the main thread was busy that long.
    maxStallMs = Math.max(maxStallMs, nowMs() - wake);
    // Read before answering: questions that arrived while the thread was busy are answered (and counted) even when
    // the reload ended during that busy stretch.
    const finished = until();
    const now = nowMs();
    // Every question that has arrived by now waits for this turn of the event loop: its latency counts from its arrival.
    while (next <= now) {
      const text = answer(i++);
      if (!text.includes('sold') && !text.includes('no figure') && !text.includes('No figure')) throw new Error(`unexpected answer: ${text.slice(0, 200)}`);
      latencies.push(nowMs() - next);
      next += intervalMs;
    }
    if (finished) return { latencies, maxStallMs };
    const sleep = Math.max(0, next - nowMs());
    wake = nowMs() + sleep;
    await new Promise((resolve) => setTimeout(resolve, sleep));
  }
}

async function reloadMain(dir: string, mainThread: boolean): Promise<void> {
  // A copy with one small file changed: the version differs, so the whole dataset is read, checked and swapped.
  const copy = mkdtempSync(path.join(os.tmpdir(), 'salesbot-bench-reload-'));
  try {
    cpSync(dir, copy, { recursive: true });
    const store = await DataStore.open(copy, { worker: !mainThread });
    const bot = new Bot({ commands, data: () => store.current });
    const rng = new Rng(7);
    const months = store.current.months;
    const lines = sellerNames(store.current, rng, 2000).map((name) => `/sales ${name} ${monthWords(rng.pick(months))}`);
    const answer = (i: number) => renderText(bot.handleLine(lines[i % lines.length]!, { platform: 'cli', user: 'bench' }));
    // Warm the code, and collect the start-up's garbage, before anything is timed.
    for (let i = 0; i < 2000; i++) answer(i);
    heapMB();
    const idleUntil = nowMs() + 2000;
    const idle = (await answerWhile(answer, ARRIVAL_MS, () => nowMs() > idleUntil)).latencies;
    const events = path.join(copy, 'events.json');
    const rows = JSON.parse(readFileSync(events, 'utf8')) as { title: string }[];
    rows[0]!.title += ' (revised)';
    writeFileSync(events, JSON.stringify(rows));
    let done = false;
    const started = nowMs();
    const reload = store.reload().finally(() => (done = true));
    const during = await answerWhile(answer, ARRIVAL_MS, () => done);
    const r = await reload;
    const reloadMs = nowMs() - started;
    if (!r.ok) throw r.error;
    const result: ReloadChildResult = {
      idle: summarize(idle), during: summarize(during.latencies), reloadMs, maxBlockMs: during.maxStallMs, worker: !mainThread, changed: r.changed, arrivalMs: ARRIVAL_MS, indexMs: r.timings?.indexMs ?? Number.NaN,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const [dir, flag, flag2] = process.argv.slice(2);
  if (!dir) throw new Error('usage: load-child.ts DIR [--phases | --reload [--main-thread]]');
  if (flag === '--reload') return reloadMain(dir, flag2 === '--main-thread');
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
