/**
 * Shared mode against a real PostgreSQL (test/support/postgres.ts): the dataset in tables served by several
 * instances, and the digest ledger deciding one poster per (month, platform, channel) across instances.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostedMessage, Poster } from '../../src/core/adapter.js';
import type { Reply } from '../../src/core/reply.js';
import { SharedEventIds } from '../../src/shared/dedup.js';
import { SharedRateLimiter } from '../../src/shared/rate-limit.js';
import { ROOT, TSX_LOADER } from '../support/child.js';
import { createApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { loadDataset } from '../../src/data/load.js';
import type { DataStore } from '../../src/data/store.js';
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
    // Every instance serves June: seconds on an idle machine; bounded at 30 s so a loaded CI machine is no failure.
    await until(() => apps.every((a) => a.store.current.months.includes('2025-06')), 'all three serve the pushed revision', 30_000);
    expect(new Set(apps.map((a) => a.store.current.version)).size).toBe(1);
    expect(apps.map((a) => a.shared.dataset.revision?.revision)).toEqual([pushed.revision, pushed.revision, pushed.revision]);
    expect(answer(apps[2]!, '/sales xiaomi june 2025').kind).toBe('answer');
  }, 60_000);

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
  }, 60_000);

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
      // The data does not change during the race: each run's reload answers "unchanged" at once (the ledger is the subject).
      const store = { get current() { return app.store.current; }, reload: async () => ({ ok: true as const, changed: false, index: app.store.current, warnings: [] }) } as unknown as DataStore;
      return createDigestScheduler({
        bot: app.bot, store, config: app.config, logger: captureLogger().logger,
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

  it('refuses the (N+1)th request of a user spread over three instances, and tells them once', async () => {
    const limiters = [0, 1, 2].map(() => new SharedRateLimiter({ pool, limit: 5 }));
    const decisions = [];
    for (let i = 0; i < 8; i++) decisions.push(await limiters[i % 3]!.check('slack:U1'));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false, false, false]);
    expect(decisions.filter((d) => !d.allowed && d.warn)).toHaveLength(1);
    expect((await limiters[1]!.check('slack:U2')).allowed).toBe(true);
  });

  it('answers a Slack event retried to another instance once', async () => {
    const instances = [new SharedEventIds(pool), new SharedEventIds(pool), new SharedEventIds(pool)];
    const seen = await Promise.all(instances.map((d) => d.check('Ev0RETRY')));
    expect(seen.filter((s) => !s)).toHaveLength(1);
    expect(await instances[0]!.check('Ev0OTHER')).toBe(false);
    // After the replay window the id is new again.
    expect(await instances[1]!.check('Ev0RETRY', Date.now() + 6 * 60_000)).toBe(false);
  });

  /** A channel at the Poster boundary that can also be searched by the post's key, as Slack's history is. */
  class Channel {
    readonly messages: { channel: string; key: string; id: string }[] = [];
    poster(platform: 'slack' | 'discord'): Poster {
      return {
        platform,
        post: async (channel: string, _reply: Reply, options?: { idempotencyKey?: string }): Promise<PostedMessage> => {
          const id = `m${this.messages.length + 1}`;
          this.messages.push({ channel, key: options?.idempotencyKey ?? '', id });
          return { id, channel };
        },
        findPosted: async (channel: string, query: { idempotencyKey: string }) => {
          const m = this.messages.find((x) => x.channel === channel && x.key === query.idempotencyKey);
          return m ? { id: m.id, channel } : undefined;
        },
      };
    }
  }

  it('kill -9 of the poster mid-post leaves no duplicate and no miss', async () => {
    await pushDataset(pool, await loadDataset(dataDirWithMonths('2025-06')));
    const channel = new Channel();
    let killed: Promise<unknown> = Promise.resolve();
    let onPost: () => void = () => undefined;
    const standin: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const { channel: ch, key } = JSON.parse(body) as { channel: string; key: string };
        // The message is in the channel; the poster dies before it hears back.
        channel.messages.push({ channel: ch, key, id: `m${channel.messages.length + 1}` });
        onPost();
        res.on('close', () => undefined);
      });
    });
    await new Promise<void>((r) => standin.listen(0, '127.0.0.1', r));
    const port = (standin.address() as AddressInfo).port;
    try {
      const posted = new Promise<void>((r) => (onPost = r));
      const child = spawn(process.execPath, ['--import', TSX_LOADER, path.join(ROOT, 'test/shared/post-and-die.ts'), url, String(port), 'slack', 'CKILL', '2025-06'], { stdio: ['ignore', 'pipe', 'pipe'] });
      killed = new Promise((r) => child.on('exit', r));
      await posted;
      child.kill('SIGKILL');
      await killed;

      const app = await instance({ DIGEST_SLACK_CHANNEL: 'CKILL' });
      const lease = new SessionLease(url);
      leases.push(lease);
      const ledger = new PgDigestLedger(pool, lease, url);
      await until(async () => (await ledger.status({ platform: 'slack', channel: 'CKILL', month: '2025-06' }))?.kind === 'in-doubt', 'the killed poster\'s claim is in doubt', 30_000);
      const scheduler = createDigestScheduler({
        bot: app.bot, store: app.store, config: app.config, logger: captureLogger().logger, posters: [channel.poster('slack')], ledger, settleMs: 0,
      });
      // May was never posted to this channel (its history starts at June, the month the dead poster claimed).
      const report = await scheduler.runOnce();
      expect(report.channels[0]!.settled).toEqual([{ month: '2025-06', as: 'found', id: 'm1' }]);
      expect(channel.messages.filter((m) => m.key === 'slack:CKILL:2025-06')).toHaveLength(1);
      expect((await ledger.status({ platform: 'slack', channel: 'CKILL', month: '2025-06' }))?.kind).toBe('posted');

      // Killed before the post reached the channel: after the settle time it is posted, once.
      const child2 = spawn(process.execPath, ['--import', TSX_LOADER, path.join(ROOT, 'test/shared/post-and-die.ts'), url, '1', 'slack', 'CKILL2', '2025-06'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child2.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise((r) => child2.on('exit', r));
      await until(() => out.includes('claimed'), 'the second poster claimed', 30_000);
      child2.kill('SIGKILL');
      await exited;
      await until(async () => (await ledger.status({ platform: 'slack', channel: 'CKILL2', month: '2025-06' }))?.kind === 'in-doubt', 'in doubt', 30_000);
      const scheduler2 = createDigestScheduler({
        bot: app.bot, store: app.store, config: { ...app.config, DIGEST_SLACK_CHANNEL: 'CKILL2' }, logger: captureLogger().logger, posters: [channel.poster('slack')], ledger, settleMs: 0,
      });
      const report2 = await scheduler2.runOnce();
      expect(report2.channels[0]!.settled).toEqual([{ month: '2025-06', as: 'absent' }]);
      expect(channel.messages.filter((m) => m.key === 'slack:CKILL2:2025-06')).toHaveLength(1);
      await scheduler2.runOnce();
      expect(channel.messages.filter((m) => m.key === 'slack:CKILL2:2025-06')).toHaveLength(1);
    } finally {
      standin.closeAllConnections();
      await new Promise((r) => standin.close(r));
    }
  }, 120_000);
});
