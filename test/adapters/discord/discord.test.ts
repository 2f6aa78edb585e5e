/**
 * The Discord adapter end to end: the real discord.js Client, started by `createDiscordAdapter`,
 * connected to the loopback stand-in through DISCORD_API_URL. Tests dispatch gateway events and
 * assert what the client sends back over REST. A fresh stand-in and client per test.
 */
import { Writable } from 'node:stream';
import { ApplicationCommandOptionType, GatewayIntentBits, type APIEmbed } from 'discord.js';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commands } from '../../../commands/index.js';
import type { DiscordBot } from '../../../src/adapters/discord/app.js';
import { createDiscordAdapter, type DiscordAdapter } from '../../../src/adapters/discord/index.js';
import { DISCORD_LIMITS } from '../../../src/adapters/discord/limits.js';
import { createApp } from '../../../src/app.js';
import { parseConfig } from '../../../src/config.js';
import { Bot, type BotOptions } from '../../../src/core/bot.js';
import { defineCommand, type AnyCommand } from '../../../src/core/command.js';
import { interpret as interpretQuestion } from '../../../src/sales/interpret.js';
import { RateLimiter } from '../../../src/core/rate-limit.js';
import { answer } from '../../../src/core/reply.js';
import { DataStore } from '../../../src/data/store.js';
import { createLogger } from '../../../src/log.js';
import { BUNDLED_DATA } from '../../support/data-dir.js';
import { DiscordStandin, type DiscordStandinOptions, type RecordedCall } from '../../support/discord-standin.js';
import { QUESTIONS, sprinkle, sprinkles } from './mentions.js';

const TOKEN = 'fake.token.for-tests';
const APP_ID = '1200000000000000001';

interface CallbackBody {
  type: number;
  data: { content?: string; embeds?: APIEmbed[]; allowed_mentions?: { parse?: string[] }; choices?: { name: string; value: string }[] };
}
interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  allowed_mentions?: { parse?: string[]; replied_user?: boolean };
  message_reference?: { message_id?: string };
}

/** A real command whose handler fails, to see what a user gets when ours does. */
const boom = defineCommand({
  name: 'boom',
  description: 'Fails on purpose',
  options: z.object({}),
  examples: [''],
  run: () => {
    throw new Error('kaboom');
  },
});

/** A real command with a reply far past every Discord limit. */
const huge = defineCommand({
  name: 'huge',
  description: 'A very long answer',
  options: z.object({}),
  examples: [''],
  run: () =>
    answer('T'.repeat(400), [
      { type: 'fields', fields: Array.from({ length: 40 }, (_, i) => ({ label: `Field ${i + 1}`, value: 'v'.repeat(300) })) },
      { type: 'text', lines: Array.from({ length: 80 }, (_, i) => `Line ${i + 1}: ${'words '.repeat(12)}`) },
      { type: 'table', columns: ['Row', 'Value'], rows: Array.from({ length: 300 }, (_, i) => [`row ${i + 1}`, String(i * 1000)]) },
    ], Array.from({ length: 60 }, (_, i) => ({ id: `s${i}`, title: `Source number ${i + 1} with a long title`, publisher: 'Publisher' }))),
});

let store: DataStore;
beforeAll(async () => {
  store = await DataStore.open(BUNDLED_DATA);
});

let standin: DiscordStandin | undefined;
let adapter: DiscordAdapter | undefined;
let logs: string[] = [];

afterEach(async () => {
  await adapter?.stop(); // destroys the client before the stand-in closes, so it does not try to resume
  await standin?.close();
  adapter = undefined;
  standin = undefined;
});

interface BootOptions {
  env?: Record<string, string>;
  /** Real commands added beside the shipped ones. */
  extra?: AnyCommand[];
  bot?: Partial<BotOptions>;
  /** The bot as `npm start` builds it from the configuration (createApp), instead of one built here. */
  app?: boolean;
  /** Puts something between the adapter and the real bot (e.g. an answer that takes its time). */
  wrap?: (bot: Bot) => DiscordBot;
  deferAfterMs?: number;
  beforeStart?: (s: DiscordStandin) => void;
  standin?: DiscordStandinOptions;
}

async function boot({ env = {}, extra = [], bot: botOptions = {}, app = false, wrap, deferAfterMs, beforeStart, standin: standinOptions }: BootOptions = {}): Promise<{ s: DiscordStandin; a: DiscordAdapter }> {
  standin = await DiscordStandin.start(standinOptions);
  logs = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger('debug', sink);
  const config = parseConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP_ID, DISCORD_API_URL: standin.apiUrl, ...env });
  const bot = app
    ? (await createApp({ ...config, DATA_DIR: BUNDLED_DATA }, logger)).bot
    : new Bot({ commands: [...commands, ...extra], data: () => store.current, interpret: interpretQuestion, logger, ...botOptions });
  adapter = createDiscordAdapter({ bot: wrap ? wrap(bot) : bot, config, logger, ...(deferAfterMs === undefined ? {} : { deferAfterMs }) }) as DiscordAdapter;
  beforeStart?.(standin);
  await adapter.start();
  return { s: standin, a: adapter };
}

