/**
 * Watches the data directory and reloads on change. Editors and `cp` write in bursts, so changes are
 * debounced; a broken file is reported and the previous data keeps serving.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { DataStore, ReloadResult } from './store.js';

export interface DataWatcherOptions {
  store: DataStore;
  debounceMs?: number;
  onReload: (result: ReloadResult) => void;
}

export class DataWatcher {
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private running = Promise.resolve();

  constructor(private readonly options: DataWatcherOptions) {}

  start(): void {
    this.watcher = watch(this.options.store.dir, () => this.schedule());
    this.watcher.on('error', () => this.schedule());
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      // Reloads run one after another, never two at once.
      this.running = this.running.then(async () => this.options.onReload(await this.options.store.reload()));
    }, this.options.debounceMs ?? 250);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.watcher?.close();
    await this.running;
  }
}
