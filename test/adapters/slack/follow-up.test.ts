/**
 * Follow-ups through the real Bolt app (HTTP mode) against the loopback stand-in: signed `app_mention` and
 * `message.im` events, answers read back from the thread replies Bolt posts. A follow-up in a thread resolves
 * against that thread's last answer; another thread's or another user's DM's context never leaks into it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Bot } from '../../../src/core/bot.js';
import { BOT_USER_ID, SlackStandin, eventCallback, signedEvent } from '../../support/slack-standin.js';
import { LogCapture, SIGNING_SECRET, expectWithinSlackLimits, makeSlackBot, startAdapter, type Started, unescapeSlack, visible } from './harness.js';

let standin: SlackStandin;
let bot: Bot;
let s: Started;

beforeAll(async () => {
  standin = await SlackStandin.start();
  bot = await makeSlackBot(new LogCapture());
  s = await startAdapter(standin, bot);
});

afterAll(async () => {
  await s?.adapter.stop();
  await standin?.close();
});

beforeEach(() => standin.reset());

let clock = 1_700_100_000;
const nextTs = () => `${clock++}.000100`;

/**
 * Sends one event and resolves with the message Bolt posted for it (the n-th chat.postMessage since the reset):
 * its thread, what a reader sees, and the plain-text fallback.
 */
async function send(event: { type: string } & Record<string, unknown>, n: number) {
  const res = await signedEvent(s.baseUrl, SIGNING_SECRET, eventCallback({ ts: nextTs(), ...event }));
  expect(res.status).toBe(200);
  const call = await standin.waitForCalls('chat.postMessage', n);
  expectWithinSlackLimits(call.body);
  return { thread: call.body.thread_ts as string, text: unescapeSlack(call.body.text as string), seen: unescapeSlack(visible(call.body)), body: call.body };
}

/** A mention in channel C9: at the top level (a new thread), or inside `thread`. */
const mention = (text: string, thread?: string, user = 'U1') => ({ type: 'app_mention', user, channel: 'C9', text: `<@${BOT_USER_ID}> ${text}`, ...(thread ? { thread_ts: thread } : {}) });
/** A direct message from `user` in their DM channel. */
const dm = (text: string, user: string) => ({ type: 'message', channel_type: 'im', user, channel: `D-${user}`, text });

describe('follow-ups in a Slack thread', () => {
  it('"and in april?", "what about huawei?", "compare them", "as a chart" resolve against the thread\'s answers', async () => {
    const first = await send(mention('/sales xiaomi may'), 1);
    expect(first.text).toContain('over 28,000');
    const thread = first.thread;

    const april = await send(mention('and in april?', thread), 2);
    expect(april.thread).toBe(thread);
    expect(april.text).toMatch(/^Xiaomi sales, April 2025/);
    expect(april.text).toContain('Xiaomi sold 28,585 vehicles in April 2025.');

    const huawei = await send(mention('what about huawei?', thread), 3);
    expect(huawei.text).toContain('Huawei (HIMA) sold 27,555 vehicles in April 2025.');

    const both = await send(mention('compare them', thread), 4);
    expect(both.text).toMatch(/^Xiaomi vs Huawei \(HIMA\), April 2025/);
    expect(both.text).toContain('Xiaomi is ahead by 1,030.');

    const chart = await send(mention('as a chart', thread), 5);
    const blocks = chart.body.blocks as { type: string; title?: string }[];
    expect(blocks.some((b) => b.type === 'data_visualization')).toBe(true);
    expect(chart.seen).toContain('28,585');
  });

  it("a follow-up in thread A reads A's last answer, never thread B's newer one", async () => {
    const a = (await send(mention('/sales xiaomi may'), 1)).thread;
    const b = (await send(mention('/sales huawei may'), 2)).thread;
    expect(a).not.toBe(b);
    const inA = await send(mention('and in april?', a), 3);
    expect(inA.thread).toBe(a);
    expect(inA.text).toContain('Xiaomi sold 28,585 vehicles in April 2025.');
    expect(inA.text).not.toContain('27,555');
    const inB = await send(mention('and in april?', b), 4);
    expect(inB.thread).toBe(b);
    expect(inB.text).toContain('Huawei (HIMA) sold 27,555 vehicles in April 2025.');
    // A new thread has no context: it says what is missing.
    const fresh = await send(mention('and in april?'), 5);
    expect(fresh.text).toMatch(/^In April 2025 — of which seller\?/);
    expect(fresh.text).not.toMatch(/28,585|27,555/);
  });

  it("two users' DMs never share context; each DM is one conversation", async () => {
    await send(dm('/sales xiaomi may', 'U2'), 1);
    const bob = await send(dm('and in april?', 'U3'), 2);
    expect(bob.text).toMatch(/^In April 2025 — of which seller\?/);
    const alice = await send(dm('and in april?', 'U2'), 3);
    expect(alice.text).toContain('Xiaomi sold 28,585 vehicles in April 2025.');
    const chinese = await send(dm('华为呢?', 'U2'), 4);
    expect(chinese.text).toContain('Huawei (HIMA) sold 27,555 vehicles in April 2025.');
  });
});