const str = (name: string, value: string, focused = false) => ({ name, type: ApplicationCommandOptionType.String as const, value, ...(focused ? { focused } : {}) });

async function slash(s: DiscordStandin, name: string, options: Record<string, string> = {}): Promise<CallbackBody> {
  const interaction = s.slashCommandInteraction({ name, options: Object.entries(options).map(([k, v]) => str(k, v)) });
  s.dispatch('INTERACTION_CREATE', interaction);
  const [call] = await s.waitForCalls<CallbackBody>({ method: 'POST', path: `/api/v10/interactions/${interaction.id}/${interaction.token}/callback` });
  return call!.body;
}

async function autocomplete(s: DiscordStandin, name: string, focused: string, typed: string, others: Record<string, string> = {}): Promise<CallbackBody> {
  const options = [...Object.entries(others).map(([k, v]) => str(k, v)), str(focused, typed, true)];
  const interaction = s.autocompleteInteraction({ name, options });
  s.dispatch('INTERACTION_CREATE', interaction);
  const [call] = await s.waitForCalls<CallbackBody>({ method: 'POST', path: `/api/v10/interactions/${interaction.id}/${interaction.token}/callback` });
  return call!.body;
}

/** Everything a reader sees in an embed. */
function embedText(e: APIEmbed | undefined): string {
  if (!e) return '';
  return [e.title, e.description, ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text].filter(Boolean).join('\n');
}

function embedLength(e: APIEmbed): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
}

const messagesPosted = (s: DiscordStandin) => s.callsMatching<MessageBody>({ method: 'POST', path: `/api/v10/channels/:id/messages` });

async function replyTo(s: DiscordStandin, messageId: string): Promise<RecordedCall<MessageBody>> {
  const [call] = await s.waitForCalls<MessageBody>((c) => c.method === 'POST' && c.path.endsWith('/messages') && (c.body as MessageBody | undefined)?.message_reference?.message_id === messageId);
  return call!;
}

describe('connecting', () => {
  it('logs in with the intents it needs, through DISCORD_API_URL, and never logs the token', async () => {
    const { s, a } = await boot();
    expect(a.state).toBe('connected');
    const [identify] = s.identifies;
    const want = GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent | GatewayIntentBits.DirectMessages;
    expect(identify?.intents).toBe(want);
    expect(s.calls.some((c) => c.path === '/api/v10/gateway/bot')).toBe(true);
    await slash(s, 'sales', { company: 'xiaomi' });
    expect(logs.join('')).toContain('discord connected');
    expect(logs.join('')).not.toContain(TOKEN);
  });

  it('resumes a lost gateway connection, logs it, and keeps answering', async () => {
    const { s, a } = await boot();
    await s.closeGatewayConnection(4000);
    await s.waitForGateway((p) => p.op === 6); // RESUME
    await expect.poll(() => a.state, { timeout: 3000 }).toBe('connected');
    const log = logs.join('');
    expect(log).toContain('reconnecting');
    expect(log).toContain('discord gateway session resumed');
    const body = await slash(s, 'sales', { company: 'xiaomi', month: 'april' });
    expect(embedText(body.data.embeds?.[0])).toContain('28,585');
  });

  it('fails to start with a clear message when Discord refuses the token', async () => {
    await expect(boot({ beforeStart: (s) => s.failNext({ method: 'GET', path: '/api/v10/gateway/bot' }, 401) })).rejects.toThrow(/DISCORD_TOKEN.*Reset Token/);
    expect(adapter?.state).toBe('failed');
    expect(logs.join('')).not.toContain(TOKEN);
  });

  it('says which Developer Portal switch to turn on when the Message Content intent is not enabled', async () => {
    await expect(boot({ standin: { identifyCloseCode: 4014 } })).rejects.toThrow(/code 4014.*Privileged Gateway Intents → Message Content Intent/);
    expect(adapter?.state).toBe('failed');
  });
});

