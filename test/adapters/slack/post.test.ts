/**
 * Posting the digest: `createSlackPoster` (a Web API client alone) and the adapter's `post`, against the
 * loopback stand-in's `chat.postMessage`.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackPoster } from '../../../src/adapters/slack/index.js';
import { parseConfig } from '../../../src/config.js';
import { isOutcomeUnknown } from '../../../src/core/adapter.js';
import type { Bot } from '../../../src/core/bot.js';
import { renderText } from '../../../src/core/render-text.js';
import { SlackStandin } from '../../support/slack-standin.js';
import { BOT_TOKEN, LogCapture, type Started, expectWithinSlackLimits, makeSlackBot, startAdapter, unescapeSlack, visible } from './harness.js';

let standin: SlackStandin;
let bot: Bot;

beforeAll(async () => {
  standin = await SlackStandin.start();
  bot = await makeSlackBot();
});

afterAll(async () => {
  await standin?.close();
});

beforeEach(() => standin.reset());

describe('createSlackPoster', () => {
  const poster = (env: Record<string, string> = {}, logs = new LogCapture()) =>
    createSlackPoster({ config: parseConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: 's', SLACK_API_URL: standin.apiUrl, ...env }), logger: logs.logger });

  it('posts the digest as blocks and text, and returns the message ts and channel', async () => {
    const digest = bot.handle({ kind: 'command', name: 'digest', text: 'may', platform: 'schedule' });
    const posted = await poster().post('C0DIGEST', digest);
    const call = await standin.waitForCalls('chat.postMessage', 1);
    expect(call.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(call.body.channel).toBe('C0DIGEST');
    expectWithinSlackLimits(call.body);
    expect(visible(call.body)).toContain('Monthly digest: May 2025');
    expect(unescapeSlack(call.body.text as string)).toBe(renderText(digest));
    expect(posted).toEqual({ id: call.response!.ts, channel: 'C0DIGEST' });
    expect(posted.id).toMatch(/^\d+\.\d{6}$/);
  });

  it('throws when Slack refuses, so the caller can retry', async () => {
    standin.failNext('chat.postMessage', 'not_in_channel');
    const digest = bot.handle({ kind: 'command', name: 'digest', text: '', platform: 'schedule' });
    await expect(poster().post('C0DIGEST', digest)).rejects.toMatchObject({ data: { error: 'not_in_channel' } });
    // No retry of its own: one call, the caller decides.
    expect(standin.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('throws on an HTTP failure without logging the token', async () => {
    standin.failNext('chat.postMessage', { status: 500 });
    const logs = new LogCapture();
    const digest = bot.handle({ kind: 'command', name: 'digest', text: '', platform: 'schedule' });
    await expect(poster({}, logs).post('C1', digest)).rejects.toMatchObject({ code: 'slack_webapi_http_error' });
    expect(logs.text).not.toContain(BOT_TOKEN);
  });
});

describe('createSlackPoster when the answer is lost', () => {
  const KEY = 'slack:C0DIGEST:2025-05';
  const keyed = { idempotencyKey: KEY, metadata: { type: 'sales_digest', payload: { month: '2025-05' } } };
  const make = (timeoutMs?: number) => createSlackPoster({
    config: parseConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: 's', SLACK_API_URL: standin.apiUrl }), logger: new LogCapture().logger,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
  const rejection = (p: Promise<unknown>) => p.then(() => { throw new Error('expected the post to fail'); }, (err: unknown) => err);
  const digest = () => bot.handle({ kind: 'command', name: 'digest', text: 'may', platform: 'schedule' });

  it('carries the key in the message metadata, and findPosted finds the message by it', async () => {
    const p = make();
    const posted = await p.post('C0DIGEST', digest(), keyed);
    const call = await standin.waitForCalls('chat.postMessage', 1);
    expect(call.body.metadata).toEqual({ event_type: 'sales_digest', event_payload: { month: '2025-05', key: KEY } });
    expect(await p.findPosted!('C0DIGEST', { idempotencyKey: KEY, since: new Date(Date.now() - 60_000) })).toEqual(posted);
    expect(await p.findPosted!('C0DIGEST', { idempotencyKey: 'slack:C0DIGEST:2025-06', since: new Date(Date.now() - 60_000) })).toBeUndefined();
  });

  it('reports a post Slack carried out but answered after the timeout as an unknown outcome, not a failure', async () => {
    const held = standin.holdNext('chat.postMessage');
    const p = make(200);
    const err = await rejection(p.post('C0DIGEST', digest(), keyed));
    await held.arrived;
    expect(isOutcomeUnknown(err)).toBe(true);
    expect(standin.messagesIn('C0DIGEST')).toHaveLength(1); // it is there
    const found = await p.findPosted!('C0DIGEST', { idempotencyKey: KEY, since: new Date(Date.now() - 60_000) });
    expect(found?.id).toBe(standin.messagesIn('C0DIGEST')[0]!.ts);
    held.release();
  });

  it('reports a 502 after processing and a dropped connection as unknown outcomes; a refusal or a 429 as failures', async () => {
    const p = make();
    standin.failNext('chat.postMessage', { status: 502, afterProcessing: true });
    expect(isOutcomeUnknown(await rejection(p.post('C0DIGEST', digest(), keyed)))).toBe(true);
    standin.failNext('chat.postMessage', { status: 0, reset: true });
    expect(isOutcomeUnknown(await rejection(p.post('C0DIGEST', digest(), keyed)))).toBe(true);
    standin.failNext('chat.postMessage', 'not_in_channel');
    expect(isOutcomeUnknown(await rejection(p.post('C0DIGEST', digest(), keyed)))).toBe(false);
    standin.failNext('chat.postMessage', { status: 400 });
    expect(isOutcomeUnknown(await rejection(p.post('C0DIGEST', digest(), keyed)))).toBe(false);
  });

  it('says which scope lets it check when Slack will not show the history', async () => {
    standin.failNext('conversations.history', 'missing_scope');
    await expect(make().findPosted!('C0DIGEST', { idempotencyKey: KEY, since: new Date() })).rejects.toThrow(/missing_scope.*channels:history/);
  });
});

describe('the adapter as a poster', () => {
  let s: Started | undefined;

  afterEach(async () => {
    await s?.adapter.stop();
    s = undefined;
  });

  it('post() renders with the command prefix and returns the ts', async () => {
    s = await startAdapter(standin, bot, { SLACK_COMMAND_PREFIX: 'ev-' });
    const digest = bot.handle({ kind: 'command', name: 'digest', text: 'may', platform: 'schedule' });
    const posted = await s.adapter.post('C0DIGEST', digest);
    const call = await standin.waitForCalls('chat.postMessage', 1);
    expect(posted).toEqual({ id: call.response!.ts, channel: 'C0DIGEST' });
    expect(visible(call.body)).toMatch(/^\/ev-compare /m);
  });
});
