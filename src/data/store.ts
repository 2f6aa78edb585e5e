/**
 * Holds the dataset now serving. A reload builds a whole new index and swaps the reference,
 * so a request in flight finishes on the index it started with; a broken reload keeps the old one.
 */
import { DatasetIndex } from './index.js';

export type ReloadResult = { ok: true; changed: boolean; index: DatasetIndex } | { ok: false; error: Error };

export class DataStore {
  private index: DatasetIndex;

  private constructor(readonly dir: string, index: DatasetIndex) {
    this.index = index;
  }

  /** Loads the directory; throws `DataError` when it is invalid (start-up must stop). */
  static async open(dir: string): Promise<DataStore> {
    return new DataStore(dir, await DatasetIndex.load(dir));
  }

  get current(): DatasetIndex {
    return this.index;
  }

  async reload(): Promise<ReloadResult> {
    try {
      const next = await DatasetIndex.load(this.dir);
      const changed = next.version !== this.index.version;
      if (changed) this.index = next;
      return { ok: true, changed, index: this.index };
    } catch (error) {
      return { ok: false, error: error as Error };
    }
  }
}
