/**
 * The digest schedule across instances (pg-boss): a due time, or a catch-up asked by every instance, runs once; so
 * does a cron tick of pg-boss's own clock, seen by the timekeepers of all three instances.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPool, type Pool } from '../../src/shared/db.js';
import { BossTrigger } from '../../src/shared/schedule.js';
import { postgresAvailability, startPostgres, type TestPostgres } from '../support/postgres.js';

describe.skipIf(!postgresAvailability().available)('the digest schedule on three instances', () => {
  let pg: TestPostgres;
  let pool: Pool;
  const triggers: BossTrigger[] = [];
  const fired: number[] = [];
  /** A run lasts until this settles (a run under way, for fires that come meanwhile). */
  let gate: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    pg = await startPostgres();
    const url = await pg.database();
    pool = await openPool(url);
    for (let i = 0; i < 3; i++) {
      // The timekeepers look at the cron every second (default 30 s), so a due tick is seen at once.
      const trigger = new BossTrigger({ url, schedule: '0 9 1 * *', timezone: 'UTC', pollingIntervalSeconds: 0.5, cronMonitorIntervalSeconds: 1 });
      await trigger.start(async () => {
        fired.push(i);
        await gate;
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

  it('starts on five instances at the same moment on a fresh database (replicas racing to create the queue)', async () => {
    const url = await pg.database();
    const racing = Array.from({ length: 5 }, () => new BossTrigger({ url, schedule: '0 9 1 * *', timezone: 'UTC' }));
    try {
      const started = await Promise.allSettled(racing.map((t) => t.start(async () => {})));
      expect(started.filter((r) => r.status === 'rejected')).toEqual([]);
      expect((await racing[0]!.boss.getSchedules()).map((s) => s.name)).toEqual(['salesbot-digest']);
    } finally {
      await Promise.all(racing.map((t) => t.stop()));
    }
  }, 60_000);

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

  it('turns 20 fires that come while a run is under way into one more run, not 20', async () => {
    fired.length = 0;
    let release!: () => void;
    gate = new Promise((r) => (release = r));
    await triggers[0]!.send({ kind: 'scheduled' });
    const end = Date.now() + 30_000;
    while (fired.length === 0) {
      if (Date.now() > end) throw new Error('the first run did not start within 30 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    await Promise.all(Array.from({ length: 20 }, (_, i) => triggers[i % 3]!.send({ kind: 'scheduled' })));
    release();
    await settle();
    expect(fired).toHaveLength(2);
  }, 60_000);

  it('runs the digest once when the cron comes due, though all three instances watch the clock', async () => {
    // A schedule due at one minute of the day, made due now (a minute with at least 15 s left): pg-boss sends a job for
    // a cron whose last due time is under a minute old, so every instance's timekeeper sees this tick as due, and none
    // sees another for a day. Changed as a restart with a new DIGEST_SCHEDULE changes it (an upsert).
    if (new Date().getUTCSeconds() > 45) await new Promise((r) => setTimeout(r, (61 - new Date().getUTCSeconds()) * 1000));
    const now = new Date();
    fired.length = 0;
    await triggers[2]!.boss.schedule('salesbot-digest', `${now.getUTCMinutes()} ${now.getUTCHours()} * * *`, { kind: 'scheduled' }, { tz: 'UTC' });
    const end = Date.now() + 30_000;
    while (fired.length === 0) {
      if (Date.now() > end) throw new Error('the due cron tick did not fire within 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    // Each timekeeper looks again every second: five more seconds give every instance several chances to fire twice.
    await new Promise((r) => setTimeout(r, 5_000));
    await settle();
    expect(fired).toHaveLength(1);
  }, 60_000);
});