describe('the core\'s guards, seen from Discord', () => {
  it('passes the guild as the workspace, so ALLOWED_DISCORD_GUILDS-style allow-lists work', async () => {
    const { s } = await boot({ bot: { allowedWorkspaces: { discord: ['1999999999999999999'] } } });
    const body = await slash(s, 'sales', { company: 'xiaomi', month: 'april' });
    expect(body.data.embeds?.[0]?.title).toBe('Sorry, this bot is not enabled here');
    await adapter?.stop();
    await s.close();
    const allowed = await boot({ bot: { allowedWorkspaces: { discord: ['1100000000000000001'] } } });
    expect(embedText((await slash(allowed.s, 'sales', { company: 'xiaomi', month: 'april' })).data.embeds?.[0])).toContain('28,585');
  });

  it('a rate-limited user is told once; after that a message gets no reply and a command nothing visible', async () => {
    const { s } = await boot({ bot: { rateLimiter: new RateLimiter({ limit: 1 }) } });
    const ask = () => s.messageCreate({ content: `<@${s.ids.botUser}> /sales xiaomi april`, mentions: [s.botUser] });
    const first = ask();
    s.dispatch('MESSAGE_CREATE', first);
    expect(embedText((await replyTo(s, first.id)).body.embeds?.[0])).toContain('28,585');
    const second = ask();
    s.dispatch('MESSAGE_CREATE', second);
    expect((await replyTo(s, second.id)).body.embeds?.[0]?.title).toBe('Slow down a little');
    s.dispatch('MESSAGE_CREATE', ask());
    await silentlyAcknowledged(s, 'help');
    expect(messagesPosted(s)).toHaveLength(2); // the third message was acknowledged by silence
  });

  it('counts a user once across guilds and DMs: a DM after the limit in a guild is told to slow down', async () => {
    const { s } = await boot({ bot: { rateLimiter: new RateLimiter({ limit: 1 }) } });
    expect(embedText((await slash(s, 'sales', { company: 'xiaomi', month: 'april' })).data.embeds?.[0])).toContain('28,585');
    const { guild_id: _guild, member: _member, ...dm } = s.messageCreate({ content: '/sales xiaomi april', channelId: '1500000000000000001' });
    s.dispatch('MESSAGE_CREATE', { ...dm, channel_type: 1 });
    expect((await replyTo(s, dm.id)).body.embeds?.[0]?.title).toBe('Slow down a little');
  });
});

/** A slash command answered by acknowledging it with nothing to show: a private "thinking…" deleted at once. */
async function silentlyAcknowledged(s: DiscordStandin, name: string, options: Record<string, string> = {}): Promise<void> {
  const interaction = s.slashCommandInteraction({ name, options: Object.entries(options).map(([k, v]) => str(k, v)) });
  s.dispatch('INTERACTION_CREATE', interaction);
  const [ack] = await s.waitForCalls<CallbackBody>({ method: 'POST', path: `/api/v10/interactions/${interaction.id}/${interaction.token}/callback` });
  expect(ack!.body).toEqual({ type: 5, data: { flags: 64 } });
  await s.waitForCalls({ method: 'DELETE', path: `/api/v10/webhooks/:app/${interaction.token}/messages/@original` });
  expect(s.callsMatching({ method: 'PATCH', path: `/api/v10/webhooks/:app/${interaction.token}/messages/@original` })).toHaveLength(0);
}

describe('ALLOWED_DISCORD_GUILDS, wired as npm start wires it', () => {
  const refused = { ALLOWED_DISCORD_GUILDS: '1999999999999999999' };
  const logLines = () => logs.flatMap((l) => l.split('\n')).filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string });

  it('autocomplete in a guild that is not allowed offers nothing from the dataset', async () => {
    const { s } = await boot({ app: true, env: refused });
    const body = await autocomplete(s, 'sales', 'company', 'xiom');
    expect(body).toEqual({ type: 8, data: { choices: [] } });
    expect((await autocomplete(s, 'sales', 'month', '')).data.choices).toEqual([]);
  });

  it('autocomplete in an allowed guild completes as usual', async () => {
    const { s } = await boot({ app: true, env: { ALLOWED_DISCORD_GUILDS: '1100000000000000001' } });
    expect((await autocomplete(s, 'sales', 'company', 'xiom')).data.choices?.[0]).toEqual({ name: 'Xiaomi (company)', value: 'Xiaomi' });
  });

  it('a refused guild is told once per user; then commands and mentions get nothing, logged once at info', async () => {
    const { s } = await boot({ app: true, env: refused });
    const first = await slash(s, 'sales', { company: 'xiaomi', month: 'april' });
    expect(first.data.embeds?.[0]?.title).toBe('Sorry, this bot is not enabled here');
    for (let i = 0; i < 3; i++) await silentlyAcknowledged(s, 'sales', { company: 'xiaomi', month: 'april' });
    const mentions = Array.from({ length: 3 }, () => s.messageCreate({ content: `<@${s.ids.botUser}> /sales xiaomi april`, mentions: [s.botUser] }));
    for (const m of mentions) s.dispatch('MESSAGE_CREATE', m);
    // By the time a later interaction is acknowledged, the messages before it were handled.
    await silentlyAcknowledged(s, 'help');
    expect(messagesPosted(s)).toHaveLength(0);
    const refusals = logLines().filter((l) => /not allowed/.test(l.msg));
    expect(refusals.map((l) => l.level)).toEqual([30]);
    expect(logLines().filter((l) => l.level >= 50)).toEqual([]);
  });
});

