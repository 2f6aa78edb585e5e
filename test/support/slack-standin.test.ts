/**
 * Self-test of the Slack stand-in against the REAL @slack/bolt App (a throwaway App, not our bot).
 */
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApiCall,
  BOT_USER_ID,
  SlackStandin,
  eventCallback,
  eventsApiEnvelope,
  signedEvent,
  signedSlashCommand,
  slashCommandEnvelope,
} from './slack-standin.js';

const SIGNING_SECRET = 'test-signing-secret';
const BOT_TOKEN = 'xoxb-test';
const APP_TOKEN = 'xapp-test';

/** The same two listeners for both transports. */
function addListeners(app: App): void {
  app.command('/ping', async ({ command, ack, respond }) => {
    await ack({ response_type: 'ephemeral', text: `pong ${command.text}` });
    if (command.text === 'later') await respond({ text: 'delayed pong' });
  });
  app.event('app_mention', async ({ event, say }) => {
    await say({ text: `hi <@${event.user}>`, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] });
  });
}

let standin: SlackStandin;

beforeAll(async () => {
  standin = await SlackStandin.start();
});

afterAll(async () => {
  await standin?.close();
});

beforeEach(() => standin.reset());

describe('HTTP mode', () => {
  let app: App;
  let baseUrl: string;

  beforeAll(async () => {
    app = new App({
      token: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      processBeforeResponse: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: standin.apiUrl, retryConfig: { retries: 0 } },
    });
    addListeners(app);
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('answers a validly signed slash command with the ack body', async () => {
    const res = await signedSlashCommand(baseUrl, SIGNING_SECRET, { command: '/ping', text: 'hello' });
    expect(res).toEqual({ status: 200, body: { response_type: 'ephemeral', text: 'pong hello' } });
  });

  it('records respond() on the response_url', async () => {
    const responseUrl = standin.responseUrl('r1');
    const res = await signedSlashCommand(baseUrl, SIGNING_SECRET, { text: 'later', response_url: responseUrl });
    expect(res.status).toBe(200);
    const posted = await standin.waitForResponses(1);
    expect(posted).toEqual({ id: 'r1', body: { text: 'delayed pong' } });
  });

  it.each([
    ['forged', { signature: 'forged' }],
    ['missing', { signature: 'missing' }],
    ['old', { ageSeconds: 10 * 60 }],
  ] as const)('rejects a %s signature with 401 and runs no listener', async (_name, opts) => {
    const responseUrl = standin.responseUrl('never');
    const res = await signedSlashCommand(baseUrl, SIGNING_SECRET, { text: 'later', response_url: responseUrl }, opts);
    expect(res.status).toBe(401);
    expect(res.body).toBe('');
    expect(standin.responses).toEqual([]);
  });

  it('answers url_verification with the challenge', async () => {
    const res = await signedEvent(baseUrl, SIGNING_SECRET, { type: 'url_verification', token: 't', challenge: 'abc123' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ challenge: 'abc123' });
  });

  it('turns an app_mention into a recorded chat.postMessage', async () => {
    const event = { type: 'app_mention', user: 'U1', text: `<@${BOT_USER_ID}> hi`, channel: 'C9', ts: '1700000000.000100' };
    const res = await signedEvent(baseUrl, SIGNING_SECRET, eventCallback(event));
    expect(res.status).toBe(200);
    const call = await standin.waitForCalls('chat.postMessage', 1);
    expect(call.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(call.body).toMatchObject({
      channel: 'C9',
      text: 'hi <@U1>',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }],
    });
    expect(call.response).toMatchObject({ ok: true, channel: 'C9', ts: expect.stringMatching(/^\d+\.\d{6}$/) });
  });

  it('gives unique ts values and fails calls on demand', async () => {
    const a = await app.client.chat.postMessage({ channel: 'C1', text: 'a' });
    const b = await app.client.chat.postMessage({ channel: 'C1', text: 'b' });
    expect(a.ts).not.toBe(b.ts);

    standin.failNext('chat.postMessage', 'ratelimited');
    await expect(app.client.chat.postMessage({ channel: 'C1', text: 'c' })).rejects.toMatchObject({
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'ratelimited' },
    });
    standin.failNext('chat.postMessage', { status: 500 });
    await expect(app.client.chat.postMessage({ channel: 'C1', text: 'd' })).rejects.toMatchObject({
      code: 'slack_webapi_http_error',
      statusCode: 500,
    });
    // Failures are one-shot.
    await expect(app.client.chat.postMessage({ channel: 'C1', text: 'e' })).resolves.toMatchObject({ ok: true });
    expect(standin.callsOf('chat.postMessage').map((c) => c.body.text)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('waitForCalls rejects after its timeout', async () => {
    await expect(standin.waitForCalls('chat.update', 1, 50)).rejects.toThrow(/expected 1 call\(s\) of chat.update/);
  });
});

describe('Socket Mode', () => {
  let app: App;
  let openCall: ApiCall | undefined;

  beforeAll(async () => {
    const clientOptions = { slackApiUrl: standin.apiUrl, retryConfig: { retries: 0 } };
    app = new App({
      token: BOT_TOKEN,
      appToken: APP_TOKEN,
      socketMode: true,
      logLevel: LogLevel.ERROR,
      clientOptions,
      // The Socket Mode client takes its API URL from here, not from clientOptions.
      installerOptions: { clientOptions: { ...clientOptions } },
    });
    addListeners(app);
    await app.start();
    // Captured here because beforeEach() resets the recordings.
    openCall = standin.callsOf('apps.connections.open').at(-1);
  });

  afterAll(async () => {
    await app?.stop(); // before standin.close(), or the client reconnects
  });

  it('opened the connection with the app token', () => {
    expect(openCall?.authorization).toBe(`Bearer ${APP_TOKEN}`);
    expect(openCall?.response).toEqual({ ok: true, url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/socket$/) });
  });

  it('returns the slash command ack payload', async () => {
    const ack = await standin.sendEnvelope(slashCommandEnvelope({ command: '/ping', text: 'sock' }));
    expect(ack.envelope_id).toEqual(expect.any(String));
    expect(ack.payload).toEqual({ response_type: 'ephemeral', text: 'pong sock' });
  });

  it('acks an events_api envelope and runs the listener', async () => {
    const ack = await standin.sendEnvelope(
      eventsApiEnvelope({ type: 'app_mention', user: 'U2', text: `<@${BOT_USER_ID}> yo`, channel: 'C7', ts: '1700000000.000200' }),
    );
    expect(ack.envelope_id).toEqual(expect.any(String));
    const call = await standin.waitForCalls('chat.postMessage', 1);
    expect(call.body).toMatchObject({ channel: 'C7', text: 'hi <@U2>' });
  });
});
