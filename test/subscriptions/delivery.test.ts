/**
 * Subscriptions end to end: people subscribe through the real Slack adapter (Bolt, HTTP mode) and the real Discord
 * adapter (discord.js), a new month is written into the data directory while the bot runs, and the DMs arrive at
 * the loopback stand-ins — exactly one per subscriber and one alert per proven condition, with the bot stopped in
 * the middle of delivering and a new one started on the same STATE_DIR.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationCommandOptionType, PermissionFlagsBits, type APIEmbed } from 'discord.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/adapters/discord/index.js';
import { createSlackAdapter } from '../../src/adapters/slack/index.js';
import { createApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { Adapter } from '../../src/core/adapter.js';
import { DigestState } from '../../src/schedule/state.js';
import type { SubscriptionEngine } from '../../src/subscriptions/engine.js';
import { createDirectPosters, createSubscriptionEngine } from '../../src/subscriptions/index.js';
import { LogCapture } from '../adapters/slack/harness.js';
import { dataDirWith, removeDataDirs } from '../support/data-dir.js';
import { DiscordStandin } from '../support/discord-standin.js';
import { SlackStandin, signedSlashCommand } from '../support/slack-standin.js';
import { removeStateDirs, tempStateDir } from '../schedule/helpers.js';

const SIGNING_SECRET = 'subscriptions-signing-secret';

interface Running {
  engine: SubscriptionEngine;
  adapters: Adapter[];
  slackUrl: string;
  reload: () => Promise<void>;
  logs: LogCapture;
}

let slack: SlackStandin | undefined;
let discord: DiscordStandin | undefined;
const running: Running[] = [];

afterEach(async () => {
  for (const r of running.splice(0)) await stop(r);
  await slack?.close();
  await discord?.close();
  slack = undefined;
  discord = undefined;
});
afterAll(() => {
  removeDataDirs();
  removeStateDirs();
});

/** The bot as `npm start` wires it: one app, both adapters, the DM posters and the engine on the digest's ledger. */
async function boot(env: Record<string, string>, engineOptions: { ledger?: DigestState; settleMs?: number } = {}): Promise<Running> {
  const logs = new LogCapture();
  const config = parseConfig(env);
  const app = await createApp(config, logs.logger);
  const slackAdapter = createSlackAdapter({ bot: app.bot, config, logger: logs.logger, listen: { host: '127.0.0.1', port: 0 }, retries: { answers: 0, post: 0 } });
  const discordAdapter = createDiscordAdapter({ bot: app.bot, config, logger: logs.logger });
  const engine = createSubscriptionEngine({
    config, bot: app.bot, store: app.subscriptions, ledger: engineOptions.ledger ?? new DigestState(config.STATE_DIR), logger: logs.logger,
    ...(engineOptions.settleMs !== undefined ? { settleMs: engineOptions.settleMs } : {}),
    posters: await createDirectPosters(config, logs.logger, { commandNames: app.bot.commands.map((c) => c.name) }),
  });
  await slackAdapter.start();
  await discordAdapter.start();
  await engine.start();
  const r: Running = {
    engine, adapters: [slackAdapter, discordAdapter], slackUrl: `http://127.0.0.1:${slackAdapter.port}`, logs,
    // What main's onReload does with a reload that changed the data.
    reload: async () => {
      const result = await app.store.reload();
      if (result.ok && result.changed) await engine.deliver();
    },
  };
  running.push(r);
  return r;
}

async function stop(r: Running): Promise<void> {
  const i = running.indexOf(r);
  if (i >= 0) running.splice(i, 1);
  await Promise.all([r.engine.stop(), ...r.adapters.map((a) => a.stop())]);
}

async function slackCommand(r: Running, user: string, command: string, text: string): Promise<string> {
  const res = await signedSlashCommand(r.slackUrl, SIGNING_SECRET, { command, text, user_id: user, channel_id: 'C1' });
  expect(res.status).toBe(200);
  return JSON.stringify(res.body);
}

