/**
 * Three `npm start` processes (src/main.ts) on one PostgreSQL, each with Slack over HTTP (against the loopback Slack
 * stand-in), the health port with Discord's Interactions endpoint, and a digest channel — the proof at the
 * level of processes: a push or import is served by all three, the rate limit holds per user across them, a Slack
 * retry to another instance is answered once, a forged Discord interaction gets 401, and 20 digest fires post each
 * month once even when the poster is killed with SIGKILL mid-post.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIGEST_QUEUE } from '../../src/shared/schedule.js';
import { runScript } from '../support/child.js';
import { dataDirWithMonths } from '../schedule/helpers.js';
import { BUNDLED_DATA, removeDataDirs } from '../support/data-dir.js';
import { postgresAvailability, startPostgres, type TestPostgres } from '../support/postgres.js';
import { BotProcess, freePort } from '../support/process.js';
import { BOT_USER_ID, eventCallback, signedEvent, signedSlashCommand, SlackStandin, type StoredMessage } from '../support/slack-standin.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../adapters/slack/harness.js';

interface Health { dataset: { version: string; revision: number | null; source?: string; months: number } }

/** The digest key a message carries in its metadata (`slack:CDIGEST:2025-05`), as the poster writes it. */
function digestKey(m: StoredMessage): string | undefined {
  const metadata = typeof m.metadata === 'string' ? JSON.parse(m.metadata) as unknown : m.metadata;
  const key = (metadata as { event_payload?: { key?: unknown } } | undefined)?.event_payload?.key;
  return typeof key === 'string' ? key : undefined;
}

