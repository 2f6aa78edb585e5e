/**
 * Loads a data directory in a worker thread, so reading, JSON parsing, validation and the cross-check of a
 * large dataset never stall answers. The validated records come back in chunks (JSON text, which the main
 * thread parses faster than a structured clone of the same objects), one per event-loop turn, with one more
 * chunk always on its way. Measured on a million figures (bench): a structured clone of the whole dataset costs
 * the receiving thread seconds in one piece; chunks of 5,000 records cost a few milliseconds each. The index is
 * then built on the main thread in steps (`DatasetIndex.build`), taking the names over when no entity file changed.
 */
import { Worker } from 'node:worker_threads';
import { DataError, type LoadedDataset, type LoadOptions } from './load.js';
import type { Collections, DATA_FILES } from './schema.js';

type CollectionName = keyof typeof DATA_FILES;

export type ToWorker = { type: 'next' } | { type: 'stop' };
export type FromWorker =
  | { type: 'invalid'; problems: string[]; more: number }
  | { type: 'failed'; message: string }
  | { type: 'meta'; version: string; present: Record<CollectionName, boolean>; realDir: string; digests: Record<CollectionName, string>; counts: Record<string, number> }
  | { type: 'chunk'; collection: CollectionName; json: string }
  | { type: 'end' };

export interface WorkerLoadOptions extends LoadOptions {
  /** Records per chunk handed back (each is parsed in one event-loop turn). */
  chunkSize?: number;
  /** Aborts the load: the worker is terminated and the promise rejects. */
  signal?: AbortSignal;
  /** When the worker's dataset has this version, nothing is transferred: resolves `unchanged`. */
  currentVersion?: string;
}

export type WorkerLoad = { kind: 'loaded'; dataset: LoadedDataset } | { kind: 'unchanged'; version: string };

/** The worker could not run at all (not a data problem): the caller may load in-process instead. */
export class WorkerStartError extends Error {
  override name = 'WorkerStartError';
}

const BOOTSTRAP = new URL('./reload-worker.mjs', import.meta.url);
const JOB = new URL(import.meta.url.endsWith('.ts') ? './reload-job.ts' : './reload-job.js', import.meta.url);

/** Loads `dir` off the main thread; rejects with `DataError` when the data is invalid. */
export function loadInWorker(dir: string, options: WorkerLoadOptions = {}): Promise<WorkerLoad> {
  const { signal, chunkSize = 5_000, currentVersion, ...loadOptions } = options;
  return new Promise<WorkerLoad>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('data reload aborted'));
      return;
    }
    const worker = new Worker(BOOTSTRAP, {
      // No inherited flags: the bootstrap registers tsx itself when the job is TypeScript.
      execArgv: [],
      workerData: { entry: JOB.href, dir, options: loadOptions, chunkSize },
      stdout: false,
      stderr: false,
    });
    let settled = false;
    let started = false;
    const data = {} as Record<CollectionName, unknown[]>;
    let meta: Extract<FromWorker, { type: 'meta' }> | undefined;
    // Every figure of a seller shares one id string again (as after an in-process load): less heap.
    const interned = new Map<string, string>();
    const intern = (s: string) => {
      const known = interned.get(s);
      if (known !== undefined) return known;
      interned.set(s, s);
      return s;
    };
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate().catch(() => undefined);
    };
    const onAbort = () => finish(() => reject(new Error('data reload aborted')));
    signal?.addEventListener('abort', onAbort, { once: true });
    const ask = () => {
      if (!settled) worker.postMessage({ type: 'next' } satisfies ToWorker);
    };

    worker.on('message', (msg: FromWorker) => {
      started = true;
      switch (msg.type) {
        case 'invalid':
          finish(() => reject(new DataError(msg.problems, msg.more)));
          return;
        case 'failed':
          finish(() => reject(new Error(msg.message)));
          return;
        case 'meta':
          meta = msg;
          if (currentVersion !== undefined && msg.version === currentVersion) {
            worker.postMessage({ type: 'stop' } satisfies ToWorker);
            finish(() => resolve({ kind: 'unchanged', version: msg.version }));
            return;
          }
          ask();
          return;
        case 'chunk': {
          // Ask for the next chunk first: the worker serialises it while this one is parsed here.
          ask();
          const rows = JSON.parse(msg.json) as unknown[];
          if (msg.collection === 'sales') {
            for (const r of rows as { seller: string; sources: string[] }[]) {
              r.seller = intern(r.seller);
              for (let j = 0; j < r.sources.length; j++) r.sources[j] = intern(r.sources[j]!);
            }
          }
          const list = data[msg.collection];
          if (list) for (const r of rows) list.push(r);
          else data[msg.collection] = rows;
          return;
        }
        case 'end': {
          const m = meta!;
          const collections = Object.fromEntries(Object.keys(m.present).map((n) => [n, data[n as CollectionName] ?? []])) as Collections;
          finish(() => resolve({ kind: 'loaded', dataset: { data: collections, version: m.version, present: m.present, realDir: m.realDir, digests: m.digests } }));
          return;
        }
      }
    });
    worker.on('error', (err) => finish(() => reject(started ? err : new WorkerStartError(`the reload worker could not start: ${err.message}`))));
    worker.on('exit', (code) => finish(() => reject(new Error(`the reload worker stopped (exit code ${code}) before it finished`))));
  });
}
