/** The digest schedule across instances (pg-boss): a due time, or a catch-up asked by every instance, runs once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPool, type Pool } from '../../src/shared/db.js';
import { BossTrigger } from '../../src/shared/schedule.js';
import { postgresAvailability, startPostgres, type TestPostgres } from '../support/postgres.js';

describe.skipIf(!postgresAvailability().available)('the digest schedule on three instances', () => {
  let pg: TestPostgres;
  let pool: Pool;
  const triggers: BossTrigger[] = [];
  const fired: number[] = [];

  beforeAll(async () => {
    pg = await startPostgres();
    const url = await pg.database();
    pool = await openPool(url);
    for (let i = 0; i < 3; i++) {
      const trigger = new BossTrigger({ url, schedule: '0 9 1 * *', timezone: 'UTC', pollingIntervalSeconds: 0.5 });
      await trigger.start(async () => {
        fired.push(i);
      });
      triggers.push(trigger);
    }
  }, 60_000);
  afterAll(async () => {
    for (const t of triggers) await t.stop();
    await pool?.end();
    await pg?.stop();
  });

  /** Waits (bounded) until no job of the queue is waiting or running: every job sent has fired by then. */
  async function settle(): Promise<void> {
    const end = Date.now() + 30_000;
    for (;;) {
      const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM pgboss.job WHERE name = 'salesbot-digest' AND state < 'completed'");
      if (rows[0]!.n === '0') return;
      if (Date.now() > end) throw new Error('digest jobs still pending after 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('registers one schedule for all instances', async () => {
    const schedules = await triggers[0]!.boss.getSchedules();
    expect(schedules.map((s) => [s.name, s.cron, s.options?.tz])).toEqual([['salesbot-digest', '0 9 1 * *', 'UTC']]);
  });

  it('runs a due job on exactly one instance', async () => {
    fired.length = 0;
    await triggers[1]!.send({ kind: 'scheduled' });
    await settle();
    expect(fired).toHaveLength(1);
  }, 60_000);

  it('runs one catch-up when every instance asks for the same scheduled time', async () => {
    fired.length = 0;
    const previous = new Date('2025-06-01T09:00:00Z');
    await Promise.all(triggers.map((t) => t.catchUp(previous, 'missed while down')));
    await settle();
    expect(fired).toHaveLength(1);
  }, 60_000);
});
