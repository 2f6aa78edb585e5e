/**
 * Shared mode's PostgreSQL: one `pg` pool per process, the schema brought up to date at start (plain versioned
 * SQL, applied under an advisory lock so instances starting together migrate once), and the URL with its
 * password redacted for logs and messages.
 */
import pg from 'pg';
import { ConfigError } from '../config.js';
import type { Logger } from '../log.js';
import { MIGRATIONS } from './migrations.js';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

/** `postgres://bot:s3cret@db:5432/sales` → `postgres://bot:***@db:5432/sales`: never log a password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()]) if (/pass|secret|key/i.test(key)) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

export interface OpenOptions {
  max?: number;
  logger?: Logger;
  /** Application name shown in pg_stat_activity. */
  name?: string;
}

/** Opens a pool and checks it can connect; a failure names DATABASE_URL (redacted) and the reason. */
export async function openPool(url: string, options: OpenOptions = {}): Promise<Pool> {
  const pool = new pg.Pool({
    connectionString: url, max: options.max ?? 10, application_name: options.name ?? 'sales-bot',
    connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000,
    // Two connections outlive the idle timeout: a bot asked once a minute would otherwise open a connection (TCP,
    // start-up, authentication, prepared statements again) on the answer path of every question.
    min: Math.min(2, options.max ?? 10),
    // TCP keep-alive finds a connection a firewall or NAT dropped while idle before a request waits on it.
    keepAlive: true,
  });
  // An idle client whose connection drops (server restart) emits here; without a listener Node would exit.
  pool.on('error', (err) => options.logger?.warn({ err: { message: err.message } }, 'postgres: an idle connection failed; it is replaced on next use'));
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new ConfigError([`DATABASE_URL: cannot connect to ${redactUrl(url)} (${(err as Error).message})`]);
  }
  return pool;
}

/** A fixed key for pg_advisory_xact_lock: "sales-bot migrations". */
const MIGRATION_LOCK = 7_314_205_118;

/** Applies every migration not yet applied, in order, each in its own transaction. Returns the versions applied. */
export async function migrate(pool: Pool, logger?: Logger): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS salesbot_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM salesbot_migrations');
    const done = new Set(rows.map((r) => r.version));
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO salesbot_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  if (applied.length > 0) logger?.info({ applied }, 'postgres: schema migrated');
  return applied;
}

/** Runs `fn` in a transaction on one client. */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
