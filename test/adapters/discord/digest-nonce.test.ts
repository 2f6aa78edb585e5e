/**
 * The digest to Discord exactly once on a slow or failing Discord: the real @discordjs/rest against the loopback
 * stand-in, which honours `nonce` + `enforce_nonce` as Discord does. A fresh stand-in per test, so messages and
 * nonces from one test never answer another.
 */
import { REST, Routes, type APIMessage } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordPoster, nonceFor } from '../../../src/adapters/discord/post.js';
import { parseConfig } from '../../../src/config.js';
import { isOutcomeUnknown } from '../../../src/core/adapter.js';
import type { Bot } from '../../../src/core/bot.js';
import { makeBot } from '../../support/bot.js';
import { DiscordStandin } from '../../support/discord-standin.js';
import { captureLogger, dataDirWithMonths, makeScheduler, removeStateDirs, tempStateDir } from '../../schedule/helpers.js';
import { removeDataDirs } from '../../support/data-dir.js';

const MESSAGES = { method: 'POST', path: '/api/v10/channels/:id/messages' } as const;
const TOKEN = 'fake.token.for-tests';

let standin: DiscordStandin;
let bot: Bot;

beforeEach(async () => {
  standin = await DiscordStandin.start();
  bot ??= await makeBot();
});
afterEach(async () => {
  await standin.close();
  removeDataDirs();
  removeStateDirs();
});

const config = () => parseConfig({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: standin.apiUrl });
const digest = () => bot.handle({ kind: 'command', name: 'digest', text: 'may', platform: 'schedule' });
const KEY = 'discord:1100000000000000002:2025-05';
const rejection = (p: Promise<unknown>) => p.then(() => { throw new Error('expected the post to fail'); }, (err: unknown) => err);

describe('the Discord stand-in and nonces', () => {
  it('returns the existing message for a second create with the same nonce and enforce_nonce in the same channel', async () => {
    const rest = new REST({ version: '10', api: standin.apiUrl, retries: 0 }).setToken(TOKEN);
    const post = (channel: string, body: Record<string, unknown>) => rest.post(Routes.channelMessages(channel), { body }) as Promise<APIMessage>;
    const a = await post(standin.ids.channel, { content: 'a', nonce: 'n1', enforce_nonce: true });
    const b = await post(standin.ids.channel, { content: 'b', nonce: 'n1', enforce_nonce: true });
    expect(b.id).toBe(a.id);
    const c = await post(standin.ids.channel, { content: 'c', nonce: 'n1' }); // not enforced: a new message
    const d = await post('1100000000000000009', { content: 'd', nonce: 'n1', enforce_nonce: true }); // another channel
    expect(new Set([a.id, c.id, d.id]).size).toBe(3);
    expect(standin.messagesIn(standin.ids.channel)).toHaveLength(2);
  });

  it('forgets a nonce after its window', async () => {
    const short = await DiscordStandin.start({ nonceWindowMs: -1 });
    try {
      const rest = new REST({ version: '10', api: short.apiUrl, retries: 0 }).setToken(TOKEN);
      const body = { content: 'x', nonce: 'n1', enforce_nonce: true };
      const a = (await rest.post(Routes.channelMessages(short.ids.channel), { body })) as APIMessage;
      const b = (await rest.post(Routes.channelMessages(short.ids.channel), { body })) as APIMessage;
      expect(b.id).not.toBe(a.id);
    } finally {
      await short.close();
    }
  });
});

