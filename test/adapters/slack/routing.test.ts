/**
 * Routing in memory: the real Bolt App inside our SlackApp, fed by a receiver that hands it requests directly (as
 * bolt-js's own unit tests do, test/unit/helpers/receivers.ts), so what each kind of request becomes is checked
 * without a socket or a signature. The Web API calls still go to the loopback stand-in. The signed HTTP path and
 * Socket Mode have their own tests (http.test.ts, socket.test.ts).
 */
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { SlackApp } from '../../../src/adapters/slack/app.js';
import { BOT_USER_ID, eventCallback, slashCommandFields, SlackStandin } from '../../support/slack-standin.js';
import { BOT_TOKEN, LogCapture, makeSlackBot, SIGNING_SECRET } from './harness.js';

/** Hands Bolt one request at a time and returns what it was acknowledged with. */
class MemoryReceiver implements Receiver {
  private app: App | undefined;

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async send(body: Record<string, unknown>, retry?: { num: number; reason: string }): Promise<{ acked: boolean; response: unknown }> {
    let acked = false;
    let response: unknown;
    const event: ReceiverEvent = {
      body,
      ack: async (r?: unknown) => {
        acked = true;
        response = r;
      },
      ...(retry ? { retryNum: retry.num, retryReason: retry.reason } : {}),
    };
    await this.app!.processEvent(event);
    return { acked, response };
  }
}

describe('Slack routing in memory', () => {
  let standin: SlackStandin;
  let receiver: MemoryReceiver;
  let slack: SlackApp;
  const logs = new LogCapture('info');

  beforeAll(async () => {
    standin = await SlackStandin.start();
    const config = parseConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: standin.apiUrl, SLACK_COMMAND_PREFIX: 'ev-' });
    receiver = new MemoryReceiver();
    slack = new SlackApp({ bot: await makeSlackBot(logs), config, logger: logs.logger, receiver, retries: 0 });
    await slack.start();
  });
  afterAll(async () => {
    await slack.stop();
    await standin.close();
  });

  const textOf = (response: unknown) => JSON.stringify(response);

  it('a prefixed slash command is answered in its ack, privately unless it ends in public', async () => {
    const quiet = await receiver.send({ ...slashCommandFields({ command: '/ev-sales', text: 'xiaomi april' }) });
    expect(quiet.response).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(quiet.response)).toContain('28,585');
    // Names in the answer carry the prefix too, so a suggestion can be typed as shown.
    expect(textOf(quiet.response)).toContain('/ev-compare');
    const loud = await receiver.send({ ...slashCommandFields({ command: '/ev-sales', text: 'xiaomi april public' }) });
    expect(loud.response).toMatchObject({ response_type: 'in_channel' });
  });

  it('a malformed slash command is acknowledged with a friendly line, never left to time out', async () => {
    const bad = await receiver.send({ command: 'not a command', user_id: 'U1' });
    expect(bad.acked).toBe(true);
    expect(textOf(bad.response)).toMatch(/could not read that request/);
  });

  it('a mention is answered in its thread; the same event retried is answered once; the bot\'s own message never', async () => {
    const before = standin.callsOf('chat.postMessage').length;
    const mention = eventCallback({ type: 'app_mention', user: 'U7', text: `<@${BOT_USER_ID}> xiaomi april`, ts: '1700000000.000100', channel: 'C9' });
    await receiver.send(mention as unknown as Record<string, unknown>);
    await receiver.send(mention as unknown as Record<string, unknown>, { num: 1, reason: 'http_timeout' });
    await receiver.send(eventCallback({ type: 'message', channel_type: 'im', user: BOT_USER_ID, bot_id: 'BBOT', text: 'echo', ts: '1700000000.000200', channel: 'D1' }) as unknown as Record<string, unknown>);
    const posts = standin.callsOf('chat.postMessage').slice(before);
    expect(posts.map((c) => [c.body.channel, c.body.thread_ts])).toEqual([['C9', '1700000000.000100']]);
    expect(String(posts[0]!.body.text)).toContain('28,585');
  });

  it('a kind of request the bot does not offer (a shortcut) is acknowledged and nothing is posted', async () => {
    const before = standin.callsOf('chat.postMessage').length;
    const shortcut = await receiver.send({ type: 'shortcut', callback_id: 'x', trigger_id: 't', user: { id: 'U1' }, team: { id: 'T1' } });
    expect(shortcut.acked).toBe(true);
    expect(standin.callsOf('chat.postMessage').length).toBe(before);
  });
});