describe.skipIf(!postgresAvailability().available)('three bot processes on one database', () => {
  let pg: TestPostgres;
  let url: string;
  let standin: SlackStandin;
  let privateKey: KeyObject;
  let publicHex: string;
  const bots: BotProcess[] = [];
  /** The three running instances: health port and Slack port of each. */
  const running: { bot: BotProcess; health: number; slack: string }[] = [];

  beforeAll(async () => {
    pg = await startPostgres();
    url = await pg.database();
    standin = await SlackStandin.start();
    const pair = generateKeyPairSync('ed25519');
    privateKey = pair.privateKey;
    publicHex = (pair.publicKey.export({ format: 'der', type: 'spki' }) as Buffer).subarray(-32).toString('hex');
  }, 60_000);
  afterAll(async () => {
    for (const b of bots) await b.kill();
    await standin?.close();
    await pg?.stop();
    removeDataDirs();
  });

  async function health(port: number): Promise<Health> {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    return (await res.json()) as Health;
  }

  /** Waits until all running instances serve `revision`; returns how long that took. */
  async function allServe(revision: number, what: string): Promise<number> {
    const started = Date.now();
    await Promise.all(running.map((r) => r.bot.waitFor(async () => (await health(r.health)).dataset.revision === revision, what, 30_000)));
    return Date.now() - started;
  }

  it('refuses to start on an empty database, then serves one revision on all three after data:push, and the next push', async () => {
    const empty = BotProcess.start({ DATABASE_URL: url, LOG_LEVEL: 'warn' });
    bots.push(empty);
    const exit = await empty.exited;
    expect(exit.code).toBe(2);
    expect(empty.stderr).toMatch(/^The database holds no dataset yet: push one with "npm run data:push"/m);
    expect(empty.stderr).not.toContain('Could not start');

    const pushed = await runScript('src/cli/data-push.ts', ['--data-dir', BUNDLED_DATA], { env: { DATABASE_URL: url.replace('postgres@', 'postgres:secret@') } });
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toMatch(/^Pushed .* to postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/\w+ as revision 1 \(version \w+: \d+ figures/);
    expect(pushed.stdout).not.toContain('secret');

    for (let i = 0; i < 3; i++) {
      const [healthPort, slackPort] = [await freePort(), await freePort()];
      const bot = BotProcess.start({
        DATABASE_URL: url, HEALTH_PORT: String(healthPort), LOG_LEVEL: 'info', DATA_DIR: '/nonexistent',
        SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: standin.apiUrl, SLACK_PORT: String(slackPort),
        DISCORD_PUBLIC_KEY: publicHex, RATE_LIMIT_PER_MINUTE: '3', DIGEST_SLACK_CHANNEL: 'CDIGEST',
      });
      bots.push(bot);
      running.push({ bot, health: healthPort, slack: `http://127.0.0.1:${slackPort}` });
    }
    await allServe(1, 'serving revision 1');
    const first = await Promise.all(running.map((r) => health(r.health)));
    expect(new Set(first.map((h) => h.dataset.version)).size).toBe(1);
    expect(first[0]!.dataset.source).toBe('database');

    const june = await runScript('src/cli/data-push.ts', ['--data-dir', dataDirWithMonths('2025-06')], { env: { DATABASE_URL: url } });
    expect(june.code, june.stderr).toBe(0);
    await allServe(2, 'serving revision 2');
    const second = await Promise.all(running.map((r) => health(r.health)));
    expect(new Set(second.map((h) => h.dataset.version)).size).toBe(1);
    expect(second[0]!.dataset.version).not.toBe(first[0]!.dataset.version);
    expect(second.map((h) => h.dataset.months)).toEqual([3, 3, 3]);
    for (const r of running) expect(r.bot.stderr).not.toContain('secret');
  }, 120_000);

  it('serves an import made on one machine on all three within 5 s', async () => {
    // A spreadsheet import into the database: the same checks and summary as the file import, then a new revision.
    const dry = await runScript('src/cli/data-import.ts', ['data/samples/figures-2025-06.csv', '--database', '--dry-run'], { env: { DATABASE_URL: url } });
    // June is on record (pushed above) with other figures: refused, with the file import's own words.
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain('figures-2025-06.csv, row 2: Xiaomi, June 2025 is already 30,000 (exact; sources cpca)');
    expect(dry.stderr).toContain('Run again with --replace to overwrite it');
    const imported = await runScript('src/cli/data-import.ts', ['data/samples/figures-2025-06.csv', '--database', '--replace'], { env: { DATABASE_URL: url } });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/Wrote revision 3 to postgres:\/\/postgres@127\.0\.0\.1:\d+\/\w+ \(\d+ figures, based on revision 2\)/);
    // Counted from the import's exit: NOTIFY, then each instance loads the revision off its event loop. 5 s is the
    // promise; a machine running more than twice as many processes as it has cores gets 30 s (it is no failure).
    const overloaded = loadavg()[0]! > 2 * availableParallelism();
    expect(await allServe(3, 'serving revision 3')).toBeLessThan(overloaded ? 30_000 : 5_000);
  }, 60_000);

  it('refuses the (N+1)th request of a user spread over the three, once with a notice, then silently', async () => {
    const send = (i: number, user: string) => signedSlashCommand(running[i % 3]!.slack, SIGNING_SECRET, { command: '/sales', text: 'xiaomi april', user_id: user });
    for (let i = 0; i < 3; i++) expect((await send(i, 'U1')).body).toMatchObject({ text: expect.stringContaining('28,585') });
    expect((await send(3, 'U1')).body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/^Slow down a little/) });
    expect(await send(4, 'U1')).toEqual({ status: 200, body: '' });
    expect(await send(5, 'U1')).toEqual({ status: 200, body: '' });
    expect((await send(6, 'U2')).body).toMatchObject({ text: expect.stringContaining('28,585') });
  }, 30_000);

  it('answers a Slack event once when Slack retries it to another instance', async () => {
    const mention = (user: string, ts: string, id: string) =>
      eventCallback({ type: 'app_mention', user, text: `<@${BOT_USER_ID}> sales xiaomi`, channel: 'C9', ts }, { event_id: id });
    const before = standin.callsOf('chat.postMessage').length;
    const body = mention('U7', '1700000000.000901', 'Ev0PROC1');
    expect((await signedEvent(running[0]!.slack, SIGNING_SECRET, body)).status).toBe(200);
    await standin.waitForCalls('chat.postMessage', before + 1);
    for (const [i, n] of [[1, '1'], [2, '2']] as const) {
      const retried = await signedEvent(running[i]!.slack, SIGNING_SECRET, body, { headers: { 'x-slack-retry-num': n, 'x-slack-retry-reason': 'http_timeout' } });
      expect(retried.status).toBe(200);
    }
    // A different event afterwards, to the instance that got the last retry, is answered: the retries were dropped.
    await signedEvent(running[2]!.slack, SIGNING_SECRET, mention('U8', '1700000000.000902', 'Ev0PROC2'));
    await standin.waitForCalls('chat.postMessage', before + 2);
    expect(standin.callsOf('chat.postMessage').slice(before).map((c) => c.body.thread_ts)).toEqual(['1700000000.000901', '1700000000.000902']);
  }, 30_000);

  it('answers a signed Discord interaction on every instance and refuses a forged one with 401', async () => {
    const post = async (port: number, forged: boolean) => {
      const text = JSON.stringify({ type: 1 });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = sign(null, Buffer.from(timestamp + (forged ? `${text} ` : text)), privateKey).toString('hex');
      const res = await fetch(`http://127.0.0.1:${port}/discord/interactions`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp }, body: text,
      });
      return { status: res.status, body: res.status === 200 ? await res.json() as unknown : undefined };
    };
    for (const r of running) {
      expect(await post(r.health, false)).toEqual({ status: 200, body: { type: 1 } });
      expect((await post(r.health, true)).status).toBe(401);
    }
  }, 30_000);

  it('posts each month once from 20 digest fires, though the instance posting the first is killed with SIGKILL mid-post', async () => {
    // The channel has had April; May and June are due. Seeded now, after start-up, so no instance caught up at start.
    const { default: pg } = await import('pg');
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const boss = new PgBoss({ connectionString: url, schema: 'pgboss', supervise: false, schedule: false });
    await boss.start();
    try {
      await db.query(
        `INSERT INTO digest_ledger (platform, channel, month, state, claimed_at, owner_run, owner_pid, owner_host, posted_at, message_id, message_channel)
         VALUES ('slack', 'CDIGEST', '2025-04', 'posted', now(), 'seed', 1, 'seed', now(), '1.0', 'CDIGEST')`,
      );
      // Slack keeps the first digest message but its answer never comes back: the poster is killed waiting for it.
      const held = standin.holdNext('chat.postMessage');
      // A fire, as a due time or a catch-up puts it on the schedule's queue: some instance takes it and posts May.
      const fire = () => boss.send(DIGEST_QUEUE, { kind: 'test' }, { retryLimit: 0 });
      await fire();
      await held.arrived;
      // 19 more while that post is under way: they wait as one more run (test/shared/schedule.test.ts), any instance's.
      await Promise.all(Array.from({ length: 19 }, fire));
      const { rows: claims } = await db.query<{ owner_pid: number; month: string }>("SELECT owner_pid, month FROM digest_ledger WHERE channel = 'CDIGEST' AND state = 'posting'");
      expect(claims.map((c) => c.month)).toEqual(['2025-05']);
      const poster = running.find((r) => r.bot.child.pid === claims[0]!.owner_pid);
      expect(poster, 'the claim names one of the three processes').toBeDefined();
      await poster!.bot.kill();
      held.release();
      // PostgreSQL ends the dead process's session (its backend sees the socket close): from then on every instance
      // finds the claim in doubt, its owner gone, rather than in flight.
      const gone = Date.now() + 30_000;
      for (;;) {
        const { rows } = await db.query<{ alive: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = l.owner_backend AND a.backend_start = l.owner_backend_start) AS alive
           FROM digest_ledger l WHERE channel = 'CDIGEST' AND month = '2025-05'`,
        );
        if (!rows[0]!.alive) break;
        if (Date.now() > gone) throw new Error('the killed poster\'s session outlived it by 30 s');
        await new Promise((r) => setTimeout(r, 100));
      }
      // pg-boss hands the dead instance's job on when it expires (an hour); its own fail() brings that forward.
      const { rows: active } = await db.query<{ id: string }>("SELECT id FROM pgboss.job WHERE name = $1 AND state = 'active'", [DIGEST_QUEUE]);
      await boss.fail(DIGEST_QUEUE, active.map((j) => j.id));

      // The two others take the remaining fires: May is found in the channel (in doubt, owner gone), June is posted.
      const until = Date.now() + 60_000;
      for (;;) {
        const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM pgboss.job WHERE name = $1 AND state < 'completed'", [DIGEST_QUEUE]);
        if (rows[0]!.n === '0') break;
        if (Date.now() > until) {
          const { rows: jobs } = await db.query<{ state: string; n: string }>('SELECT state, count(*) AS n FROM pgboss.job WHERE name = $1 GROUP BY state', [DIGEST_QUEUE]);
          const logs = running.map((r) => r.bot.stderr.split('\n').filter((l) => l.includes('digest')).slice(-8).join('\n'));
          throw new Error(`digest fires still pending after 60 s: ${JSON.stringify(jobs)}\n${logs.join('\n---\n')}`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      const logs = running.map((r) => r.bot.stderr.split('\n').filter((l) => l.includes('digest')).slice(-6).join('\n')).join('\n---\n');
      expect(standin.messagesIn('CDIGEST').map(digestKey), logs).toEqual(['slack:CDIGEST:2025-05', 'slack:CDIGEST:2025-06']);
      const { rows: ledger } = await db.query<{ month: string; state: string }>("SELECT month, state FROM digest_ledger WHERE channel = 'CDIGEST' ORDER BY month");
      expect(ledger).toEqual([{ month: '2025-04', state: 'posted' }, { month: '2025-05', state: 'posted' }, { month: '2025-06', state: 'posted' }]);
    } finally {
      await boss.stop({ graceful: false, wait: true });
      await db.end();
    }
  }, 120_000);

  it('npm run digest, with DATABASE_URL, reads the same ledger: nothing posted twice, and the dry run says so', async () => {
    const env = { DATABASE_URL: url, DATA_DIR: '/nonexistent', STATE_DIR: '/nonexistent', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: standin.apiUrl, DIGEST_SLACK_CHANNEL: 'CDIGEST' };
    const before = standin.messagesIn('CDIGEST').length;
    const dry = await runScript('src/cli/digest.ts', ['--dry-run'], { env, timeoutMs: 60_000 });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/slack channel CDIGEST: nothing new to post/);
    const posted = await runScript('src/cli/digest.ts', ['--post'], { env, timeoutMs: 60_000 });
    expect(posted.code, posted.stderr).toBe(0);
    expect(posted.stdout).toMatch(/Nothing new for slack channel CDIGEST/);
    expect(standin.messagesIn('CDIGEST')).toHaveLength(before);
    const resolved = await runScript('src/cli/digest.ts', ['--resolve', 'slack:CDIGEST:2025-06=repost'], { env, timeoutMs: 60_000 });
    expect(resolved.code).toBe(3);
    expect(resolved.stderr).toMatch(/slack:CDIGEST:2025-06 is already posted/);
  }, 120_000);
});
