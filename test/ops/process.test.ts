/**
 * The whole process, as `npm start` runs it: Slack in HTTP mode against the loopback stand-in, Discord pointed at
 * a port that refuses connections, the health server, and SIGTERM with a reply in flight.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, BotProcess } from '../support/process.js';
import { SlackStandin, eventCallback, signedEvent, signedSlashCommand } from '../support/slack-standin.js';

const SECRET = 'process-test-signing-secret';
const BOT_TOKEN = 'xoxb-fake-process';
const DISCORD_TOKEN = 'process.test.discord-token-never-logged';

let standin: SlackStandin;
let bot: BotProcess;
let slackUrl: string;
let healthUrl: string;
let stateDir: string;

beforeAll(async () => {
  standin = await SlackStandin.start();
  const [slackPort, healthPort, refusedPort] = [await freePort(), await freePort(), await freePort()];
  slackUrl = `http://127.0.0.1:${slackPort}`;
  healthUrl = `http://127.0.0.1:${healthPort}`;
  stateDir = mkdtempSync(path.join(tmpdir(), 'salesbot-state-'));
  bot = BotProcess.start({
    SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: standin.apiUrl, SLACK_PORT: String(slackPort),
    DISCORD_TOKEN, DISCORD_API_URL: `http://127.0.0.1:${refusedPort}/api`,
    HEALTH_PORT: String(healthPort), STATE_DIR: stateDir, LOG_LEVEL: 'info',
  });
  await bot.waitFor(async () => (await fetch(`${healthUrl}/healthz`)).status === 200, 'the Slack adapter to connect');
}, 60_000);

afterAll(async () => {
  await bot?.kill();
  await standin?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

const sales = (text: string, user = 'U1') => signedSlashCommand(slackUrl, SECRET, { command: '/sales', text, user_id: user });

describe('one process, two platforms', () => {
  it('keeps answering Slack while Discord cannot connect, and retries Discord with backoff', async () => {
    const r = await sales('xiaomi april');
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).toContain('28,585');

    const health = (await (await fetch(`${healthUrl}/healthz`)).json()) as { adapters: Record<string, string> };
    expect(health.adapters.slack).toBe('connected');
    expect(['reconnecting', 'starting']).toContain(health.adapters.discord);
    await bot.waitFor(() => bot.logs('adapter failed to start; will retry').filter((e) => e.adapter === 'discord').length >= 2, 'a second Discord attempt', 20_000);
    const delays = bot.logs('adapter failed to start; will retry').map((e) => e.retryInMs as number);
    expect(delays[1]).toBeGreaterThan(delays[0]!);
    // One line that says why, without a stack trace.
    const failure = bot.logs('adapter failed to start; will retry').find((e) => e.adapter === 'discord')!;
    expect(failure.reason).toMatch(/connection was refused \(ECONNREFUSED\); check the network and DISCORD_API_URL/);
    expect(failure.err).toBeUndefined();
  });

  it('logs one line per request and counts it in /metrics', async () => {
    await sales('huawei may', 'U-metrics');
    await bot.waitFor(() => bot.logs('request').some((e) => e.user === 'U-metrics'), 'the request log line');
    const line = bot.logs('request').find((e) => e.user === 'U-metrics')!;
    expect(line).toMatchObject({ adapter: 'slack', command: 'sales', outcome: 'answer', workspace: 'T1' });
    expect(typeof line.requestId).toBe('string');
    expect(typeof line.latencyMs).toBe('number');
    const metrics = await (await fetch(`${healthUrl}/metrics`)).text();
    expect(metrics).toMatch(/salesbot_requests_total\{platform="slack",command="sales",outcome="answer"\} \d+/);
  });

  it('survives a failing Web API call and keeps serving', async () => {
    standin.failNext('chat.postMessage', { status: 500 });
    standin.failNext('chat.postMessage', { status: 500 });
    standin.failNext('chat.postMessage', { status: 500 });
    const before = standin.callsOf('chat.postMessage').length;
    const ack = await signedEvent(slackUrl, SECRET, eventCallback({ type: 'app_mention', user: 'U2', channel: 'C1', ts: '1700000000.000100', text: '<@UBOT> xiaomi april sales' }));
    expect(ack.status).toBe(200);
    await standin.waitForCalls('chat.postMessage', before + 3, 10_000);
    const r = await sales('hima may');
    expect(JSON.stringify(r.body)).toContain('44,454');
    expect(bot.child.exitCode).toBeNull();
  });

  it('never writes a token to its logs', () => {
    expect(bot.stderr).not.toContain(BOT_TOKEN);
    expect(bot.stderr).not.toContain(SECRET);
    expect(bot.stderr).not.toContain(DISCORD_TOKEN);
  });

  it('on SIGTERM finishes the reply in flight, then exits 0 within 10 s', async () => {
    standin.delayNext('chat.postMessage', 1500);
    const before = standin.callsOf('chat.postMessage').length;
    const ack = await signedEvent(slackUrl, SECRET, eventCallback({ type: 'app_mention', user: 'U3', channel: 'C1', ts: '1700000001.000100', text: '<@UBOT> who sold more in april?' }));
    expect(ack.status).toBe(200);
    // The reply has reached Slack, whose answer is held back: the reply is in flight.
    const call = await standin.waitForCalls('chat.postMessage', before + 1, 10_000);
    const signalled = Date.now();
    bot.child.kill('SIGTERM');
    const exit = await bot.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - signalled).toBeLessThan(10_000);
    // It waited for Slack's answer rather than cutting the reply off.
    expect(exit.at - signalled).toBeGreaterThanOrEqual(1000);
    expect(call.response).toMatchObject({ ok: true });
    expect(String(call.body.text)).toContain('Xiaomi is ahead by 1,030');
    expect(bot.logs('stopped')).toHaveLength(1);
  });
});
