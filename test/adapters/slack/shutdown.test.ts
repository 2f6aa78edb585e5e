/**
 * Stopping the Slack adapter (what SIGTERM does in `npm start`) while requests arrive: every request already sent
 * is answered, and idle or stalled connections are closed at once instead of holding the stop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../../src/core/bot.js';
import { SlackStandin, slashCommandFields } from '../../support/slack-standin.js';
import { SIGNING_SECRET, makeSlackBot, startAdapter } from './harness.js';
import { head, rawConnect, signedHeaders, type RawExchange } from './raw-http.js';

let standin: SlackStandin;
let bot: Bot;

beforeAll(async () => {
  standin = await SlackStandin.start();
  bot = await makeSlackBot();
});

afterAll(async () => {
  await standin?.close();
});

const command = (text: string) => new URLSearchParams({ ...slashCommandFields({ command: '/sales', text }) }).toString();

describe('stop()', () => {
  it('answers all of 20 concurrent requests already sent when it is called', async () => {
    const s = await startAdapter(standin, bot);
    const port = s.adapter.port!;
    const clients = Array.from({ length: 20 }, () => rawConnect(port));
    await Promise.all(clients.map((c) => c.connected));
    // Each client sends a whole signed request; the stop comes the moment the last one is on the wire.
    await Promise.all(clients.map((c) => {
      const body = command('xiaomi april');
      return c.write(head(signedHeaders(SIGNING_SECRET, body)) + body);
    }));
    const stopped = s.adapter.stop();
    const answers = await Promise.all(clients.map((c) => c.closed));
    await stopped;
    for (const a of answers) {
      expect(a).toMatch(/^HTTP\/1\.1 200/);
      expect(a).toContain('28,585');
    }
  });

  it('closes 20 slow unauthenticated connections at once, and finishes the signed request received with them', async () => {
    const s = await startAdapter(standin, bot);
    const port = s.adapter.port!;
    const slow: RawExchange[] = [];
    for (let i = 0; i < 10; i++) {
      // Half a request head, then nothing.
      const c = rawConnect(port);
      await c.connected;
      await c.write('POST /slack/events HTTP/1.1\r\nhost: 127.0.0.1\r\n');
      slow.push(c);
    }
    for (let i = 0; i < 10; i++) {
      // Plausible headers announcing a body that trickles in.
      const body = command('xiaomi april');
      const c = rawConnect(port);
      await c.connected;
      await c.write(head(signedHeaders('not-the-secret', body)) + body.slice(0, 5));
      slow.push(c);
    }
    const genuine = rawConnect(port);
    await genuine.connected;
    const body = command('xiaomi april');
    await genuine.write(head(signedHeaders(SIGNING_SECRET, body)) + body);

    // With Node's defaults these would hold the stop for minutes (the process's 10 s limit would kill it).
    await s.adapter.stop();
    const closed = await Promise.all(slow.map((c) => c.closed));
    for (const received of closed) expect(received).not.toMatch(/^HTTP\/1\.1 200/);
    expect(await genuine.closed).toMatch(/^HTTP\/1\.1 200[\s\S]*28,585/);
  });

  it('refuses new connections once stopped', async () => {
    const s = await startAdapter(standin, bot);
    const port = s.adapter.port!;
    await s.adapter.stop();
    const late = rawConnect(port);
    expect(await late.closed).toBe('');
  });
});
