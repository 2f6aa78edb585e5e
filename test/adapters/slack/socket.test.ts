/**
 * The Slack adapter in Socket Mode: the real Bolt SocketModeReceiver connects through the stand-in's
 * `apps.connections.open` and socket; a slash command envelope is acked with the reply as its payload.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Bot } from '../../../src/core/bot.js';
import {
  BOT_USER_ID,
  SlackStandin,
  eventsApiEnvelope,
  slashCommandEnvelope,
} from '../../support/slack-standin.js';
import {
  APP_TOKEN,
  BOT_TOKEN,
  LogCapture,
  type Started,
  makeSlackBot,
  blocksOf,
  expectNoLiveMention,
  expectWithinSlackLimits,
  startAdapter,
  visible,
} from './harness.js';

let standin: SlackStandin;
let bot: Bot;

beforeAll(async () => {
  standin = await SlackStandin.start();
  bot = await makeSlackBot();
});

afterAll(async () => {
  await standin?.close();
});

describe('Socket Mode', () => {
  let s: Started;

  beforeEach(async () => {
    standin.reset();
    // No signing secret: Socket Mode needs none.
    s = await startAdapter(standin, bot, { SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: '' });
  });

  afterEach(async () => {
    await s?.adapter.stop(); // before the stand-in closes, or the client reconnects
  });

  it('connects through apps.connections.open on SLACK_API_URL with the app token, and listens on no port', () => {
    expect(s.adapter.mode).toBe('socket');
    expect(s.adapter.state).toBe('connected');
    expect(s.adapter.port).toBeUndefined();
    const open = standin.callsOf('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.authorization).toBe(`Bearer ${APP_TOKEN}`);
    expect(standin.callsOf('auth.test')[0]?.authorization).toBe(`Bearer ${BOT_TOKEN}`);
  });

  it('acks a slash command envelope with the reply payload', async () => {
    const ack = await standin.sendEnvelope(slashCommandEnvelope({ command: '/sales', text: 'xiaomi april' }));
    const payload = ack.payload as Record<string, unknown>;
    expect(payload.response_type).toBe('ephemeral');
    expectWithinSlackLimits(payload);
    expect(blocksOf(payload)[0]!.text!.text).toBe('Xiaomi sales, April 2025');
    expect(visible(payload)).toContain('*Units*\n28,585');
    expect(visible(payload)).toMatch(/Sources: .*\(CPCA\)/);
    expect(payload.text).toContain('28,585');
  });

  it('a trailing public word and an escaped mention work the same over the socket', async () => {
    const pub = await standin.sendEnvelope(slashCommandEnvelope({ command: '/compare', text: 'xiaomi huawei may public' }));
    expect(pub.payload).toMatchObject({ response_type: 'in_channel' });
    expect(visible(pub.payload)).toContain('at most 16,454');
    const mention = await standin.sendEnvelope(slashCommandEnvelope({ command: '/sales', text: '<!channel>' }));
    expectNoLiveMention(mention.payload);
  });

  it('answers a mention in its thread', async () => {
    const ack = await standin.sendEnvelope(
      eventsApiEnvelope({ type: 'app_mention', user: 'U2', text: `<@${BOT_USER_ID}> compare xiaomi huawei may`, channel: 'C7', ts: '1700000000.000200' }),
    );
    expect(ack.envelope_id).toEqual(expect.any(String));
    const call = await standin.waitForCalls('chat.postMessage', 1);
    expect(call.body).toMatchObject({ channel: 'C7', thread_ts: '1700000000.000200' });
    expect(visible(call.body)).toContain('at most 16,454');
  });
});

describe('Socket Mode start-up', () => {
  it('an app token Slack refuses fails start() with a clear message, and stop() leaves nothing running', async () => {
    standin.reset();
    standin.failNext('apps.connections.open', 'invalid_auth');
    const logs = new LogCapture();
    const started = startAdapter(standin, bot, { SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: '' }, logs);
    await expect(started).rejects.toThrow(/Slack refused the token \(invalid_auth\)/);
    expect(standin.callsOf('apps.connections.open')).toHaveLength(1);
    expect(logs.text).not.toContain(APP_TOKEN);
  });
});