describe('slash commands', () => {
  it('/sales company:xiaomi month:april answers with an embed: the figure, its fields and sources', async () => {
    const { s } = await boot();
    const body = await slash(s, 'sales', { company: 'xiaomi', month: 'april' });
    expect(body.type).toBe(4);
    expect(body.data.allowed_mentions).toEqual({ parse: [] });
    const [embed] = body.data.embeds ?? [];
    expect(embed?.title).toBe('Xiaomi sales, April 2025');
    expect(embed?.fields).toEqual(expect.arrayContaining([{ name: 'Units', value: '28,585', inline: true }, { name: 'Month', value: 'April 2025', inline: true }]));
    expect(embed?.description).toContain('Xiaomi sold 28,585 vehicles in April 2025.');
    expect(embed?.footer?.text).toMatch(/^Sources: .*China Passenger Car Association/);
  });

  it('/compare first:xiaomi second:huawei month:may keeps the lower bound: "at most 16,454"', async () => {
    const { s } = await boot();
    const body = await slash(s, 'compare', { first: 'xiaomi', second: 'huawei', month: 'may' });
    const embed = body.data.embeds?.[0];
    expect(body.type).toBe(4);
    expect(body.data.allowed_mentions).toEqual({ parse: [] });
    expect(embed?.title).toBe('Xiaomi vs Huawei (HIMA), May 2025');
    expect(embed?.description).toContain('at most 16,454');
    // The table and the bars are monospace code blocks, and every block is closed.
    expect(embed?.description).toMatch(/```\nSeller +Units +Qualifier\n[\s\S]*over 28,000[\s\S]*```/);
    expect(embed?.description).toContain('▶');
    expect((embed?.description?.match(/```/g) ?? []).length % 2).toBe(0);
    expect(embed?.footer?.text).toContain('Xiaomi announcement of May 2025 sales');
  });

  it('/partners name:huawei lists the HIMA brands and their makers', async () => {
    const { s } = await boot();
    const body = await slash(s, 'partners', { name: 'huawei' });
    const text = embedText(body.data.embeds?.[0]);
    expect(body.type).toBe(4);
    expect(body.data.allowed_mentions).toEqual({ parse: [] });
    expect(text).toMatch(/Aito +Seres/);
    expect(text).toMatch(/Luxeed +Chery/);
    expect(text).toContain('Caixin Global');
  });

  it('/company name:seres gives the profile with its ticker as a field', async () => {
    const { s } = await boot();
    const body = await slash(s, 'company', { name: 'seres' });
    const embed = body.data.embeds?.[0];
    expect(embed?.title).toBe('Seres Group Co. Ltd.');
    expect(embed?.fields).toEqual(expect.arrayContaining([{ name: 'Ticker', value: '601127.SH', inline: true }]));
    expect(embed?.description).toContain('Aito M8 launched');
    expect(body.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('/timeline filter:2025 lists the events in date order', async () => {
    const { s } = await boot();
    const body = await slash(s, 'timeline', { filter: '2025' });
    const description = body.data.embeds?.[0]?.description ?? '';
    expect(body.type).toBe(4);
    const first = description.indexOf('Xiaomi outsells Huawei for the first time');
    const later = description.indexOf('Huawei reclaims the EV sales top spot');
    expect(first).toBeGreaterThanOrEqual(0);
    expect(later).toBeGreaterThan(first);
    expect(body.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('/digest month:may ranks HIMA first and reports the change of leader', async () => {
    const { s } = await boot();
    const body = await slash(s, 'digest', { month: 'may' });
    const embed = body.data.embeds?.[0];
    expect(embed?.title).toBe('Monthly digest: May 2025');
    expect(embed?.description).toMatch(/1 +Huawei \(HIMA\) +44,454/);
    expect(embed?.description).toContain('The lead changed');
    expect(body.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('/help command:sales explains the options; /help alone lists every command', async () => {
    const { s } = await boot();
    const one = await slash(s, 'help', { command: 'sales' });
    expect(embedText(one.data.embeds?.[0])).toContain('company: Company, alliance or brand');
    const all = await slash(s, 'help');
    const text = embedText(all.data.embeds?.[0]);
    for (const c of commands) expect(text).toContain(`/${c.name}`);
    expect(all.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('a missing or unknown value gets a friendly notice, not an error', async () => {
    const { s } = await boot();
    const body = await slash(s, 'sales', { company: 'nosuchcarmaker' });
    expect(body.type).toBe(4);
    expect(body.data.embeds?.[0]?.title).toMatch(/don't know|not/i);
    expect(body.data.embeds?.[0]?.color).not.toBe(0xed4245);
  });

  it('an over-long answer is cut within every embed limit, visibly', async () => {
    const { s } = await boot({ extra: [huge] });
    const body = await slash(s, 'huge');
    const [embed] = body.data.embeds ?? [];
    expect(body.data.embeds).toHaveLength(1);
    expect(embed!.title!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
    expect(embed!.description!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    expect(embed!.fields!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFields);
    for (const f of embed!.fields!) expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    expect(embed!.footer!.text.length).toBeLessThanOrEqual(DISCORD_LIMITS.footer);
    expect(embedLength(embed!)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    expect(embed!.description).toMatch(/…and \d+ more lines$/);
    expect(embed!.footer!.text).toMatch(/…and \d+ more sources$/);
  });

  it('answers in plain content when Discord refuses the embed', async () => {
    const { s } = await boot();
    s.failNext({ method: 'POST', path: '/api/v10/interactions/:id/:token/callback' }, 400, { body: { message: 'Invalid Form Body', code: 50035 } });
    const interaction = s.slashCommandInteraction({ name: 'sales', options: [str('company', 'xiaomi'), str('month', 'april')] });
    s.dispatch('INTERACTION_CREATE', interaction);
    const calls = await s.waitForCalls<CallbackBody>({ method: 'POST', path: `/api/v10/interactions/${interaction.id}/${interaction.token}/callback` }, { count: 2 });
    expect(calls.map((c) => c.status)).toEqual([400, 204]);
    expect(calls[1]!.body).toMatchObject({ type: 4, data: { allowed_mentions: { parse: [] } } });
    expect(calls[1]!.body.data.embeds ?? []).toHaveLength(0);
    expect(calls[1]!.body.data.content).toContain('Xiaomi sold 28,585 vehicles in April 2025.');
  });

  it('a handler that throws answers with an apology and request id, and the client keeps answering', async () => {
    const { s } = await boot({ extra: [boom] });
    const body = await slash(s, 'boom');
    const text = embedText(body.data.embeds?.[0]);
    expect(body.type).toBe(4);
    expect(text).toMatch(/Sorry, something went wrong/);
    const requestId = text.match(/request id (\w+)/)?.[1];
    expect(requestId).toBeDefined();
    // The log line with the error carries the same id, so the operator can find it.
    const logged = logs.map((l) => JSON.parse(l) as { requestId?: string; msg: string }).find((l) => l.requestId === requestId && l.msg === 'handler failed');
    expect(logged).toBeDefined();
    const next = await slash(s, 'sales', { company: 'xiaomi', month: 'april' });
    expect(embedText(next.data.embeds?.[0])).toContain('28,585');
  });
});

describe('answering within the interaction window', () => {
  const original = (token: string) => ({ method: 'PATCH', path: `/api/v10/webhooks/:app/${token}/messages/@original` });
  const callback = (i: { id: string; token: string }) => ({ method: 'POST', path: `/api/v10/interactions/${i.id}/${i.token}/callback` });
  const logLines = () => logs.flatMap((l) => l.split('\n')).filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

  it('an answer that takes its time: the interaction is deferred, then the answer edited in', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const { s } = await boot({
      deferAfterMs: 10,
      wrap: (bot) => ({
        commands: bot.commands, command: (name) => bot.command(name), get data() { return bot.data; },
        answer: async (request, options) => {
          await released; // the answer comes only once the test has seen the defer
          return bot.answer(request, options);
        },
      }),
    });
    const interaction = s.slashCommandInteraction({ name: 'sales', options: [str('company', 'xiaomi'), str('month', 'april')] });
    s.dispatch('INTERACTION_CREATE', interaction);
    const [deferred] = await s.waitForCalls<CallbackBody>(callback(interaction));
    expect(deferred!.body.type).toBe(5);
    release();
    const [edited] = await s.waitForCalls<MessageBody>(original(interaction.token));
    expect(embedText(edited!.body.embeds?.[0])).toContain('28,585');
    expect(edited!.body.allowed_mentions).toEqual({ parse: [] });
    expect(s.callsMatching(callback(interaction))).toHaveLength(1);
  });

  it('a 429 that would outlast the window: deferred at once, the answer edited in when the limit allows', async () => {
    const { s } = await boot();
    s.failNext({ method: 'POST', path: '/api/v10/interactions/:id/:token/callback' }, 429, {
      headers: { 'retry-after': '5' },
      body: { message: 'You are being rate limited.', retry_after: 5, global: false },
    });
    const interaction = s.slashCommandInteraction({ name: 'sales', options: [str('company', 'xiaomi'), str('month', 'april')] });
    s.dispatch('INTERACTION_CREATE', interaction);
    const [edited] = await s.waitForCalls<MessageBody>(original(interaction.token));
    expect(embedText(edited!.body.embeds?.[0])).toContain('28,585');
    const calls = s.callsMatching<CallbackBody>(callback(interaction));
    expect(calls.map((c) => [c.status, c.body.type])).toEqual([[429, 4], [204, 5]]);
  });

  it('a short 429 is waited out and answered directly', async () => {
    const { s } = await boot();
    s.failNext({ method: 'POST', path: '/api/v10/interactions/:id/:token/callback' }, 429, {
      headers: { 'retry-after': '0.05' },
      body: { message: 'You are being rate limited.', retry_after: 0.05, global: false },
    });
    const interaction = s.slashCommandInteraction({ name: 'sales', options: [str('company', 'xiaomi'), str('month', 'april')] });
    s.dispatch('INTERACTION_CREATE', interaction);
    const calls = await s.waitForCalls<CallbackBody>(callback(interaction), { count: 2 });
    expect(calls.map((c) => [c.status, c.body.type])).toEqual([[429, 4], [204, 4]]);
    expect(embedText(calls[1]!.body.data.embeds?.[0])).toContain('28,585');
  });

  it('autocomplete choices a 429 would delay past the window are given up at once, and logged', async () => {
    const { s } = await boot();
    s.failNext({ method: 'POST', path: '/api/v10/interactions/:id/:token/callback' }, 429, {
      headers: { 'retry-after': '5' },
      body: { message: 'You are being rate limited.', retry_after: 5, global: false },
    });
    const interaction = s.autocompleteInteraction({ name: 'sales', options: [str('company', 'xiom', true)] });
    s.dispatch('INTERACTION_CREATE', interaction);
    await expect.poll(() => logLines().find((l) => l.msg === 'discord autocomplete choices lost')).toMatchObject({ level: 40, command: 'sales', user: s.ids.user });
    expect(s.callsMatching(callback(interaction)).map((c) => c.status)).toEqual([429]);
    // The next keystroke is answered as usual.
    expect((await autocomplete(s, 'sales', 'company', 'xiom')).data.choices?.[0]?.value).toBe('Xiaomi');
  });

  it('a reply lost after every retry is logged with the request id, the user and the command', async () => {
    const { s } = await boot();
    s.failNext({ method: 'POST', path: '/api/v10/interactions/:id/:token/callback' }, 500, { times: 4 }); // 1 try + 3 retries
    const interaction = s.slashCommandInteraction({ name: 'sales', options: [str('company', 'xiaomi'), str('month', 'april')] });
    s.dispatch('INTERACTION_CREATE', interaction);
    await s.waitForCalls(callback(interaction), { count: 4 });
    await expect.poll(() => logLines().find((l) => l.msg === 'discord reply lost')).toMatchObject({
      level: 50, requestId: expect.stringMatching(/^[0-9a-f]{8}$/), user: s.ids.user, command: 'sales', guild: s.ids.guild,
    });

    s.failNext({ method: 'POST', path: '/api/v10/channels/:id/messages' }, 500, { times: 4 });
    const incoming = s.messageCreate({ content: `<@${s.ids.botUser}> /partners huawei`, mentions: [s.botUser] });
    s.dispatch('MESSAGE_CREATE', incoming);
    await expect.poll(() => logLines().filter((l) => l.msg === 'discord reply lost')[1]).toMatchObject({
      level: 50, requestId: expect.stringMatching(/^[0-9a-f]{8}$/), user: s.ids.user, command: 'partners', channel: s.ids.channel,
    });
    // The client keeps answering.
    expect(embedText((await slash(s, 'sales', { company: 'xiaomi', month: 'april' })).data.embeds?.[0])).toContain('28,585');
  });
});

describe('autocomplete', () => {
  it('completes a typo like "xiom" with Xiaomi, at most 25 choices', async () => {
    const { s } = await boot();
    const body = await autocomplete(s, 'sales', 'company', 'xiom');
    expect(body.type).toBe(8);
    const choices = body.data.choices ?? [];
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices[0]).toEqual({ name: 'Xiaomi (company)', value: 'Xiaomi' });
    for (const c of choices) {
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(c.value.length).toBeLessThanOrEqual(100);
    }
  });

  it('completes every entity option (first, second, name) and a picked value answers the command', async () => {
    const { s } = await boot();
    const second = await autocomplete(s, 'compare', 'second', 'hua', { first: 'xiaomi' });
    expect(second.data.choices?.map((c) => c.value)).toContain('Huawei');
    const name = await autocomplete(s, 'partners', 'name', 'hi');
    const hima = name.data.choices?.find((c) => c.name.startsWith('HIMA'));
    expect(hima).toBeDefined();
    const answered = await slash(s, 'partners', { name: hima!.value });
    expect(embedText(answered.data.embeds?.[0])).toMatch(/Aito +Seres/);
  });

  it('completes months with data, newest first, filtered by what was typed', async () => {
    const { s } = await boot();
    const all = await autocomplete(s, 'sales', 'month', '', { company: 'xiaomi' });
    expect(all.type).toBe(8);
    const months = [...store.current.months].reverse();
    expect(all.data.choices?.map((c) => c.value)).toEqual(months);
    expect(all.data.choices?.[0]?.name).toBe('May 2025');
    const apr = await autocomplete(s, 'digest', 'month', 'apr');
    expect(apr.data.choices).toEqual([{ name: 'April 2025', value: '2025-04' }]);
  });

  it('completes /help command from the command names', async () => {
    const { s } = await boot();
    const body = await autocomplete(s, 'help', 'command', 'com');
    expect(body.data.choices?.map((c) => c.value)).toEqual(['compare', 'company']);
  });
});

describe('messages', () => {
  it('answers a mention as a reply to the message, pinging nobody', async () => {
    const { s } = await boot();
    const incoming = s.messageCreate({ content: `<@${s.ids.botUser}> /sales xiaomi april`, mentions: [s.botUser] });
    s.dispatch('MESSAGE_CREATE', incoming);
    const call = await replyTo(s, incoming.id);
    expect(call.path).toBe(`/api/v10/channels/${s.ids.channel}/messages`);
    expect(call.body.message_reference?.message_id).toBe(incoming.id);
    expect(call.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(embedText(call.body.embeds?.[0])).toContain('28,585');
  });

  it('answers a plain question after a mention', async () => {
    const { s } = await boot();
    const incoming = s.messageCreate({ content: `<@${s.ids.botUser}> who sold more in May?`, mentions: [s.botUser] });
    s.dispatch('MESSAGE_CREATE', incoming);
    const call = await replyTo(s, incoming.id);
    const text = embedText(call.body.embeds?.[0]);
    expect(text).toMatch(/Huawei \(HIMA\) +[█]+ +44,454/);
    expect(text).toContain('at most 16,454');
    expect(call.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it("ignores its own messages and other bots', even when they mention it", async () => {
    const { s } = await boot();
    const content = `<@${s.ids.botUser}> /sales xiaomi april`;
    s.dispatch('MESSAGE_CREATE', s.messageCreate({ content, mentions: [s.botUser], author: { id: '1400000000000000001', username: 'otherbot', bot: true } }));
    s.dispatch('MESSAGE_CREATE', s.messageCreate({ content, mentions: [s.botUser], author: s.botUser }));
    s.dispatch('MESSAGE_CREATE', s.messageCreate({ content: 'just chatting, /sales xiaomi' }));
    const human = s.messageCreate({ content, mentions: [s.botUser] });
    s.dispatch('MESSAGE_CREATE', human);
    await replyTo(s, human.id);
    expect(messagesPosted(s).map((c) => c.body.message_reference?.message_id)).toEqual([human.id]);
  });

  it('reads @everyone, @here, roles and users typed into a question as nothing, and pings nobody', async () => {
    const { s } = await boot();
    const typed = `@everyone @here <@&${s.ids.guild}> <@${s.ids.user}>`;
    const incoming = s.messageCreate({ content: `<@${s.ids.botUser}> /company ${typed} seres`, mentions: [s.botUser] });
    s.dispatch('MESSAGE_CREATE', incoming);
    const call = await replyTo(s, incoming.id);
    expect(call.body.allowed_mentions?.parse).toEqual([]);
    expect(call.body.embeds?.[0]?.title).toBe('Seres Group Co. Ltd.');
    const shown = `${call.body.content ?? ''}\n${embedText(call.body.embeds?.[0])}`;
    expect(shown).not.toMatch(/everyone|@here|<@&|<@\d/);

    const slashed = await slash(s, 'company', { name: `${typed} seres` });
    expect(slashed.data.allowed_mentions).toEqual({ parse: [] });
    expect(slashed.data.embeds?.[0]?.title).toBe('Seres Group Co. Ltd.');
    expect(embedText(slashed.data.embeds?.[0])).not.toMatch(/everyone|@here|<@&|<@\d/);
  });

  it('answers a question with mentions, emoji and pings exactly as the same question without them', async () => {
    const { s } = await boot();
    const ask = async (content: string) => {
      const incoming = s.messageCreate({ content: `<@${s.ids.botUser}> ${content}`, mentions: [s.botUser] });
      s.dispatch('MESSAGE_CREATE', incoming);
      return (await replyTo(s, incoming.id)).body;
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...QUESTIONS), sprinkles, async (question, mentions) => {
        const plain = await ask(question);
        const sprinkled = await ask(sprinkle(question, mentions));
        expect(plain.embeds?.[0]?.color).toBe(0x5865f2); // an answer, not a notice
        expect(sprinkled.embeds).toEqual(plain.embeds);
      }),
      { numRuns: 25 },
    );
  });

  it('answers a direct message without a mention, even when DISCORD_CHANNELS is set', async () => {
    const { s } = await boot({ env: { DISCORD_CHANNELS: '1100000000000000002' } });
    const dmChannel = '1500000000000000001';
    const { guild_id: _guild, member: _member, ...dm } = s.messageCreate({ content: '/sales xiaomi april', channelId: dmChannel });
    // Discord marks a DM with channel_type 1; discord.js builds the (uncached) DM channel from it.
    s.dispatch('MESSAGE_CREATE', { ...dm, channel_type: 1 });
    const call = await replyTo(s, dm.id);
    expect(call.path).toBe(`/api/v10/channels/${dmChannel}/messages`);
    expect(embedText(call.body.embeds?.[0])).toContain('28,585');
  });

  it('answers "!" messages only in DISCORD_CHANNELS', async () => {
    const { s } = await boot({ env: { DISCORD_CHANNELS: '1100000000000000002' } });
    const bang = s.messageCreate({ content: '!/sales xiaomi april' });
    s.dispatch('MESSAGE_CREATE', bang);
    const call = await replyTo(s, bang.id);
    expect(embedText(call.body.embeds?.[0])).toContain('28,585');
  });

  it('ignores "!" messages without DISCORD_CHANNELS, and mentions outside the listed channels', async () => {
    const { s } = await boot();
    s.dispatch('MESSAGE_CREATE', s.messageCreate({ content: '!/sales xiaomi april' }));
    const mention = s.messageCreate({ content: `<@${s.ids.botUser}> /sales xiaomi may`, mentions: [s.botUser] });
    s.dispatch('MESSAGE_CREATE', mention);
    await replyTo(s, mention.id);
    expect(messagesPosted(s)).toHaveLength(1);
    await adapter?.stop();
    await s.close();

    const other = await boot({ env: { DISCORD_CHANNELS: '1999999999999999999' } });
    other.s.dispatch('MESSAGE_CREATE', other.s.messageCreate({ content: `<@${other.s.ids.botUser}> /sales xiaomi april`, mentions: [other.s.botUser] }));
    // A slash command still works anywhere; by the time it is answered, the message was processed.
    await slash(other.s, 'help');
    expect(messagesPosted(other.s)).toHaveLength(0);
  });

  it('falls back to plain content within 2,000 characters when Discord refuses the embed', async () => {
    const { s } = await boot();
    s.failNext({ method: 'POST', path: '/api/v10/channels/:id/messages' }, 400, { body: { message: 'Invalid Form Body', code: 50035 } });
    const incoming = s.messageCreate({ content: `<@${s.ids.botUser}> /compare xiaomi huawei may`, mentions: [s.botUser] });
    s.dispatch('MESSAGE_CREATE', incoming);
    const calls = await s.waitForCalls<MessageBody>({ method: 'POST', path: '/api/v10/channels/:id/messages' }, { count: 2 });
    const plain = calls[1]!.body;
    expect(plain.embeds ?? []).toHaveLength(0);
    expect(plain.content!.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    expect(plain.content).toContain('at most 16,454');
    expect(plain.message_reference?.message_id).toBe(incoming.id);
    expect(plain.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });
});

describe('posting (the digest)', () => {
  it('posts an embed to a channel through the adapter and returns the message id', async () => {
    const { s, a } = await boot();
    const reply = new Bot({ commands, data: () => store.current }).handleLine('/digest may', { platform: 'schedule' });
    const posted = await a.post(s.ids.channel, reply);
    const [call] = s.callsMatching<MessageBody>({ method: 'POST', path: `/api/v10/channels/${s.ids.channel}/messages` });
    expect(posted).toEqual({ id: expect.stringMatching(/^\d+$/), channel: s.ids.channel });
    expect(s.messages.get(posted.id)?.embeds[0]?.title).toBe('Monthly digest: May 2025');
    expect(call?.body.allowed_mentions).toEqual({ parse: [] });
  });
});
