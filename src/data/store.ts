/**
 * Holds the dataset now serving. A reload builds a whole new index and swaps the reference,
 * so a request in flight finishes on the index it started with; a broken reload keeps the old one.
 *
 * Reloads read, parse and validate in a worker thread (`reload.ts`); only the finished records come back, and
 * the index is swapped in once it is complete.
 */
import path from 'node:path';
import { DatasetIndex } from './index.js';
import { loadDataset, type LoadedDataset, type LoadOptions } from './load.js';
import { loadInWorker, WorkerStartError } from './reload.js';
import { DATA_FILES } from './schema.js';

type CollectionName = keyof typeof DATA_FILES;

export type ReloadResult =
  | { ok: true; changed: boolean; index: DatasetIndex; warnings: string[]; timings?: ReloadTimings }
  | { ok: false; error: Error };

/** Where a reload's time went: loading (in the worker, plus rebuilding the records here) and building the index. */
export interface ReloadTimings {
  loadMs: number;
  /** Building the index on the main thread, in steps that yield to answers (`DatasetIndex.build`). */
  indexMs: number;
}

export interface DataStoreOptions extends LoadOptions {
  /** Reload in a worker thread (default true); false loads on the main thread, as start-up does. */
  worker?: boolean;
  /**
   * Runs before every reload, e.g. to bring a directory up to date from a database (shared mode,
   * src/shared/dataset.ts). A failure fails that reload; the data serving stays.
   */
  beforeReload?: () => Promise<void>;
}

export class DataStore {
  private index: DatasetIndex;
  private present: Record<CollectionName, boolean>;
  private queue: Promise<unknown> = Promise.resolve();
  private inFlight: AbortController | undefined;
  private workerBroken = false;

  private constructor(readonly dir: string, loaded: LoadedDataset, private readonly options: DataStoreOptions) {
    this.index = DatasetIndex.fromLoaded(loaded);
    this.present = loaded.present;
  }

  /** Loads the directory; throws `DataError` when it is invalid (start-up must stop). */
  static async open(dir: string, options: DataStoreOptions = {}): Promise<DataStore> {
    return new DataStore(dir, await loadDataset(dir, options), options);
  }

  get current(): DatasetIndex {
    return this.index;
  }

  /** Reloads the directory; calls queue, so two reloads never run at once. Never rejects. */
  reload(): Promise<ReloadResult> {
    const run = this.queue.then(() => this.reloadNow());
    this.queue = run;
    return run;
  }

  /** Stops a reload in progress (shutdown): its worker is terminated and it resolves as failed. */
  abort(): void {
    this.inFlight?.abort();
  }

  private async reloadNow(): Promise<ReloadResult> {
    const controller = new AbortController();
    this.inFlight = controller;
    const started = performance.now();
    // Functions cannot cross into the worker: only the load limits go there.
    const { beforeReload, worker: _worker, ...loadOptions } = this.options;
    try {
      await beforeReload?.();
      let loaded: LoadedDataset | undefined;
      const notes: string[] = [];
      if (this.options.worker !== false && !this.workerBroken) {
        try {
          const r = await loadInWorker(this.dir, { ...loadOptions, signal: controller.signal, currentVersion: this.index.version });
          if (r.kind === 'unchanged') return { ok: true, changed: false, index: this.index, warnings: [] };
          loaded = r.dataset;
        } catch (err) {
          if (!(err instanceof WorkerStartError)) throw err;
          // Without a worker (an unusual runtime), reloads still work, on the main thread; said once.
          this.workerBroken = true;
          notes.push(`${err.message}; reloads now run on the main thread (answers pause while a large dataset loads)`);
        }
      }
      loaded ??= await loadDataset(this.dir, loadOptions);
      if (loaded.version === this.index.version) return { ok: true, changed: false, index: this.index, warnings: notes };
      const warnings = [...notes, ...this.lost(loaded)];
      const loadedAt = performance.now();
      this.index = await DatasetIndex.build(loaded, this.index);
      this.present = loaded.present;
      const timings = { loadMs: loadedAt - started, indexMs: performance.now() - loadedAt };
      return { ok: true, changed: true, index: this.index, warnings, timings };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    } finally {
      if (this.inFlight === controller) this.inFlight = undefined;
    }
  }

  /** What the new data no longer has that the serving data had: a deleted or emptied file. */
  private lost(next: LoadedDataset): string[] {
    const warnings: string[] = [];
    for (const name of Object.keys(DATA_FILES) as CollectionName[]) {
      const before = this.index.data[name].length;
      const after = next.data[name].length;
      const file = path.join(this.dir, DATA_FILES[name].file);
      const what = name === 'sales' ? 'figures' : name;
      if (this.present[name] && !next.present[name]) {
        warnings.push(`${file} disappeared: ${before.toLocaleString('en-US')} ${what} are no longer served; restore the file if that was not intended`);
      } else if (before > 0 && after === 0) {
        warnings.push(`${file} is now empty: ${before.toLocaleString('en-US')} ${what} are no longer served; restore the file if that was not intended`);
      }
    }
    return warnings;
  }
}
