/**
 * A throwaway PostgreSQL for tests: `initdb` + `pg_ctl` from the machine's binaries, on a free port on 127.0.0.1,
 * with its socket in a temp dir, run as `nobody` when the tests run as root (PostgreSQL refuses root). With
 * TEST_DATABASE_URL set, that server is used instead and nothing is started.
 *
 * Outside CI, on a machine without PostgreSQL, `postgresForTests()` says so in one line and the tests that need it
 * are skipped; with CI=true a missing PostgreSQL fails the tests (`.ci/run` installs the Debian package).
 */
import { spawnSync } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './process.js';

export interface TestPostgres {
  /** A server URL (database `postgres`); use `database()` for a fresh database per test file. */
  url: string;
  /** Creates an empty database and returns its URL. */
  database(): Promise<string>;
  stop(): Promise<void>;
}

export type PostgresAvailability = { available: true; binDir?: string; url?: string } | { available: false; reason: string };

/** Where initdb and pg_ctl are: PATH first, then Debian's /usr/lib/postgresql/<version>/bin (newest first). */
export function findPostgresBin(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const dir = path.join(root, v, 'bin');
    if (existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  return undefined;
}

let said = false;

/** Whether PostgreSQL tests can run here; in CI a missing PostgreSQL is an error, not a skip. */
export function postgresAvailability(): PostgresAvailability {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return { available: true, url };
  const binDir = findPostgresBin();
  if (binDir) return { available: true, binDir };
  const reason = 'PostgreSQL tests skipped: no initdb/pg_ctl on PATH or under /usr/lib/postgresql (install the postgresql package, or set TEST_DATABASE_URL)';
  if (process.env.CI === 'true') throw new Error(`${reason}; with CI=true they must run (.ci/run installs the package)`);
  if (!said) {
    said = true;
    // One line per run, not per test file: the files of one run share the runner's parent process.
    try {
      closeSync(openSync(path.join(tmpdir(), `salesbot-pg-skip-${process.ppid}`), 'wx'));
      process.stderr.write(`${reason}\n`);
    } catch {
      /* another file of this run said it */
    }
  }
  return { available: false, reason };
}

function asUser(): string[] {
  // PostgreSQL refuses to run as root: the cluster belongs to nobody, run through setpriv.
  if (process.getuid?.() !== 0) return [];
  return ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--'];
}

function run(binDir: string, argv: string[], dir: string): void {
  const prefix = asUser();
  const [cmd, ...args] = [...prefix, path.join(binDir, argv[0]!), ...argv.slice(1)];
  const r = spawnSync(cmd!, args, { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' } });
  if (r.status !== 0) throw new Error(`${argv[0]} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
}

let counter = 0;

async function createDatabase(url: string): Promise<string> {
  const name = `t_${process.pid}_${Date.now().toString(36)}_${++counter}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Starts a cluster (or uses TEST_DATABASE_URL); call `stop()` in afterAll. */
export async function startPostgres(): Promise<TestPostgres> {
  const availability = postgresAvailability();
  if (!availability.available) throw new Error(availability.reason);
  if (availability.url) {
    const url = availability.url;
    return { url, database: () => createDatabase(url), stop: async () => undefined };
  }
  const binDir = availability.binDir!;
  const dir = mkdtempSync(path.join(tmpdir(), 'salesbot-pg-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) chownSync(dir, 65534, 65534);
  const port = await freePort();
  run(binDir, ['initdb', '-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C'], dir);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run(binDir, ['pg_ctl', '-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '30', 'start'], dir);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    database: () => createDatabase(url),
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        run(binDir, ['pg_ctl', '-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop'], dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
