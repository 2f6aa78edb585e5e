/**
 * Watches the data directory and reloads on change. Editors and `cp` write in bursts, so changes are
 * debounced; a broken file is reported and the previous data keeps serving.
 *
 * `DATA_DIR` may be a symbolic link that a deploy swaps (`ln -sfn releases/42 data`): the link's directory is
 * watched too, and a slow poll notices a swapped link or a directory replaced under the watcher, which then
 * re-attaches. A watcher error is reported and recovered from, never fatal.
 */
import { lstatSync, realpathSync, watch, type FSWatcher } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { DataStore, ReloadResult } from './store.js';

export interface DataWatcherOptions {
  store: DataStore;
  debounceMs?: number;
  /** How often the directory's identity (where a link points) is checked; default 2 s. */
  pollMs?: number;
  onReload: (result: ReloadResult) => void;
  /** A problem with watching itself (not with the data): logged by the caller; the watcher recovers. */
  onWarning?: (message: string) => void;
}

/** How long `stop()` waits for a reload it has aborted. */
const STOP_WAIT_MS = 2_000;

export class DataWatcher {
  private watcher?: FSWatcher;
  private linkWatcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private poll?: NodeJS.Timeout;
  private retry?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  private target: string | undefined;
  private polling = false;
  private stopped = false;

  constructor(private readonly options: DataWatcherOptions) {}

  private get dir(): string {
    return this.options.store.dir;
  }

  start(): void {
    // Resolved before anything can change it, so a swap right after start is noticed.
    try {
      this.target = realpathSync(this.dir);
    } catch {
      this.target = undefined;
    }
    this.attach();
    this.watchLink();
    this.poll = setInterval(() => void this.checkTarget(), this.options.pollMs ?? 2_000);
    this.poll.unref();
  }

  private warn(message: string): void {
    this.options.onWarning?.(message);
  }

  /** Watches the directory (through a link: its current target). */
  private attach(): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.stopped) return;
    try {
      const w = watch(this.dir, () => this.schedule());
      w.on('error', (err) => {
        this.warn(`watching ${this.dir} failed (${err.message}); watching again`);
        this.reattachSoon();
      });
      this.watcher = w;
    } catch (err) {
      this.warn(`cannot watch ${this.dir} (${(err as Error).message}); retrying`);
      this.reattachSoon();
    }
  }

  private reattachSoon(): void {
    clearTimeout(this.retry);
    if (this.stopped) return;
    this.retry = setTimeout(() => {
      this.attach();
      this.schedule();
    }, 1_000);
    this.retry.unref();
  }

  /** When DATA_DIR is a link, its parent directory shows the link being replaced. */
  private watchLink(): void {
    let isLink = false;
    try {
      isLink = lstatSync(this.dir).isSymbolicLink();
    } catch {
      return;
    }
    if (!isLink) return;
    const name = path.basename(this.dir);
    try {
      this.linkWatcher = watch(path.dirname(this.dir), (_event, file) => {
        if (file === null || String(file) === name) void this.checkTarget();
      });
      this.linkWatcher.on('error', () => undefined);
    } catch {
      // The poll still notices a swapped link.
    }
  }

  private async resolveTarget(): Promise<string | undefined> {
    try {
      return await realpath(this.dir);
    } catch {
      return undefined;
    }
  }

  /** Re-attaches and reloads when the directory now resolves elsewhere (a swapped link, a replaced directory). */
  private async checkTarget(): Promise<void> {
    if (this.polling || this.stopped) return;
    this.polling = true;
    try {
      const now = await this.resolveTarget();
      if (now !== this.target) {
        this.target = now;
        this.attach();
        this.schedule();
      }
    } finally {
      this.polling = false;
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      // Reloads run one after another, never two at once; a failed one never stops later ones.
      this.running = this.running.then(async () => {
        let result: ReloadResult;
        try {
          result = await this.options.store.reload();
        } catch (error) {
          result = { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
        }
        try {
          this.options.onReload(result);
        } catch {
          // A failing callback must not stop later reloads.
        }
      });
    }, this.options.debounceMs ?? 250);
  }

  /** Stops watching and aborts a reload in progress; resolves within a couple of seconds whatever the disk does. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.retry);
    clearInterval(this.poll);
    this.watcher?.close();
    this.linkWatcher?.close();
    this.options.store.abort();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))]);
    clearTimeout(timer);
  }
}
