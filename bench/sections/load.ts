/** Load + validate + index of a generated data directory, each run in a fresh process (a start-up's figures). */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { LoadChildResult } from '../load-child.js';
import { count, ms, times, type Line } from '../report.js';
import { median } from '../stats.js';

const run = promisify(execFile);

export interface LoadResults {
  runs: LoadChildResult[];
  medianMs: number;
  medianCpuMs: number;
  heapMB: number;
  parseOnlyMs: number;
}

export async function benchLoad(dir: string, runs: number, sales: number): Promise<{ results: LoadResults; lines: Line[] }> {
  const results: LoadChildResult[] = [];
  for (let i = 0; i < runs; i++) {
    const args = ['--expose-gc', '--import', 'tsx', 'bench/load-child.ts', dir, ...(i === 0 ? ['--phases'] : [])];
    const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 20 });
    results.push(JSON.parse(stdout.trim()) as LoadChildResult);
  }
  const first = results[0]!;
  const medianMs = median(results.map((r) => r.loadMs));
  const heapMB = Math.max(...results.map((r) => r.heapAfterMB));
  const parseOnlyMs = first.parseOnlyMs ?? Number.NaN;
  const out: LoadResults = { runs: results, medianMs, medianCpuMs: median(results.map((r) => r.cpuMs)), heapMB, parseOnlyMs };
  // The first run also times the phases (a second load), so its peak memory is not a plain load's.
  const plain = results.length > 1 ? results.slice(1) : results;
  const section = `Load ${count(sales)} figures`;
  return {
    results: out,
    lines: [
      {
        section, measure: `DataStore.open: read + validate + index (median of ${runs} fresh processes)`, result: ms(medianMs),
        baseline: `read + JSON.parse only: ${ms(parseOnlyMs)}`, ratio: times(medianMs / parseOnlyMs), target: '< 3 s', ok: medianMs < 3000,
      },
      { section, measure: '  of which read + validate + cross-check / index', result: `${ms(first.validateMs ?? Number.NaN)} / ${ms(first.indexMs ?? Number.NaN)}` },
      { section, measure: '  CPU time (user + system, median)', result: ms(out.medianCpuMs) },
      { section, measure: 'heap used after load (after GC, dataset held)', result: `${heapMB.toFixed(0)} MB`, baseline: `empty process: ${first.heapBeforeMB.toFixed(0)} MB`, target: '< 300 MB', ok: heapMB < 300 },
      { section, measure: 'peak resident memory of a load', result: `${Math.max(...plain.map((r) => r.maxRssMB)).toFixed(0)} MB` },
    ],
  };
}
