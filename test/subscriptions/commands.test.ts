/** The subscription commands through the real bot, on a real file store under a temp STATE_DIR. */
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { renderText } from '../../src/core/render-text.js';
import type { Origin } from '../../src/core/request.js';
import { FileSubscriptionStore } from '../../src/subscriptions/store.js';
import { BUNDLED_DATA } from '../support/data-dir.js';
import { removeStateDirs, tempStateDir } from '../schedule/helpers.js';

afterAll(removeStateDirs);

async function app(stateDir = tempStateDir()) {
  const { bot } = await createApp(parseConfig({ DATA_DIR: BUNDLED_DATA, STATE_DIR: stateDir, RATE_LIMIT_PER_MINUTE: '100000' }));
  const say = async (line: string, origin: Partial<Origin> = {}) => {
    const reply = await bot.answerLine(line, { platform: 'slack', user: 'U1', channel: 'C1', workspace: 'T1', ...origin });
    return { ...reply, text: renderText(reply) };
  };
  return { bot, say, stateDir };
}

const idIn = (text: string) => text.match(/Id (s[0-9a-z]{6})/)?.[1];

describe('/subscribe, /subscriptions, /unsubscribe', () => {
  it('subscribes a person to a seller in their DM, lists it with its id, and keeps it across a restart', async () => {
    const { say, stateDir } = await app();
    const first = await say('/subscribe xiaomi');
    expect(first.kind).toBe('answer');
    expect(first.text).toContain('You get new months of Xiaomi in your direct messages when a new month of figures arrives.');
    expect(first.text).toContain('Months after May 2025 are delivered, once each.');
    const id = idIn(first.text)!;
    expect((await say('/subscribe Xiaomi')).title).toBe('You are already subscribed');

    // A new process on the same STATE_DIR sees it.
    const again = await app(stateDir);
    const list = await again.say('/subscriptions');
    expect(list.title).toBe('Your subscriptions (1 of 20)');
    expect(list.text).toContain(`${id}  new months of Xiaomi`);
    // Someone else's list is their own.
    expect((await again.say('/subscriptions', { user: 'U2' })).title).toBe('You have no subscriptions');
    expect((await again.say(`/unsubscribe ${id}`, { user: 'U2' })).title).toBe(`Nothing to remove for "${id}"`);
    const removed = await again.say(`/unsubscribe ${id}`);
    expect(removed.title).toBe('Removed 1 subscription');
    expect(await new FileSubscriptionStore(stateDir).all()).toEqual([]);
  });

  it('follows a company through the alliance that reports its figures, and asks "did you mean" or names an unknown seller', async () => {
    const { say } = await app();
    const huawei = await say('/subscribe huawei');
    expect(huawei.title).toBe('Subscribed: new months of HIMA');
    expect(huawei.text).toContain("Huawei's figures are reported through HIMA: you get HIMA's months.");
    const unknown = await say('/subscribe tesla');
    expect(unknown.title).toBe('I don\'t know "tesla"');
    expect(unknown.text).toContain('Sales figures are on record for Xiaomi, HIMA.');
  });

  it('lets only a workspace admin subscribe a channel, and never a console user', async () => {
    const { say } = await app();
    const refused = await say('/subscribe digest here', { isAdmin: async () => false });
    expect(refused.title).toBe('Only workspace admins can subscribe a channel');
    expect((await say('/subscribe digest here', { platform: 'console', user: 'console', channel: 'console' })).title).toBe('Only workspace admins can subscribe a channel');
    const admin = await say('/subscribe digest here', { isAdmin: async () => true });
    expect(admin.title).toBe('Subscribed: the monthly digest');
    expect(admin.text).toContain('You get the monthly digest in channel C1 when the monthly digest runs.');
    // In a DM "here" is the DM itself: no admin needed.
    expect((await say('/subscribe xiaomi here', { direct: true, channel: 'D1' })).text).toContain('in your direct messages');
  });

  it('stops at 20 subscriptions and alerts per person, saying how to make room', async () => {
    const { say } = await app();
    for (let n = 1; n <= 20; n++) expect((await say(`/alert xiaomi above ${n * 1000}`)).kind).toBe('answer');
    const over = await say('/alert xiaomi above 99000');
    expect(over.title).toBe('You already have 20 subscriptions and alerts, the most one person can have');
    expect(over.text).toContain('Remove one with /unsubscribe <id> (the ids are in /subscriptions), then try again.');
    // Another person is not limited by it; removing all makes room again.
    expect((await say('/subscribe xiaomi', { user: 'U2' })).kind).toBe('answer');
    expect((await say('/unsubscribe all')).title).toBe('Removed 20 subscriptions');
    expect((await say('/alert xiaomi above 99000')).kind).toBe('answer');
    expect((await say('/unsubscribe everything')).title).toBe('Removed 1 subscription');
  });

  it('answers /alert with its usage when the condition cannot be read', async () => {
    const { say } = await app();
    const wrong = await say('/alert xiaomi above 10%');
    expect(wrong.title).toBe('Usage: /alert <company> [change] below|above <units|percent%> [here]');
    expect(wrong.text).toContain('A percentage is a change');
    expect((await say('/alert xiaomi')).text).toContain('Name a seller, then a condition');
    const set = await say('/alert hima change above 10%');
    expect(set.title).toBe('Alert set: HIMA, a change above +10.0% on the month before');
  });
});
