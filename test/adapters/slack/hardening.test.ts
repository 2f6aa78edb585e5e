/**
 * The Slack endpoint on the open internet: oversized, unsigned, stale, slow and malformed requests; Slack's
 * redeliveries of an event; a slow Web API. The real adapter (our receiver under the real Bolt App) against the
 * loopback stand-in, with real signed requests and raw sockets for what fetch cannot send.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Bot } from '../../../src/core/bot.js';
import {
  BOT_USER_ID,
  SlackStandin,
  eventCallback,
  signedEvent,
  signedPost,
  signedSlashCommand,
  slashCommandFields,
} from '../../support/slack-standin.js';
import { LogCapture, SIGNING_SECRET, type Started, blocksOf, makeSlackBot, startAdapter } from './harness.js';
import { head, rawConnect, signedHeaders } from './raw-http.js';

let standin: SlackStandin;
let bot: Bot;
const unhandled: unknown[] = [];
const onUnhandled = (err: unknown) => unhandled.push(err);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  standin = await SlackStandin.start();
  bot = await makeSlackBot();
});

afterAll(async () => {
  await standin?.close();
  process.off('unhandledRejection', onUnhandled);
});

beforeEach(() => standin.reset());

const MAX_BODY = 4096;

describe('refused before the body is read', () => {
  let s: Started;

  beforeAll(async () => {
    s = await startAdapter(standin, bot, { SLACK_MAX_BODY_BYTES: String(MAX_BODY) });
  });

  afterAll(async () => {
    await s?.adapter.stop();
  });

  const port = () => s.adapter.port!;
  const fresh = () => Math.floor(Date.now() / 1000);

  it('a body announced larger than SLACK_MAX_BODY_BYTES: 413 at once, and the connection is closed', async () => {
    const c = rawConnect(port());
    // Validly signed headers for a 4 MB upload, but not one byte of it sent.
    await c.write(head({ 'content-type': 'application/json', 'content-length': 4 * 1024 * 1024, 'x-slack-request-timestamp': fresh(), 'x-slack-signature': 'v0=00' }));
    expect(await c.status).toBe(413);
    expect(await c.closed).toMatch(/^HTTP\/1\.1 413/);
  });

  it('a chunked body that grows past the limit: 413 and closed, without reading the rest', async () => {
    const c = rawConnect(port());
    await c.write(head({ 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'x-slack-request-timestamp': fresh(), 'x-slack-signature': 'v0=00' }));
    const chunk = 'x'.repeat(1024);
    let answered = false;
    void c.status.then(() => (answered = true));
    // Bounded: the server must answer within a few times the limit.
    for (let i = 0; i < 16 && !answered && !c.socket.destroyed; i++) await c.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    expect(await c.status).toBe(413);
    await c.closed;
  });

  it.each([
    ['no signature', { 'x-slack-request-timestamp': 'now' }],
    ['no timestamp', { 'x-slack-signature': 'v0=abc' }],
    ['a stale timestamp', { 'x-slack-signature': 'v0=abc', 'x-slack-request-timestamp': 'stale' }],
    ['a timestamp in the future', { 'x-slack-signature': 'v0=abc', 'x-slack-request-timestamp': 'future' }],
  ] as const)('%s: 401 before the (announced, never sent) body', async (_name, given) => {
    const ts = { now: fresh(), stale: fresh() - 6 * 60, future: fresh() + 6 * 60 } as const;
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': 1000 };
    for (const [k, v] of Object.entries(given)) headers[k] = k === 'x-slack-request-timestamp' ? ts[v as keyof typeof ts] : v;
    const c = rawConnect(port());
    await c.write(head(headers));
    expect(await c.status).toBe(401);
    await c.closed;
  });

  it('a validly signed request with a timestamp six minutes ahead is refused like a stale one', async () => {
    const before = s.logs.find('request').length;
    const res = await signedSlashCommand(s.baseUrl, SIGNING_SECRET, { command: '/sales', text: 'xiaomi april' }, { ageSeconds: -6 * 60 });
    expect(res).toEqual({ status: 401, body: '' });
    expect(s.logs.find('request')).toHaveLength(before);
    // Within five minutes either way it is fine (clocks differ a little).
    const ok = await signedSlashCommand(s.baseUrl, SIGNING_SECRET, { command: '/sales', text: 'xiaomi april' }, { ageSeconds: -60 });
    expect(ok.status).toBe(200);
  });

  it('anything but POST /slack/events is 404', async () => {
    expect((await fetch(`${s.baseUrl}/slack/events`)).status).toBe(404);
    expect((await fetch(`${s.baseUrl}/other`, { method: 'POST', body: 'x' })).status).toBe(404);
  });

  it('a signed request of exactly the limit is still answered', async () => {
    const fields = new URLSearchParams({ ...slashCommandFields({ command: '/sales', text: 'xiaomi april' }) }).toString();
    const raw = `${fields}&pad=${'p'.repeat(MAX_BODY - fields.length - 5)}`;
    expect(Buffer.byteLength(raw)).toBe(MAX_BODY);
    const res = await signedPost(s.baseUrl, SIGNING_SECRET, 'application/x-www-form-urlencoded', raw);
    expect(res.status).toBe(200);
    expect((res.body as { text: string }).text).toContain('28,585');
  });
});

describe('signed but malformed payloads', () => {
  let s: Started;

  beforeAll(async () => {
    s = await startAdapter(standin, bot);
  });

  afterAll(async () => {
    await s?.adapter.stop();
  });

  it.each([
    ['null', 'null'],
    ['a JSON array', '[{"type":"event_callback"}]'],
    ['a number', '42'],
    ['not JSON', '{"type":'],
    ['an event_callback whose event is null', JSON.stringify({ ...eventCallback({ type: 'app_mention' }), event: null })],
  ])('%s: a prompt 400 and a log line', async (_name, raw) => {
    const before = s.logs.find('slack: malformed request').length;
    const res = await signedPost(s.baseUrl, SIGNING_SECRET, 'application/json', raw);
    expect(res).toEqual({ status: 400, body: '' });
    expect(s.logs.find('slack: malformed request')).toHaveLength(before + 1);
  });

  it('a mention whose text is not a string: acknowledged, logged, not answered', async () => {
    const res = await signedEvent(s.baseUrl, SIGNING_SECRET, eventCallback({ type: 'app_mention', user: 'U1', text: 42, channel: 'C9', ts: '1700000000.001001' }));
    expect(res.status).toBe(200);
    await expect.poll(() => s.logs.find('slack: malformed event; not answered')).toHaveLength(1);
    // The next genuine mention is the first thing posted.
    await signedEvent(s.baseUrl, SIGNING_SECRET, eventCallback({ type: 'app_mention', user: 'U1', text: `<@${BOT_USER_ID}> xiaomi april`, channel: 'C9', ts: '1700000000.001002' }));
    const call = await standin.waitForCalls('chat.postMessage', 1);
    expect(call.body.thread_ts).toBe('1700000000.001002');
  });

  it('a command whose text is not a string: a friendly answer and a log line', async () => {
    const body = { ...slashCommandFields({ command: '/sales' }), text: { nested: true } };
    const res = await signedPost(s.baseUrl, SIGNING_SECRET, 'application/json', JSON.stringify(body));
    expect(res.status).toBe(200);
    expect(blocksOf(res.body)[0]!.text!.text).toMatch(/^Sorry, I could not read that request/);
    expect(s.logs.find('slack: malformed command')).toHaveLength(1);
  });

  it('an interactive payload the bot does not offer is acknowledged with an empty 200', async () => {
    const payload = JSON.stringify({ type: 'block_actions', team: { id: 'T1' }, user: { id: 'U1' }, actions: [{ action_id: 'x', block_id: 'b', type: 'button', action_ts: '1' }], token: 't', api_app_id: 'A1' });
    const res = await signedPost(s.baseUrl, SIGNING_SECRET, 'application/x-www-form-urlencoded', new URLSearchParams({ payload }).toString());
    expect(res).toEqual({ status: 200, body: '' });
  });

  it('none of it left an unhandled rejection behind', () => {
    expect(unhandled).toEqual([]);
  });
});

describe('the same event delivered again', () => {
  let s: Started;

  beforeAll(async () => {
    s = await startAdapter(standin, bot);
  });

  afterAll(async () => {
    await s?.adapter.stop();
  });

  it("is answered once: Slack's retries (X-Slack-Retry-Num) and a replay of the signed request are acknowledged only", async () => {
    const body = eventCallback({ type: 'app_mention', user: 'U1', text: `<@${BOT_USER_ID}> xiaomi april`, channel: 'C9', ts: '1700000000.002001' });
    expect((await signedEvent(s.baseUrl, SIGNING_SECRET, body)).status).toBe(200);
    await standin.waitForCalls('chat.postMessage', 1);
    const retry = await signedEvent(s.baseUrl, SIGNING_SECRET, body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    const replay = await signedEvent(s.baseUrl, SIGNING_SECRET, body);
    expect([retry.status, replay.status]).toEqual([200, 200]);
    await expect.poll(() => s.logs.find('slack: event already answered; ignored')).toHaveLength(2);
    expect(s.logs.find('slack: event already answered; ignored')[0]).toMatchObject({ eventId: body.event_id, retryNum: 1, retryReason: 'http_timeout' });
    expect(standin.callsOf('chat.postMessage')).toHaveLength(1);

    // Another event (another event_id) with the same text is a new question.
    const again = eventCallback({ type: 'app_mention', user: 'U1', text: `<@${BOT_USER_ID}> xiaomi april`, channel: 'C9', ts: '1700000000.002002' });
    await signedEvent(s.baseUrl, SIGNING_SECRET, again);
    expect((await standin.waitForCalls('chat.postMessage', 2)).body.thread_ts).toBe('1700000000.002002');
  });
});

describe('a slow Slack Web API', () => {
  let s: Started | undefined;

  afterEach(async () => {
    await s?.adapter.stop();
    s = undefined;
  });

  it('a thread answer whose post timed out is not posted again (Slack may have posted it)', async () => {
    const logs = new LogCapture();
    s = await startAdapter(standin, bot, {}, logs, { retries: { answers: 2 }, webApiTimeoutMs: 200 });
    standin.delayNext('chat.postMessage', 1500);
    await signedEvent(s.baseUrl, SIGNING_SECRET, eventCallback({ type: 'app_mention', user: 'U1', text: `<@${BOT_USER_ID}> xiaomi april`, channel: 'C9', ts: '1700000000.003001' }));
    await expect.poll(() => logs.find('slack: could not post the answer'), { timeout: 5000 }).toHaveLength(1);
    expect(logs.find('slack: could not post the answer')[0]).toMatchObject({ note: expect.stringMatching(/not retried/) });
    expect(standin.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('a post Slack refused with a 5xx is retried, and answered once', async () => {
    const logs = new LogCapture();
    s = await startAdapter(standin, bot, {}, logs, { retries: { answers: 2 } });
    standin.failNext('chat.postMessage', { status: 503 });
    await signedEvent(s.baseUrl, SIGNING_SECRET, eventCallback({ type: 'app_mention', user: 'U1', text: `<@${BOT_USER_ID}> xiaomi april`, channel: 'C9', ts: '1700000000.003002' }));
    const second = await standin.waitForCalls('chat.postMessage', 2, 5000);
    expect(second.response).toMatchObject({ ok: true });
    expect(logs.find('slack: could not post the answer')).toHaveLength(0);
  });
});

describe('slow clients and the connection cap', () => {
  let s: Started;

  beforeAll(async () => {
    s = await startAdapter(standin, bot, { SLACK_HEADERS_TIMEOUT: '0.3', SLACK_REQUEST_TIMEOUT: '0.6', SLACK_MAX_CONNECTIONS: '4' });
  });

  afterAll(async () => {
    await s?.adapter.stop();
  });

  it('a client that stalls mid-body is cut off by SLACK_REQUEST_TIMEOUT, not held for minutes', async () => {
    const c = rawConnect(s.adapter.port!);
    const body = new URLSearchParams({ ...slashCommandFields({ command: '/sales', text: 'xiaomi april' }) }).toString();
    await c.write(head(signedHeaders(SIGNING_SECRET, body)) + body.slice(0, 10));
    const received = await c.closed;
    expect(received === '' || /^HTTP\/1\.1 408/.test(received)).toBe(true);
  });

  it('a client that stalls mid-headers is cut off by SLACK_HEADERS_TIMEOUT', async () => {
    const c = rawConnect(s.adapter.port!);
    await c.write('POST /slack/events HTTP/1.1\r\nhost: 127.0.0.1\r\n');
    const received = await c.closed;
    expect(received === '' || /^HTTP\/1\.1 408/.test(received)).toBe(true);
  });

});

describe('the connection cap', () => {
  let s: Started;

  beforeAll(async () => {
    s = await startAdapter(standin, bot, { SLACK_HEADERS_TIMEOUT: '2', SLACK_REQUEST_TIMEOUT: '3', SLACK_MAX_CONNECTIONS: '4' });
  });

  afterAll(async () => {
    await s?.adapter.stop();
  });

  it('connections above SLACK_MAX_CONNECTIONS are closed at once; once the slow ones are cut off, requests are answered', async () => {
    const slow = Array.from({ length: 4 }, () => rawConnect(s.adapter.port!));
    await Promise.all(slow.map(async (c) => {
      await c.connected;
      await c.write('POST /slack/events HTTP/1.1\r\n');
    }));
    // The server holds four: a fifth, a complete signed request, is dropped without an answer.
    const body = new URLSearchParams({ ...slashCommandFields({ command: '/sales', text: 'xiaomi april' }) }).toString();
    const extra = rawConnect(s.adapter.port!);
    await extra.connected;
    await extra.write(head(signedHeaders(SIGNING_SECRET, body)) + body);
    expect(await extra.closed).toBe('');
    await Promise.all(slow.map((c) => c.closed));
    const res = await signedSlashCommand(s.baseUrl, SIGNING_SECRET, { command: '/sales', text: 'xiaomi april' });
    expect(res.status).toBe(200);
  }, 20_000);
});