describe('createDiscordPoster with an idempotency key', () => {
  it('sends a nonce of at most 25 characters, the same for the same key, with enforce_nonce', async () => {
    await createDiscordPoster({ config: config() }).post(standin.ids.channel, digest(), { idempotencyKey: KEY });
    const [call] = standin.callsMatching<{ nonce: string; enforce_nonce: boolean }>(MESSAGES);
    expect(call?.body).toMatchObject({ nonce: nonceFor(KEY), enforce_nonce: true });
    expect(nonceFor(KEY)).toHaveLength(25);
    expect(nonceFor(KEY)).toBe(nonceFor(KEY));
    expect(nonceFor('discord:1100000000000000002:2025-06')).not.toBe(nonceFor(KEY));
  });

  it('posts once when Discord answers after the timeout: the retry gets the first message back', async () => {
    const held = standin.holdNext(MESSAGES);
    const posted = await createDiscordPoster({ config: config(), timeoutMs: 200 }).post(standin.ids.channel, digest(), { idempotencyKey: KEY });
    await held.arrived;
    expect(standin.callsMatching(MESSAGES).length).toBeGreaterThanOrEqual(2); // it did retry
    expect(standin.messagesIn(standin.ids.channel).map((m) => m.id)).toEqual([posted.id]);
  });

  it('posts once when Discord answers 502 after posting', async () => {
    standin.failNext(MESSAGES, 502, { afterProcessing: true });
    const posted = await createDiscordPoster({ config: config() }).post(standin.ids.channel, digest(), { idempotencyKey: KEY });
    expect(standin.messagesIn(standin.ids.channel).map((m) => m.id)).toEqual([posted.id]);
  });

  it('posts once when the connection drops after Discord posted', async () => {
    standin.failNext(MESSAGES, 0, { afterProcessing: true, reset: true });
    const posted = await createDiscordPoster({ config: config() }).post(standin.ids.channel, digest(), { idempotencyKey: KEY });
    expect(standin.messagesIn(standin.ids.channel).map((m) => m.id)).toEqual([posted.id]);
  });

  it('throws an unknown outcome, not a failure, when no attempt is confirmed', async () => {
    standin.failNext(MESSAGES, 0, { reset: true, times: 10 });
    const err = await rejection(createDiscordPoster({ config: config() }).post(standin.ids.channel, digest(), { idempotencyKey: KEY }));
    expect(isOutcomeUnknown(err)).toBe(true);
    expect(String(err)).toMatch(/did not confirm the post to channel 1100000000000000002/);
  });

  it('still reports a refusal as a failure', async () => {
    standin.failNext(MESSAGES, 403, { body: { message: 'Missing Access', code: 50001 } });
    const err = await rejection(createDiscordPoster({ config: config() }).post(standin.ids.channel, digest(), { idempotencyKey: KEY }));
    expect(isOutcomeUnknown(err)).toBe(false);
    expect(String(err)).toMatch(/Missing Access/);
  });
});

describe('the digest scheduler posting to a slow or failing Discord', () => {
  async function harness() {
    const dataDir = dataDirWithMonths();
    const stateDir = tempStateDir();
    const env = { DATA_DIR: dataDir, STATE_DIR: stateDir, DISCORD_TOKEN: TOKEN, DISCORD_API_URL: standin.apiUrl, DIGEST_DISCORD_CHANNEL: standin.ids.channel };
    const poster = createDiscordPoster({ config: parseConfig(env), logger: captureLogger().logger, timeoutMs: 200 });
    return makeScheduler({ dataDir, stateDir, posters: [poster], env: { ...env, DIGEST_SLACK_CHANNEL: '' } });
  }

  it('posts a month once across runs when Discord answers slowly', async () => {
    const h = await harness();
    const held = standin.holdNext(MESSAGES);
    const first = await h.scheduler.runOnce();
    await held.arrived;
    await h.scheduler.runOnce();
    const messages = standin.messagesIn(standin.ids.channel);
    expect(messages.map((m) => m.embeds[0]?.title)).toEqual(['Monthly digest: May 2025']);
    expect(first.channels[0]?.posted).toEqual([{ month: '2025-05', id: messages[0]!.id }]);
  });

  it('holds a month whose post stays unconfirmed, and never posts it again blindly', async () => {
    const h = await harness();
    standin.failNext(MESSAGES, 0, { afterProcessing: true, reset: true });
    standin.failNext(MESSAGES, 0, { reset: true, times: 10 });
    const first = await h.scheduler.runOnce();
    expect(first.channels[0]?.held).toEqual([{ month: '2025-05', kind: 'in-doubt' }]);
    const attempts = standin.callsMatching(MESSAGES).length;
    const second = await h.scheduler.runOnce();
    expect(second.channels[0]?.held).toEqual([{ month: '2025-05', kind: 'in-doubt' }]);
    expect(standin.callsMatching(MESSAGES)).toHaveLength(attempts); // no new attempt
    expect(standin.messagesIn(standin.ids.channel)).toHaveLength(1);
    expect(h.logs.lines.some((l) => l.level === 50 && l.msg.includes(`--resolve discord:${standin.ids.channel}:2025-05=posted`))).toBe(true);
  });
});