async function discordCommand(s: DiscordStandin, user: string, name: string, options: Record<string, string>, memberPermissions?: string): Promise<string> {
  const interaction = s.slashCommandInteraction({ name, user: { id: user }, ...(memberPermissions ? { memberPermissions } : {}), options: Object.entries(options).map(([k, v]) => ({ name: k, type: ApplicationCommandOptionType.String as const, value: v })) });
  s.dispatch('INTERACTION_CREATE', interaction);
  const [call] = await s.waitForCalls<{ data?: { embeds?: APIEmbed[] } }>({ method: 'POST', path: `/api/v10/interactions/${interaction.id}/${interaction.token}/callback` });
  return JSON.stringify(call!.body);
}

/** June 2025: Xiaomi "over 30,000" (a lower bound), HIMA 50,000 (May: 44,454, so +12.5%). */
function addJune(dataDir: string): void {
  const file = path.join(dataDir, 'sales.json');
  const sales = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
  sales.push(
    { seller: 'xiaomi', month: '2025-06', units: 30_000, qualifier: 'at_least', reportedAs: 'over 30,000', sources: ['cpca'] },
    { seller: 'hima', month: '2025-06', units: 50_000, qualifier: 'exact', sources: ['cpca'] },
  );
  // As data:import writes it: whole, then renamed over the old file.
  writeFileSync(`${file}.tmp`, JSON.stringify(sales, null, 2));
  renameSync(`${file}.tmp`, file);
}

/** Slack DMs by their header text, per user (the stand-in keeps the DM channel `D<user>`). */
function slackDms(s: SlackStandin, user: string): string[] {
  return s.messagesIn(`D${user}`).map((m) => String(m.text ?? ''));
}

