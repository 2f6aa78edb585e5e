/**
 * The digest when Slack's answer is lost: the real Slack poster (web-api) against the loopback stand-in, through
 * the scheduler. A post Slack carried out is never posted again; one it did not is posted once.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackPoster } from '../../src/adapters/slack/post.js';
import { parseConfig } from '../../src/config.js';
import { removeDataDirs } from '../support/data-dir.js';
import { SlackStandin } from '../support/slack-standin.js';
import { captureLogger, dataDirWithMonths, makeScheduler, removeStateDirs, tempStateDir } from './helpers.js';

const CHANNEL = 'C0DIGEST';
let slack: SlackStandin;

beforeAll(async () => {
  slack = await SlackStandin.start();
});
afterAll(async () => {
  await slack?.close();
});
beforeEach(() => slack.reset());
afterEach(() => {
  slack.reset(); // releases a held answer
  removeDataDirs();
  removeStateDirs();
});

async function harness(settleMs?: number) {
  const dataDir = dataDirWithMonths();
  const stateDir = tempStateDir();
  const env = { DATA_DIR: dataDir, STATE_DIR: stateDir, SLACK_BOT_TOKEN: 'xoxb-digest-test', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: slack.apiUrl, DIGEST_SLACK_CHANNEL: CHANNEL };
  const poster = createSlackPoster({ config: parseConfig(env), logger: captureLogger().logger, timeoutMs: 200 });
  return makeScheduler({ dataDir, stateDir, posters: [poster], env: { ...env, DIGEST_DISCORD_CHANNEL: '' }, extra: settleMs !== undefined ? { settleMs } : {} });
}

const key = { platform: 'slack' as const, channel: CHANNEL, month: '2025-05' };

describe('digest to Slack when the answer is lost', () => {
  it('posts once when Slack answers after the client timeout: the message is found in the channel and recorded', async () => {
    const h = await harness();
    const held = slack.holdNext('chat.postMessage');
    const first = await h.scheduler.runOnce();
    await held.arrived;
    const ts = slack.messagesIn(CHANNEL)[0]?.ts;
    expect(first.channels[0]?.posted).toEqual([{ month: '2025-05', id: ts }]);
    const status = await h.scheduler.state.status(key);
    expect(status?.kind === 'posted' && status.record.message?.id).toBe(ts);

    const second = await h.scheduler.runOnce();
    expect(second.channels[0]?.posted).toEqual([]);
    expect(slack.messagesIn(CHANNEL)).toHaveLength(1);
    expect(h.logs.text()).toMatch(/did not confirm the post/);
  });

  it('posts once when Slack answers 502 after posting', async () => {
    const h = await harness();
    slack.failNext('chat.postMessage', { status: 502, afterProcessing: true });
    await h.scheduler.runOnce();
    await h.scheduler.runOnce();
    expect(slack.messagesIn(CHANNEL)).toHaveLength(1);
    expect((await h.scheduler.state.status(key))?.kind).toBe('posted');
  });

  it('holds a dropped post it cannot find yet, and posts it once when the channel still does not show it later', async () => {
    const h = await harness(0);
    slack.failNext('chat.postMessage', { status: 0, reset: true }); // dropped before Slack carried it out
    const first = await h.scheduler.runOnce();
    expect(first.channels[0]?.held).toEqual([{ month: '2025-05', kind: 'in-doubt' }]);
    expect(first.ok).toBe(false); // so the scheduler looks again
    expect(slack.messagesIn(CHANNEL)).toHaveLength(0);

    const second = await h.scheduler.runOnce();
    expect(second.channels[0]?.settled).toEqual([{ month: '2025-05', as: 'absent' }]);
    expect(second.channels[0]?.posted.map((p) => p.month)).toEqual(['2025-05']);
    await h.scheduler.runOnce();
    expect(slack.messagesIn(CHANNEL)).toHaveLength(1);
  });

  it('does not take "not found" for an answer while the post may still be landing (younger than settleMs)', async () => {
    const h = await harness(60 * 60_000);
    slack.failNext('chat.postMessage', { status: 0, reset: true });
    await h.scheduler.runOnce();
    const again = await h.scheduler.runOnce();
    expect(again.channels[0]?.held).toEqual([{ month: '2025-05', kind: 'in-doubt' }]);
    expect(slack.messagesIn(CHANNEL)).toHaveLength(0);
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('keeps the month held, with the --resolve remedy and the missing scope named, when it cannot read the channel', async () => {
    const h = await harness(0);
    slack.failNext('chat.postMessage', { status: 502, afterProcessing: true });
    slack.failNext('conversations.history', 'missing_scope');
    slack.failNext('conversations.history', 'missing_scope');
    const first = await h.scheduler.runOnce();
    expect(first.channels[0]?.held).toEqual([{ month: '2025-05', kind: 'in-doubt' }]);
    const second = await h.scheduler.runOnce();
    expect(second.channels[0]?.held).toEqual([{ month: '2025-05', kind: 'in-doubt' }]);
    expect(slack.messagesIn(CHANNEL)).toHaveLength(1);
    expect(h.logs.lines.some((l) => l.level === 50 && l.msg.includes('--resolve slack:C0DIGEST:2025-05=posted'))).toBe(true);
    expect(h.logs.text()).toMatch(/channels:history/);
  });
});
