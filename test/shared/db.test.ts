import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { migrate, openPool, redactUrl, type Pool } from '../../src/shared/db.js';
import { MIGRATIONS } from '../../src/shared/migrations.js';
import { postgresAvailability, startPostgres, type TestPostgres } from '../support/postgres.js';

describe('DATABASE_URL', () => {
  it('takes a postgres URL and never echoes it back in an error', () => {
    expect(parseConfig({ DATABASE_URL: 'postgres://bot:pw@127.0.0.1:5432/sales' }).DATABASE_URL).toBe('postgres://bot:pw@127.0.0.1:5432/sales');
    expect(() => parseConfig({ DATABASE_URL: 'mysql://bot:hunter2@db/sales' })).toThrow(/DATABASE_URL: expected a PostgreSQL URL/);
    expect(() => parseConfig({ DATABASE_URL: 'mysql://bot:hunter2@db/sales' })).not.toThrow(/hunter2/);
  });

  it('is redacted for logs', () => {
    expect(redactUrl('postgres://bot:s3cret@db:5432/sales?sslpassword=x')).toBe('postgres://bot:***@db:5432/sales?sslpassword=***');
    expect(redactUrl('postgres://db/sales')).toBe('postgres://db/sales');
  });
});

describe.skipIf(!postgresAvailability().available)('PostgreSQL schema', () => {
  let pg: TestPostgres;
  let pool: Pool;
  beforeAll(async () => {
    pg = await startPostgres();
    pool = await openPool(await pg.database());
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await pg?.stop();
  });

  it('migrates once when several instances start together, and again is a no-op', async () => {
    const results = await Promise.all([migrate(pool), migrate(pool), migrate(pool)]);
    expect(results.flat()).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(pool)).toEqual([]);
    const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_name IN ('digest_ledger', 'dataset_records', 'rate_limits', 'slack_events')");
    expect(rows[0]!.n).toBe('4');
  });

  it('names DATABASE_URL, without the password, when it cannot connect', async () => {
    const url = new URL(pg.url);
    url.password = 'hunter2';
    url.pathname = '/no_such_db';
    const err = await openPool(url.toString()).catch((e: unknown) => e as Error);
    expect(String(err)).toMatch(/DATABASE_URL: cannot connect to postgres:\/\/postgres:\*\*\*@127\.0\.0\.1/);
    expect(String(err)).not.toContain('hunter2');
  });
});
