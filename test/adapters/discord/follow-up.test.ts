/**
 * Follow-ups through the real discord.js client against the loopback stand-in: mentions in a channel, in threads
 * (created over the gateway as Discord does) and DMs, answers read back from the replies the client posts. A
 * follow-up in a thread resolves against that thread's last answer; another thread's, another user's or another
 * DM's context never leaks into it.
 */
import { Writable } from 'node:stream';
import { ChannelType, type APIEmbed, type APIThreadChannel, type ChannelFlags } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../../src/adapters/discord/index.js';
import { createApp } from '../../../src/app.js';
import { parseConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/log.js';
import { BUNDLED_DATA } from '../../support/data-dir.js';
import { DiscordStandin, snowflake } from '../../support/discord-standin.js';

interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  message_reference?: { message_id?: string };
}

let standin: DiscordStandin | undefined;
let adapter: DiscordAdapter | undefined;

afterEach(async () => {
  await adapter?.stop();
  await standin?.close();
  adapter = undefined;
  standin = undefined;
});

/** The bot as `npm start` builds it, on the real discord.js client, connected to a fresh stand-in. */
async function boot(): Promise<DiscordStandin> {
  const s = await DiscordStandin.start();
  standin = s;
  const logger = createLogger('warn', new Writable({ write: (_c, _e, done) => done() }));
  const config = parseConfig({ DISCORD_TOKEN: 'fake.token.for-tests', DISCORD_APPLICATION_ID: '1200000000000000001', DISCORD_API_URL: s.apiUrl, DATA_DIR: BUNDLED_DATA, RATE_LIMIT_PER_MINUTE: '100000' });
  const { bot } = await createApp(config, logger);
  adapter = createDiscordAdapter({ bot, config, logger }) as DiscordAdapter;
  await adapter.start();
  return s;
}

/** A public thread under the guild's text channel, announced over the gateway as Discord does when one is made. */
function createThread(s: DiscordStandin): string {
  const id = snowflake();
  const thread: APIThreadChannel = {
    id, type: ChannelType.PublicThread, guild_id: s.ids.guild, name: `thread ${id}`, parent_id: s.ids.channel, owner_id: s.ids.user,
    last_message_id: null, rate_limit_per_user: 0, flags: 0 as ChannelFlags, message_count: 0, member_count: 1, total_message_sent: 0,
    thread_metadata: { archived: false, auto_archive_duration: 60, archive_timestamp: new Date().toISOString(), locked: false },
  };
  s.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
  return id;
}

function embedText(e: APIEmbed | undefined): string {
  if (!e) return '';
  return [e.title, e.description, ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text].filter(Boolean).join('\n');
}

/** Sends a message that mentions the bot (in `channelId`, as `user`) and resolves with the reply's channel and text. */
async function ask(s: DiscordStandin, text: string, where: { channelId?: string; user?: string; dm?: boolean } = {}) {
  const author = where.user ? { id: where.user, username: `user-${where.user.slice(-4)}` } : undefined;
  const message = where.dm
    ? (({ guild_id: _g, member: _m, ...rest }) => ({ ...rest, channel_type: 1 }))(s.messageCreate({ content: text, channelId: where.channelId, ...(author ? { author } : {}) }))
    : s.messageCreate({ content: `<@${s.ids.botUser}> ${text}`, mentions: [s.botUser], channelId: where.channelId, ...(author ? { author } : {}) });
  s.dispatch('MESSAGE_CREATE', message);
  const [call] = await s.waitForCalls<MessageBody>((c) => c.method === 'POST' && c.path.endsWith('/messages') && (c.body as MessageBody | undefined)?.message_reference?.message_id === message.id);
  const body = call!.body;
  return { channel: call!.path.split('/')[4], text: [body.content ?? '', ...(body.embeds ?? []).map(embedText)].join('\n') };
}

describe('follow-ups on Discord', () => {
  it('in a thread: "and in april?", "what about huawei?", "compare them" resolve against the thread\'s answers', async () => {
    const s = await boot();
    const thread = createThread(s);
    expect((await ask(s, '/sales xiaomi may', { channelId: thread })).text).toContain('over 28,000');
    const april = await ask(s, 'and in april?', { channelId: thread });
    expect(april.channel).toBe(thread);
    expect(april.text).toContain('Xiaomi sold 28,585 vehicles in April 2025.');
    const huawei = await ask(s, 'what about huawei?', { channelId: thread });
    expect(huawei.text).toContain('Huawei (HIMA) sold 27,555 vehicles in April 2025.');
    const both = await ask(s, 'compare them', { channelId: thread });
    expect(both.text).toContain('Xiaomi vs Huawei (HIMA), April 2025');
    expect(both.text).toContain('Xiaomi is ahead by 1,030.');
  });

  it("thread B's context never leaks into thread A, nor into the channel", async () => {
    const s = await boot();
    const a = createThread(s);
    const b = createThread(s);
    await ask(s, '/sales xiaomi may', { channelId: a });
    await ask(s, '/sales huawei may', { channelId: b });
    const inA = await ask(s, 'and in april?', { channelId: a });
    expect(inA.text).toContain('Xiaomi sold 28,585 vehicles in April 2025.');
    expect(inA.text).not.toContain('27,555');
    const inB = await ask(s, 'and in april?', { channelId: b });
    expect(inB.text).toContain('Huawei (HIMA) sold 27,555 vehicles in April 2025.');
    const channel = await ask(s, 'and in april?');
    expect(channel.text).toContain('In April 2025 — of which seller?');
  });

  it("in a channel each user has their own context; two users' DMs never share one", async () => {
    const s = await boot();
    await ask(s, '/sales xiaomi may', { user: '1300000000000000011' });
    expect((await ask(s, 'and in april?', { user: '1300000000000000012' })).text).toContain('In April 2025 — of which seller?');
    expect((await ask(s, 'and in april?', { user: '1300000000000000011' })).text).toContain('Xiaomi sold 28,585 vehicles in April 2025.');

    await ask(s, '/sales huawei may', { dm: true, channelId: '1500000000000000021', user: '1300000000000000021' });
    const other = await ask(s, '四月呢?', { dm: true, channelId: '1500000000000000022', user: '1300000000000000022' });
    expect(other.text).toContain('In April 2025 — of which seller?');
    const own = await ask(s, '四月呢?', { dm: true, channelId: '1500000000000000021', user: '1300000000000000021' });
    expect(own.text).toContain('Huawei (HIMA) sold 27,555 vehicles in April 2025.');
  });
});
