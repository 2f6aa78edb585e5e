/**
 * Three Slack adapters (the real Bolt app, HTTP mode, one loopback Slack stand-in) sharing one PostgreSQL, as three
 * instances behind a load balancer: the rate limit holds per user whichever instance answers, and an event Slack
 * retries to another instance is answered once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { Bot } from '../../src/core/bot.js';
import { RateLimiter } from '../../src/core/rate-limit.js';
import { DataStore } from '../../src/data/store.js';
import { interpret } from '../../src/sales/interpret.js';
import { SharedEventIds } from '../../src/shared/dedup.js';
import { migrate, openPool, type Pool } from '../../src/shared/db.js';
import { SharedRateLimiter } from '../../src/shared/rate-limit.js';
import { BUNDLED_DATA } from '../support/data-dir.js';
import { postgresAvailability, startPostgres, type TestPostgres } from '../support/postgres.js';
import { BOT_USER_ID, eventCallback, signedEvent, signedSlashCommand, SlackStandin } from '../support/slack-standin.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../adapters/slack/harness.js';
import { parseConfig } from '../../src/config.js';
import { createSlackAdapter, type SlackAdapter } from '../../src/adapters/slack/index.js';
import { createLogger } from '../../src/log.js';

describe.skipIf(!postgresAvailability().available)('Slack on three instances sharing PostgreSQL', () => {
  let pg: TestPostgres;
  let pool: Pool;
  let standin: SlackStandin;
  const adapters: SlackAdapter[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    pg = await startPostgres();
    pool = await openPool(await pg.database());
    await migrate(pool);
    standin = await SlackStandin.start();
    const store = await DataStore.open(BUNDLED_DATA);
    const config = parseConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: standin.apiUrl });
    for (let i = 0; i < 3; i++) {
      const bot = new Bot({
        commands, data: () => store.current, interpret,
        rateLimiter: new RateLimiter({ limit: 3 }),
        sharedRateLimiter: new SharedRateLimiter({ pool, limit: 3 }),
      });
      const adapter = createSlackAdapter({
        bot, config, logger: createLogger('silent'), listen: { host: '127.0.0.1', port: 0 }, retries: { answers: 0, post: 0 },
        sharedEventIds: new SharedEventIds(pool),
      });
      await adapter.start();
      adapters.push(adapter);
      urls.push(`http://127.0.0.1:${adapter.port}`);
    }
  }, 60_000);
  afterAll(async () => {
    for (const a of adapters) await a.stop();
    await standin?.close();
    await pool?.end();
    await pg?.stop();
  });

  it('refuses the (N+1)th request of a user spread over the three instances, once with a notice, then silently', async () => {
    const send = (i: number, user: string) => signedSlashCommand(urls[i % 3]!, SIGNING_SECRET, { command: '/sales', text: 'xiaomi april', user_id: user });
    for (let i = 0; i < 3; i++) expect((await send(i, 'U1')).body).toMatchObject({ text: expect.stringContaining('28,585') });
    expect((await send(3, 'U1')).body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/^Slow down a little/) });
    expect(await send(4, 'U1')).toEqual({ status: 200, body: '' });
    expect((await send(5, 'U2')).body).toMatchObject({ text: expect.stringContaining('28,585') });
  });

  it('answers an event once when Slack retries it to another instance', async () => {
    const body = eventCallback({ type: 'app_mention', user: 'U7', text: `<@${BOT_USER_ID}> sales xiaomi`, channel: 'C9', ts: '1700000000.000901' }, { event_id: 'Ev0SHARED1' });
    expect((await signedEvent(urls[0]!, SIGNING_SECRET, body)).status).toBe(200);
    await standin.waitForCalls('chat.postMessage', 1);
    const retried = await signedEvent(urls[1]!, SIGNING_SECRET, body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retried.status).toBe(200);
    const again = await signedEvent(urls[2]!, SIGNING_SECRET, body, { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' } });
    expect(again.status).toBe(200);
    // A different event afterwards is answered: once it is, the retries above have certainly been dropped.
    await signedEvent(urls[1]!, SIGNING_SECRET, eventCallback({ type: 'app_mention', user: 'U8', text: `<@${BOT_USER_ID}> sales xiaomi`, channel: 'C9', ts: '1700000000.000902' }, { event_id: 'Ev0SHARED2' }));
    await standin.waitForCalls('chat.postMessage', 2);
    expect(standin.callsOf('chat.postMessage').map((c) => c.body.thread_ts)).toEqual(['1700000000.000901', '1700000000.000902']);
  });
});
