/**
 * Answers during a reload: questions arrive at a steady rate (100 a second) while the store reloads the whole
 * dataset; each answer's latency counts from its arrival, so a main thread busy for 300 ms shows as answers
 * 300 ms late. Measured with the worker-thread reload (what the bot does) and, as the baseline in the same
 * run, with the whole load on the main thread. Each in a fresh process.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ReloadChildResult } from '../load-child.js';
import { count, ms, times, type Line } from '../report.js';

const run = promisify(execFile);

export interface ReloadResults {
  worker: ReloadChildResult;
  mainThread: ReloadChildResult;
}

async function child(dir: string, mainThread: boolean): Promise<ReloadChildResult> {
  const args = ['--expose-gc', '--import', 'tsx', 'bench/load-child.ts', dir, '--reload', ...(mainThread ? ['--main-thread'] : [])];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim()) as ReloadChildResult;
}

export async function benchReload(dir: string, sales: number): Promise<{ results: ReloadResults; lines: Line[] }> {
  const worker = await child(dir, false);
  const mainThread = await child(dir, true);
  const section = `Answers during a reload of ${count(sales)} figures`;
  const row = (r: ReloadChildResult) => `${ms(r.during.p50)} / ${ms(r.during.p99)} / ${ms(r.during.max)}`;
  return {
    results: { worker, mainThread },
    lines: [
      {
        section, measure: `answer latency during the reload (worker thread), ${Math.round(1000 / worker.arrivalMs)} questions/s: p50 / p99 / max (n=${worker.during.n})`, result: row(worker),
        baseline: `load on the main thread: p99 ${ms(mainThread.during.p99)}`, ratio: times(worker.during.p99 / mainThread.during.p99),
        target: 'p99 < 50 ms', ok: worker.during.p99 < 50,
      },
      { section, measure: '  same arrivals, no reload running: p50 / p99 / max', result: `${ms(worker.idle.p50)} / ${ms(worker.idle.p99)} / ${ms(worker.idle.max)}` },
      { section, measure: '  longest main-thread stall during the reload (event-loop delay)', result: ms(worker.maxBlockMs), baseline: `main-thread load: ${ms(mainThread.maxBlockMs)}` },
      { section, measure: '  building the index on the main thread (DatasetIndex.build, in steps that yield): total time', result: ms(worker.indexMs) },
      { section, measure: '  reload time, change seen to new data serving', result: ms(worker.reloadMs), baseline: `main-thread load: ${ms(mainThread.reloadMs)}` },
    ],
  };
}
