/**
 * Shared mode against a real PostgreSQL (test/support/postgres.ts): the dataset in tables served by several
 * instances, and the digest ledger deciding one poster per (month, platform, channel) across instances.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { loadDataset } from '../../src/data/load.js';
import { createDigestScheduler } from '../../src/schedule/index.js';
import { DATASET_CHANNEL, headRevision, pushDataset } from '../../src/shared/dataset.js';
import { migrate, openPool, type Pool } from '../../src/shared/db.js';
import { openShared, type SharedMode } from '../../src/shared/index.js';
import { PgDigestLedger, SessionLease } from '../../src/shared/ledger.js';
import { postgresAvailability, startPostgres, type TestPostgres } from '../support/postgres.js';
import { BUNDLED_DATA, removeDataDirs } from '../support/data-dir.js';
import { captureLogger, dataDirWithMonths, RecordingPoster, type Post } from '../schedule/helpers.js';

async function until(check: () => boolean | Promise<boolean>, what: string, limitMs = 5_000): Promise<void> {
  const end = Date.now() + limitMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`not within ${limitMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!postgresAvailability().available)('shared mode on PostgreSQL', () => {
  let pg: TestPostgres;
  let url: string;
  let pool: Pool;
  const opened: SharedMode[] = [];
  const leases: SessionLease[] = [];

  beforeAll(async () => {
    pg = await startPostgres();
    url = await pg.database();
    pool = await openPool(url);
    await migrate(pool);
    await pushDataset(pool, await loadDataset(BUNDLED_DATA));
  }, 60_000);
  afterAll(async () => {
    for (const s of opened) await s.close();
    for (const l of leases) await l.close();
    await pool?.end();
    await pg?.stop();
    removeDataDirs();
  });

  async function instance(env: Record<string, string> = {}): Promise<App & { shared: SharedMode }> {
    const config = parseConfig({ DATABASE_URL: url, DATA_DIR: '/nonexistent', ...env });
    const shared = await openShared(config);
    opened.push(shared);
    const app = await createApp(config, undefined, { shared });
    await shared.dataset.follow(app.store);
    return { ...app, shared };
  }

  const answer = (app: App, text: string) => app.bot.handleLine(text, { platform: 'console', user: 'u' });

  it('serves the dataset from tables on every instance, and a push reaches all three by NOTIFY', async () => {
    const apps = [await instance(), await instance(), await instance()];
    const versions = new Set(apps.map((a) => a.store.current.version));
    expect(versions.size).toBe(1);
    expect(apps.map((a) => a.shared.dataset.revision?.revision)).toEqual(Array(3).fill((await headRevision(pool))!.revision));
    expect(answer(apps[0]!, '/sales xiaomi april').title).toBe(answer(apps[2]!, '/sales xiaomi april').title);
    expect(answer(apps[1]!, '/sales xiaomi june 2025').kind).not.toBe('answer');

    const next = await loadDataset(dataDirWithMonths('2025-06'));
    const pushed = await pushDataset(pool, next);
    // Bounded wait (5 s, the promise): every instance serves June.
    await until(() => apps.every((a) => a.store.current.months.includes('2025-06')), 'all three serve the pushed revision');
    expect(new Set(apps.map((a) => a.store.current.version)).size).toBe(1);
    expect(apps.map((a) => a.shared.dataset.revision?.revision)).toEqual([pushed.revision, pushed.revision, pushed.revision]);
    expect(answer(apps[2]!, '/sales xiaomi june 2025').kind).toBe('answer');
  });

  it('keeps the last good dataset when a revision in the database is invalid', async () => {
    const app = await instance();
    const before = app.store.current.version;
    const head = (await headRevision(pool))!;
    // Written behind the CLI's back: a figure with units "28k" in a new revision, announced.
    const { rows } = await pool.query<{ revision: string }>("INSERT INTO dataset_revisions (version, pushed_by, counts) VALUES ('bad', 'test', '{}') RETURNING revision");
    const bad = Number(rows[0]!.revision);
    await pool.query('INSERT INTO dataset_records (revision, collection, position, doc) SELECT $1, collection, position, doc FROM dataset_records WHERE revision = $2', [bad, head.revision]);
    await pool.query(`UPDATE dataset_records SET doc = jsonb_set(doc, '{units}', '"28k"') WHERE revision = $1 AND collection = 'sales' AND position = 0`, [bad]);
    await pool.query('UPDATE dataset_head SET revision = $1', [bad]);
    const result = await app.store.reload();
    expect(result.ok).toBe(false);
    expect(String(!result.ok && result.error.message)).toMatch(/sales\.json: item 1, units/);
    expect(app.store.current.version).toBe(before);
    await pool.query('UPDATE dataset_head SET revision = $1', [head.revision]);
    await pool.query('SELECT pg_notify($1, $2)', [DATASET_CHANNEL, String(head.revision)]);
  });

  it('lets exactly one of several racing instances claim a (month, platform, channel)', async () => {
    const ledgers = [0, 1, 2].map(() => {
      const lease = new SessionLease(url);
      leases.push(lease);
      return new PgDigestLedger(pool, lease, url);
    });
    const key = { platform: 'slack' as const, channel: 'CRACE', month: '2025-05' };
    const results = await Promise.all(ledgers.flatMap((l) => [l.claim(key), l.claim(key), l.claim(key)]));
    expect(results.filter((r) => r.kind === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'in-flight')).toHaveLength(8);
    // Its owner's session ends (the process died): every instance now sees the claim in doubt, never in flight.
    const owner = ledgers[results.findIndex((r) => r.kind === 'claimed') / 3 | 0]!;
    await leases[ledgers.indexOf(owner)]!.close();
    await until(async () => (await ledgers[0]!.status(key))?.kind === 'in-doubt', 'the dead owner\'s claim is in doubt');
    const status = await ledgers[1]!.status(key);
    expect(status?.kind === 'in-doubt' && status.why).toBe('owner-gone');
    expect(await ledgers[2]!.resolve(key, 'repost')).toMatchObject({ done: true });
    expect(await ledgers[2]!.status(key)).toBeUndefined();
  });

  it('posts each (month, channel) exactly once when 20 digest runs race on three instances', async () => {
    const dataDir = dataDirWithMonths('2025-06', '2025-07');
    await pushDataset(pool, await loadDataset(dataDir));
    const log: Post[] = [];
    const spans: { channel: string; began: number; ended: number }[] = [];
    const schedulers = await Promise.all([0, 1, 2].map(async () => {
      const app = await instance({ DIGEST_SLACK_CHANNEL: 'CDIGEST', DIGEST_DISCORD_CHANNEL: '123456789012345678' });
      const lease = new SessionLease(url);
      leases.push(lease);
      return createDigestScheduler({
        bot: app.bot, store: app.store, config: app.config, logger: captureLogger().logger,
        posters: [new RecordingPoster('slack', log, { delayMs: 5, spans }), new RecordingPoster('discord', log, { delayMs: 5, spans })],
        ledger: new PgDigestLedger(pool, lease, url),
      });
    }));
    // The channels have had April already, so each run has May, June and July to post, oldest first.
    for (const [platform, channel] of [['slack', 'CDIGEST'], ['discord', '123456789012345678']] as const) {
      await pool.query(
        `INSERT INTO digest_ledger (platform, channel, month, state, claimed_at, owner_run, owner_pid, owner_host, posted_at, message_id, message_channel)
         VALUES ($1, $2, '2025-04', 'posted', now(), 'seed', 1, 'seed', now(), 'm0', $2)`,
        [platform, channel],
      );
    }
    const fires = Array.from({ length: 20 }, (_, i) => schedulers[i % 3]!.runOnce());
    const reports = await Promise.all(fires);
    expect(reports.every((r) => r.channels.every((c) => c.failed.length === 0 && c.error === undefined))).toBe(true);
    // Runs that found another instance mid-post left it to that instance; one more run finishes anything left.
    await schedulers[0]!.runOnce();
    const keys = log.map((p) => `${p.platform}:${p.channel}:${p.title}`);
    expect(keys).toHaveLength(6);
    expect(new Set(keys).size).toBe(6);
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM digest_ledger WHERE state = 'posted' AND month IN ('2025-05', '2025-06', '2025-07')`);
    expect(rows[0]!.n).toBe('6');
    // Never two posts in flight to one channel at once, across instances.
    for (const channel of new Set(spans.map((s) => s.channel))) {
      const mine = spans.filter((s) => s.channel === channel).sort((a, b) => a.began - b.began);
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.began).toBeGreaterThanOrEqual(mine[i - 1]!.ended);
    }
  }, 60_000);
});