function discordDms(s: DiscordStandin, user: string): string[] {
  return s.messagesIn(s.dmChannelId(user)).map((m) => m.embeds[0]?.title ?? m.content);
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('a new month while the bot runs', () => {
  it('sends one DM per subscriber and one alert per proven condition, across a restart in the middle of delivering', async () => {
    slack = await SlackStandin.start();
    discord = await DiscordStandin.start();
    const dataDir = dataDirWith();
    const env = {
      DATA_DIR: dataDir, STATE_DIR: tempStateDir(), RATE_LIMIT_PER_MINUTE: '100000', LOG_LEVEL: 'debug',
      SLACK_BOT_TOKEN: 'xoxb-subscriptions', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: 'fake.token.for-tests', DISCORD_APPLICATION_ID: discord.ids.application, DISCORD_API_URL: discord.apiUrl,
    };
    const first = await boot(env);

    // Slack: a seller, an alert the lower bound proves, one it can only leave undecided, one it disproves, the digest.
    expect(await slackCommand(first, 'U1', '/subscribe', 'xiaomi')).toContain('Subscribed: new months of Xiaomi');
    expect(await slackCommand(first, 'U2', '/alert', 'xiaomi above 25000')).toContain('Alert set: Xiaomi, above 25,000 units');
    expect(await slackCommand(first, 'U3', '/alert', 'xiaomi below 40000')).toContain('Alert set');
    expect(await slackCommand(first, 'U4', '/alert', 'xiaomi below 20000')).toContain('Alert set');
    expect(await slackCommand(first, 'U5', '/subscribe', 'digest')).toContain('Subscribed: the monthly digest');
    // Discord: a seller, a change alert that fires, a units alert that does not.
    const [d1, d2, d3] = ['1300000000000000011', '1300000000000000012', '1300000000000000013'];
    expect(await discordCommand(discord, d1, 'subscribe', { what: 'hima' })).toContain('Subscribed: new months of HIMA');
    expect(await discordCommand(discord, d2, 'alert', { seller: 'huawei', condition: 'change above 10%' })).toContain('Alert set: HIMA');
    expect(await discordCommand(discord, d3, 'alert', { seller: 'hima', condition: 'above 60000' })).toContain('Alert set: HIMA');

    // The first DM's answer is held: the bot is stopped while that delivery is claimed and on its way.
    const held = slack.holdNext('chat.postMessage');
    addJune(dataDir);
    const delivering = first.reload();
    await held.arrived;
    const stopped = stop(first);
    held.release();
    await stopped;
    await delivering;
    expect(slackDms(slack, 'U1')).toHaveLength(1);
    expect(slackDms(slack, 'U2')).toHaveLength(0);

    // A new bot on the same STATE_DIR delivers the rest at start-up, and nothing twice.
    const second = await boot(env);
    await until(() => slackDms(slack!, 'U2').length + slackDms(slack!, 'U3').length + discordDms(discord!, d1).length + discordDms(discord!, d2).length === 4, 'the remaining DMs');
    await second.engine.deliver();
    await second.reload();
    // The digest goes to its subscriber when the digest runs (as the schedule would fire it), once.
    await second.engine.deliverDigests();
    await second.engine.deliverDigests();

    expect(slackDms(slack, 'U1')).toEqual([expect.stringContaining('New month: Xiaomi sales, June 2025')]);
    expect(slackDms(slack, 'U2')).toEqual([expect.stringContaining('Alert: Xiaomi, June 2025')]);
    expect(slackDms(slack, 'U3')).toEqual([expect.stringContaining('Alert undecided: Xiaomi, June 2025')]);
    expect(slackDms(slack, 'U4')).toEqual([]);
    expect(slackDms(slack, 'U5')).toEqual([expect.stringContaining('Monthly digest: June 2025')]);
    expect(discordDms(discord, d1)).toEqual(['New month: HIMA sales, June 2025']);
    expect(discordDms(discord, d2)).toEqual(['Alert: HIMA, June 2025']);
    expect(discordDms(discord, d3)).toEqual([]);

    // What the alerts say, as the subscriber reads it.
    const proven = slack.messagesIn('DU2')[0]!;
    expect(JSON.stringify(proven.blocks)).toContain('Xiaomi sold over 30,000 (a lower bound) in June 2025: above 25,000 units.');
    const undecided = JSON.stringify(slack.messagesIn('DU3')[0]!.blocks);
    expect(undecided).toContain("Xiaomi's June 2025 figure is over 30,000 (a lower bound), so whether it is below 40,000 units cannot be decided.");
    const change = discord.messagesIn(discord.dmChannelId(d2))[0]!;
    expect(change.embeds[0]?.description ?? '').toContain('a change of +12.5%');
    const [sent] = discord.callsMatching<{ allowed_mentions?: { parse?: string[] } }>({ method: 'POST', path: `/api/v10/channels/${change.channel_id}/messages` });
    expect(sent?.body.allowed_mentions).toEqual({ parse: [] });
    // Every DM went to the person's own DM channel, opened through the platform.
    expect(slack.callsOf('conversations.open').map((c) => c.body.users)).toEqual(expect.arrayContaining(['U1', 'U2', 'U3', 'U5']));
    expect(slack.callsOf('conversations.open').map((c) => c.body.users)).not.toContain('U4');
  });

  it('settles a DM whose sender died after claiming it: found in the DM, it is not sent again; not there, it is sent once', async () => {
    slack = await SlackStandin.start();
    discord = await DiscordStandin.start();
    const dataDir = dataDirWith();
    const stateDir = tempStateDir();
    const env = {
      DATA_DIR: dataDir, STATE_DIR: stateDir, RATE_LIMIT_PER_MINUTE: '100000',
      SLACK_BOT_TOKEN: 'xoxb-subscriptions', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: 'fake.token.for-tests', DISCORD_APPLICATION_ID: discord.ids.application, DISCORD_API_URL: discord.apiUrl,
    };
    const first = await boot(env);
    const idOf = (text: string) => text.match(/Id (s[0-9a-z]{6})/)![1]!;
    await slackCommand(first, 'U1', '/subscribe', 'xiaomi');
    await slackCommand(first, 'U2', '/subscribe', 'hima');
    const third = idOf(await slackCommand(first, 'U3', '/alert', 'hima above 45000'));

    // The first bot's DM to U1 reaches Slack, but the answer never comes back: it is stuck there, as if it died.
    const held = slack.holdNext('chat.postMessage');
    addJune(dataDir);
    void first.reload();
    await held.arrived;
    // And a claim for U3's alert that was never posted (a process that died between its claim and its post).
    await new DigestState(stateDir).claim({ platform: 'slack', channel: `sub:${third}`, month: '2025-06' });

    // Another bot whose ledger takes claims older than 100 ms as no longer in flight (15 minutes by default).
    await new Promise((r) => setTimeout(r, 150));
    const second = await boot(env, { ledger: new DigestState(stateDir, { staleAfterMs: 100 }), settleMs: 0 });
    await second.engine.deliver();
    held.release();
    await stop(first);
    await second.engine.deliver();

    expect(slackDms(slack, 'U1')).toEqual([expect.stringContaining('New month: Xiaomi sales, June 2025')]);
    expect(slackDms(slack, 'U2')).toEqual([expect.stringContaining('New month: HIMA sales, June 2025')]);
    expect(slackDms(slack, 'U3')).toEqual([expect.stringContaining('Alert: HIMA, June 2025')]);
    // U1's DM was looked for in the DM's history (the message carries its key), found, and recorded.
    expect(slack.callsOf('conversations.history').map((c) => c.body.channel)).toEqual(expect.arrayContaining(['DU1', 'DU3']));
    expect(second.logs.text).toContain(`was in doubt and is there; recorded`);
  });

  it('posts a channel subscription in the channel, which only a workspace or server admin may make', async () => {
    slack = await SlackStandin.start();
    discord = await DiscordStandin.start();
    const dataDir = dataDirWith();
    const env = {
      DATA_DIR: dataDir, STATE_DIR: tempStateDir(), RATE_LIMIT_PER_MINUTE: '100000',
      SLACK_BOT_TOKEN: 'xoxb-subscriptions', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: 'fake.token.for-tests', DISCORD_APPLICATION_ID: discord.ids.application, DISCORD_API_URL: discord.apiUrl,
    };
    const bot = await boot(env);
    // Slack asks users.info: a plain member is refused, a workspace admin is not.
    slack.admins.add('UADMIN');
    expect(await slackCommand(bot, 'UMEMBER', '/subscribe', 'xiaomi here')).toContain('Only workspace admins can subscribe a channel');
    expect(await slackCommand(bot, 'UADMIN', '/subscribe', 'xiaomi here')).toContain('You get new months of Xiaomi in channel C1');
    expect(slack.callsOf('users.info').map((c) => c.body.user)).toEqual(['UMEMBER', 'UADMIN']);
    // Discord reads the member's permissions: Manage Server (or Administrator) may, @everyone's may not.
    const manager = String(BigInt(discord.everyonePermissions) | PermissionFlagsBits.ManageGuild);
    expect(await discordCommand(discord, '1300000000000000021', 'subscribe', { what: 'hima', where: 'here' })).toContain('Only workspace admins can subscribe a channel');
    expect(await discordCommand(discord, '1300000000000000022', 'subscribe', { what: 'hima', where: 'here' }, manager)).toContain(`in channel ${discord.ids.channel}`);

    const postsBefore = discord.messagesIn(discord.ids.channel).length;
    addJune(dataDir);
    await bot.reload();
    await bot.reload();
    expect(slack.messagesIn('C1').map((m) => String(m.text))).toEqual([expect.stringContaining('New month: Xiaomi sales, June 2025')]);
    const posts = discord.messagesIn(discord.ids.channel).slice(postsBefore).filter((m) => m.interaction_metadata === undefined);
    expect(posts.map((m) => m.embeds[0]?.title)).toEqual(['New month: HIMA sales, June 2025']);
    // Nobody's DM was opened for a channel subscription.
    expect(slack.callsOf('conversations.open')).toEqual([]);
  });
});
