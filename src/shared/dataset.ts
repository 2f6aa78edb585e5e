/**
 * The dataset in PostgreSQL. `pushDataset` writes a dataset the loader has validated (the zod schemas of
 * src/data/schema.ts and every cross-reference) as one revision, one row per record, makes it the head and
 * announces it with NOTIFY, in one transaction. Every instance serves the head: `DatabaseDataset` writes the head's
 * collections into a local directory (one per revision, behind a `current` symbolic link swapped atomically) that
 * the ordinary `DataStore` loads — validated again, in its reload worker, keep-last-good — and a LISTEN connection
 * reloads on each announcement (and after a reconnect, in case one was missed).
 */
import { mkdir, mkdtemp, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { UserError } from '../core/errors.js';
import type { LoadedDataset } from '../data/load.js';
import { DATA_FILES } from '../data/schema.js';
import type { DataStore, ReloadResult } from '../data/store.js';
import type { Logger } from '../log.js';
import { inTransaction, type Pool } from './db.js';

export const DATASET_CHANNEL = 'salesbot_dataset';
type CollectionName = keyof typeof DATA_FILES;
const COLLECTIONS = Object.keys(DATA_FILES) as CollectionName[];
/** Records per INSERT: JSON text of a few MB, expanded server-side by jsonb_array_elements. */
const CHUNK = 20_000;
/** Revisions kept besides the head (their records too), for a look back; older ones are deleted. */
const KEEP_REVISIONS = 3;

export interface Revision {
  revision: number;
  /** The loader's version of the data pushed (a hash of the files it read). */
  version: string;
  pushedAt: Date;
}

/** Writes a validated dataset as a new revision and makes it the one every instance serves. */
export async function pushDataset(pool: Pool, dataset: Pick<LoadedDataset, 'data' | 'version'>, pushedBy = `${hostname()}:${process.pid}`): Promise<Revision> {
  return inTransaction(pool, async (client) => {
    const counts = Object.fromEntries(COLLECTIONS.map((n) => [n, dataset.data[n].length]));
    const { rows } = await client.query<{ revision: string; pushed_at: Date }>(
      'INSERT INTO dataset_revisions (version, pushed_by, counts) VALUES ($1, $2, $3) RETURNING revision, pushed_at',
      [dataset.version, pushedBy, JSON.stringify(counts)],
    );
    const revision = Number(rows[0]!.revision);
    for (const name of COLLECTIONS) {
      const records = dataset.data[name] as readonly unknown[];
      for (let start = 0; start < records.length; start += CHUNK) {
        await client.query(
          `INSERT INTO dataset_records (revision, collection, position, doc)
           SELECT $1, $2, $3 + t.ord - 1, t.doc FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS t(doc, ord)`,
          [revision, name, start, JSON.stringify(records.slice(start, start + CHUNK))],
        );
      }
    }
    await client.query(
      'INSERT INTO dataset_head (id, revision) VALUES (true, $1) ON CONFLICT (id) DO UPDATE SET revision = EXCLUDED.revision',
      [revision],
    );
    await client.query(
      `DELETE FROM dataset_revisions WHERE revision NOT IN (SELECT revision FROM dataset_revisions ORDER BY revision DESC LIMIT $1)`,
      [KEEP_REVISIONS + 1],
    );
    // Delivered at commit, to every instance listening.
    await client.query('SELECT pg_notify($1, $2)', [DATASET_CHANNEL, String(revision)]);
    return { revision, version: dataset.version, pushedAt: rows[0]!.pushed_at };
  });
}

export async function headRevision(pool: Pool): Promise<Revision | undefined> {
  const { rows } = await pool.query<{ revision: string; version: string; pushed_at: Date }>(
    'SELECT r.revision, r.version, r.pushed_at FROM dataset_head h JOIN dataset_revisions r USING (revision)',
  );
  const row = rows[0];
  return row ? { revision: Number(row.revision), version: row.version, pushedAt: row.pushed_at } : undefined;
}

/** The head's collections as the JSON text of each data file (records in their pushed order). */
export async function readRevisionFiles(pool: Pool, revision: number): Promise<Record<CollectionName, string>> {
  const { rows } = await pool.query<{ collection: string; body: string }>(
    `SELECT collection, json_agg(doc ORDER BY position)::text AS body FROM dataset_records WHERE revision = $1 GROUP BY collection`,
    [revision],
  );
  const out = Object.fromEntries(COLLECTIONS.map((n) => [n, '[]'])) as Record<CollectionName, string>;
  for (const row of rows) if ((COLLECTIONS as string[]).includes(row.collection)) out[row.collection as CollectionName] = row.body;
  return out;
}

/** Writes a revision's files into `dir` (every collection file, `[]` for an empty one). */
export async function writeRevision(pool: Pool, revision: number, dir: string): Promise<void> {
  const files = await readRevisionFiles(pool, revision);
  await mkdir(dir, { recursive: true });
  for (const name of COLLECTIONS) await writeFile(path.join(dir, DATA_FILES[name].file), files[name]);
}

/** Start-up in shared mode on a database without a dataset: a message to act on, no stack trace. */
export class NoDatasetError extends UserError {
  constructor() {
    super('DATABASE_URL', 'The database holds no dataset yet: push one with "npm run data:push" (DATA_DIR) or "npm run data:import -- <file> --database"');
  }
}

export interface DatabaseDatasetOptions {
  pool: Pool;
  url: string;
  logger?: Logger;
  /** Where revisions are written; default a new temp dir, removed by `stop()`. */
  dir?: string;
  /** How long to wait before reconnecting the LISTEN connection; default 1 s, doubling to 30 s. */
  reconnectMs?: number;
  /** A safety net besides NOTIFY: the head is checked this often (default 60 s). */
  pollMs?: number;
}

/**
 * The dataset directory a `DataStore` opens in shared mode (`dataDir`, a symbolic link to the head revision's
 * files), and the LISTEN connection that reloads the store when the head changes.
 */
export class DatabaseDataset {
  revision: Revision | undefined;
  private base = '';
  private client: pg.Client | undefined;
  private store: DataStore | undefined;
  private onReload: ((r: ReloadResult) => void) | undefined;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private delay: number;
  private syncing: Promise<void> = Promise.resolve();
  /** Dataset version → the revision it was loaded from: which revision an index serves. */
  private readonly loaded = new Map<string, number>();

  constructor(private readonly options: DatabaseDatasetOptions) {
    this.delay = options.reconnectMs ?? 1_000;
  }

  get dataDir(): string {
    return path.join(this.base, 'current');
  }

  /** Writes the head revision locally; throws `NoDatasetError` when the database has none yet. */
  async prepare(): Promise<string> {
    this.base = this.options.dir ?? await mkdtemp(path.join(tmpdir(), 'salesbot-dataset-'));
    await mkdir(this.base, { recursive: true });
    await this.sync();
    if (!this.revision) throw new NoDatasetError();
    return this.dataDir;
  }

  /** Brings the local directory to the head revision (the store's `beforeReload`); queued, never concurrent. */
  sync(): Promise<void> {
    const next = this.syncing.catch(() => undefined).then(() => this.syncNow());
    this.syncing = next;
    return next;
  }

  private async syncNow(): Promise<void> {
    const head = await headRevision(this.options.pool);
    if (!head || head.revision === this.revision?.revision) return;
    const dir = path.join(this.base, `rev-${head.revision}`);
    await rm(dir, { recursive: true, force: true });
    await writeRevision(this.options.pool, head.revision, dir);
    // Swapped atomically: a load resolves the link once, so it never mixes two revisions.
    const link = path.join(this.base, `current.${process.pid}.tmp`);
    await rm(link, { force: true });
    await symlink(path.basename(dir), link);
    await rename(link, this.dataDir);
    const previous = this.revision;
    this.revision = head;
    // Keep the previous revision (a load may still be reading it); older ones go.
    for (const name of await readdir(this.base)) {
      const m = name.match(/^rev-(\d+)$/);
      if (m && Number(m[1]) !== head.revision && Number(m[1]) !== previous?.revision) await rm(path.join(this.base, name), { recursive: true, force: true });
    }
  }

  /** The database revision the given dataset version was loaded from (what `/healthz` shows), if known. */
  revisionOf(version: string): number | undefined {
    return this.loaded.get(version);
  }

  /** Listens for new revisions and reloads `store` on each (the result goes to `onReload`). */
  async follow(store: DataStore, onReload?: (r: ReloadResult) => void): Promise<void> {
    this.store = store;
    if (this.revision) this.loaded.set(store.current.version, this.revision.revision);
    this.onReload = onReload;
    await this.connect();
    const pollMs = this.options.pollMs ?? 60_000;
    this.pollTimer = setInterval(() => void this.reload('poll'), pollMs);
    this.pollTimer.unref();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.options.url, application_name: 'sales-bot listen' });
    client.on('error', (err) => {
      this.options.logger?.warn({ err: { message: err.message } }, 'dataset: the LISTEN connection failed; reconnecting');
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    client.on('notification', (msg) => {
      if (msg.channel === DATASET_CHANNEL) void this.reload(`notify ${msg.payload ?? ''}`);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${DATASET_CHANNEL}`);
      this.client = client;
      this.delay = this.options.reconnectMs ?? 1_000;
    } catch (err) {
      this.options.logger?.warn({ err: { message: (err as Error).message } }, 'dataset: cannot LISTEN for new revisions; retrying');
      this.reconnect(client);
      return;
    }
    // A revision pushed while we were not listening.
    void this.reload('listen');
  }

  private reconnect(client: pg.Client): void {
    if (this.stopped || this.retryTimer || (this.client && this.client !== client)) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    const delay = this.delay;
    this.delay = Math.min(this.delay * 2, 30_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
    this.retryTimer.unref();
  }

  private async reload(why: string): Promise<void> {
    if (this.stopped || !this.store) return;
    const before = this.revision?.revision;
    const synced = this.revision?.revision;
    const result = await this.store.reload();
    // The revision the new index was loaded from (the store loads the link's target as synced just before).
    if (result.ok && synced !== undefined && this.revision?.revision !== undefined) this.loaded.set(result.index.version, this.revision.revision);
    if (result.ok && this.revision?.revision !== before) {
      this.options.logger?.info({ revision: this.revision?.revision, version: result.index.version, why }, 'dataset: serving a new revision from the database');
    }
    this.onReload?.(result);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pollTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    await this.syncing.catch(() => undefined);
    if (!this.options.dir && this.base) await rm(this.base, { recursive: true, force: true });
  }
}
