/**
 * Buttons and CSV export through the real discord.js client against the loopback stand-in: an answer's
 * suggestions are message components; a click runs the button's command for whoever clicked (an ephemeral reply),
 * through the same guards as a typed command; "Export CSV" and a trailing `csv` attach the figures, read back here.
 */
import { Writable } from 'node:stream';
import { ApplicationCommandOptionType, type APIActionRowComponent, type APIButtonComponentWithCustomId, type APIEmbed, type APIMessage } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../../src/adapters/discord/index.js';
import { createApp } from '../../../src/app.js';
import { parseConfig } from '../../../src/config.js';
import type { Bot } from '../../../src/core/bot.js';
import { createLogger } from '../../../src/log.js';
import { expectedRows, readCsv } from '../../support/csv.js';
import { BUNDLED_DATA } from '../../support/data-dir.js';
import { DiscordStandin, type RecordedCall } from '../../support/discord-standin.js';

interface CallbackBody {
  type: number;
  data?: { embeds?: APIEmbed[]; flags?: number; content?: string; components?: APIActionRowComponent<APIButtonComponentWithCustomId>[] };
}

const EPHEMERAL = 64;
const USER_A = '1300000000000000001';
const USER_B = '1300000000000000002';

let standin: DiscordStandin | undefined;
let adapter: DiscordAdapter | undefined;
let logs: Record<string, unknown>[] = [];
afterEach(async () => {
  await adapter?.stop();
  await standin?.close();
  adapter = undefined;
  standin = undefined;
});

async function boot(env: Record<string, string> = {}, slowBy = 0): Promise<{ s: DiscordStandin; bot: Bot }> {
  standin = await DiscordStandin.start();
  logs = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(...chunk.toString().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>));
      done();
    },
  });
  const logger = createLogger('debug', sink);
  const config = parseConfig({ DISCORD_TOKEN: 'fake.token.for-tests', DISCORD_APPLICATION_ID: '1200000000000000001', DISCORD_API_URL: standin.apiUrl, DATA_DIR: BUNDLED_DATA, RATE_LIMIT_PER_MINUTE: '1000', ...env });
  const { bot } = await createApp(config, logger);
  // `slowBy`: every answer takes that long (a chart, a busy database), past the adapter's defer threshold.
  const slow = slowBy ? { commands: bot.commands, data: bot.data, command: (n: string) => bot.command(n), answer: async (...a: Parameters<Bot['answer']>) => {
    await new Promise((r) => setTimeout(r, slowBy));
    return bot.answer(...a);
  } } : bot;
  adapter = createDiscordAdapter({ bot: slow as Bot, config, logger, ...(slowBy ? { deferAfterMs: 100 } : {}) }) as DiscordAdapter;
  await adapter.start();
  return { s: standin, bot };
}

const callbackOf = async (s: DiscordStandin, interaction: { id: string; token: string }): Promise<RecordedCall<CallbackBody>> => {
  const [call] = await s.waitForCalls<CallbackBody>({ method: 'POST', path: `/api/v10/interactions/${interaction.id}/${interaction.token}/callback` }, { timeoutMs: 5000 });
  return call!;
};

/** A slash command by `user`; the message its answer became, as the stand-in stored it. */
async function slash(s: DiscordStandin, name: string, options: Record<string, string>, user = USER_A): Promise<{ body: CallbackBody; message: APIMessage }> {
  const interaction = s.slashCommandInteraction({ name, user: { id: user }, options: Object.entries(options).map(([k, v]) => ({ name: k, type: ApplicationCommandOptionType.String as const, value: v })) });
  s.dispatch('INTERACTION_CREATE', interaction);
  const call = await callbackOf(s, interaction);
  const message = s.messagesIn(s.ids.channel).at(-1)!;
  return { body: call.body, message };
}

const buttons = (message: Pick<APIMessage, 'components'>) =>
  (message.components ?? []).flatMap((row) => (row as APIActionRowComponent<APIButtonComponentWithCustomId>).components);

/** `user` clicks the button labelled `label` on `message`; the callback call (the reply to the click). */
async function click(s: DiscordStandin, message: APIMessage, label: string, user = USER_B): Promise<RecordedCall<CallbackBody>> {
  const button = buttons(message).find((b) => b.label === label);
  expect(button, `a button "${label}"`).toBeDefined();
  const interaction = s.buttonInteraction({ customId: button!.custom_id, message, user: { id: user } });
  s.dispatch('INTERACTION_CREATE', interaction);
  return callbackOf(s, interaction);
}

const requests = () => logs.filter((l) => l.msg === 'request');

describe('buttons on an answer', () => {
  it('/sales company:xiaomi month:may: its suggestions are buttons, then Export CSV; no "Try:" line in the embed', async () => {
    const { s } = await boot();
    const { body, message } = await slash(s, 'sales', { company: 'xiaomi', month: 'may' });
    expect(body.data?.embeds?.[0]?.title).toBe('Xiaomi sales, May 2025');
    expect(buttons(message).map((b) => b.label)).toEqual(['/compare xiaomi hima 2025-05', '/digest 2025-05', 'Export CSV']);
    expect(body.data?.embeds?.[0]?.description ?? '').not.toContain('Try:');
  });

  it('user B clicks a suggestion on user A\'s answer: the command runs for B, in a reply only B sees', async () => {
    const { s } = await boot();
    const { message } = await slash(s, 'sales', { company: 'xiaomi', month: 'may' }, USER_A);
    const reply = await click(s, message, '/compare xiaomi hima 2025-05', USER_B);
    expect(reply.body.type).toBe(4);
    expect(reply.body.data!.flags! & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.body.data?.embeds?.[0]?.title).toBe('Xiaomi vs Huawei (HIMA), May 2025');
    expect(requests().at(-1)).toMatchObject({ user: USER_B, command: 'compare', workspace: s.ids.guild, outcome: 'answer' });
    // A's message is untouched.
    expect(s.callsMatching({ method: 'PATCH', path: /messages\/\d+$/ })).toEqual([]);
  });

  it('a slow answer to a click: "thinking…" only the clicker sees within the window, then the answer edited in', async () => {
    const { s } = await boot({}, 400);
    // The command is slow too: its answer (and buttons) are edited into its deferred message.
    const { message: deferred } = await slash(s, 'sales', { company: 'xiaomi', month: 'may' }, USER_A);
    await s.waitForCalls({ method: 'PATCH', path: /\/messages\/@original$/ }, { timeoutMs: 5000 });
    const message = s.messages.get(deferred.id)!;
    const button = buttons(message).find((b) => b.label === '/digest 2025-05')!;
    const interaction = s.buttonInteraction({ customId: button.custom_id, message, user: { id: USER_B } });
    const started = Date.now();
    s.dispatch('INTERACTION_CREATE', interaction);
    const first = await callbackOf(s, interaction);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(first.body.type).toBe(5);
    expect(first.body.data!.flags! & EPHEMERAL).toBe(EPHEMERAL);
    const [edit] = await s.waitForCalls<{ embeds?: APIEmbed[] }>({ method: 'PATCH', path: `/api/v10/webhooks/:app/${interaction.token}/messages/@original` }, { timeoutMs: 5000 });
    expect(edit!.body.embeds?.[0]?.title).toBe('Monthly digest: May 2025');
  });

  it('a click by a rate-limited user is refused like a typed command', async () => {
    const { s } = await boot({ RATE_LIMIT_PER_MINUTE: '2' });
    const { message } = await slash(s, 'sales', { company: 'xiaomi', month: 'may' }, USER_B);
    await slash(s, 'sales', { company: 'huawei', month: 'may' }, USER_B);
    const refused = await click(s, message, '/digest 2025-05', USER_B);
    expect(refused.body.data!.flags! & EPHEMERAL).toBe(EPHEMERAL);
    expect(refused.body.data?.embeds?.[0]?.title).toBe('Slow down a little');
    expect(requests().at(-1)).toMatchObject({ user: USER_B, outcome: 'rate_limited' });
    // Someone else's click still runs.
    const other = await click(s, message, '/digest 2025-05', USER_A);
    expect(other.body.data?.embeds?.[0]?.title).toBe('Monthly digest: May 2025');
  });

  it('a click in a guild not on the allow-list is refused, and runs nothing', async () => {
    const { s } = await boot({ ALLOWED_DISCORD_GUILDS: '1999999999999999999' });
    const message = { ...s.messageCreate({ content: 'an old answer' }), components: [{ type: 1, components: [{ type: 2, style: 2, label: '/sales xiaomi may', custom_id: 'sb:r:/sales xiaomi may' }] }] } as APIMessage;
    const refused = await click(s, message, '/sales xiaomi may', USER_B);
    expect(refused.body.data!.flags! & EPHEMERAL).toBe(EPHEMERAL);
    expect(refused.body.data?.embeds?.[0]?.title).toBe('Sorry, this bot is not enabled here');
    expect(requests().at(-1)).toMatchObject({ outcome: 'refused' });
    expect(refused.files).toEqual([]);
  });
});

describe('CSV export', () => {
  it('Export CSV attaches a file, ephemeral to the clicker, whose rows are the figures (values, qualifiers, sources)', async () => {
    const { s, bot } = await boot();
    const { message } = await slash(s, 'compare', { first: 'xiaomi', second: 'huawei', month: 'may' }, USER_A);
    const reply = await click(s, message, 'Export CSV', USER_B);
    expect(reply.body.data!.flags! & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.files.map((f) => f.filename)).toEqual(['sales-xiaomi-hima-2025-05.csv']);
    // Read back from the attachment's URL, as a user downloads it.
    const stored = s.messagesIn(s.ids.channel).at(-1)!;
    const downloaded = Buffer.from(await (await fetch(stored.attachments[0]!.url)).arrayBuffer());
    const expected = expectedRows(bot.handleLine('/compare xiaomi huawei may', { platform: 'discord' }));
    expect(readCsv(downloaded)).toEqual(expected);
    expect(readCsv(downloaded).find((r) => r.seller === 'xiaomi')).toMatchObject({ units: '28000', qualifier: 'at_least', reported_as: 'over 28,000' });
  });

  it('@bot /sales xiaomi may csv: the answer with the file attached', async () => {
    const { s, bot } = await boot();
    s.dispatch('MESSAGE_CREATE', s.messageCreate({ content: `<@${s.ids.botUser}> /sales xiaomi may csv`, mentions: [s.botUser] }));
    const [call] = await s.waitForCalls({ method: 'POST', path: '/api/v10/channels/:id/messages' }, { timeoutMs: 5000 });
    expect((call!.body as { embeds?: APIEmbed[] }).embeds?.[0]?.title).toBe('Xiaomi sales, May 2025');
    expect(call!.files.map((f) => f.filename)).toEqual(['sales-xiaomi-2025-05.csv']);
    expect(readCsv(call!.files[0]!.data)).toEqual(expectedRows(bot.handleLine('/sales xiaomi may', { platform: 'discord' })));
  });

  it('a trailing csv on the last option of /digest: the answer with the file', async () => {
    const { s } = await boot();
    const interaction = s.slashCommandInteraction({ name: 'digest', options: [{ name: 'month', type: ApplicationCommandOptionType.String, value: 'may csv' }] });
    s.dispatch('INTERACTION_CREATE', interaction);
    const call = await callbackOf(s, interaction);
    expect(call.body.data?.embeds?.[0]?.title).toBe('Monthly digest: May 2025');
    expect(call.files.map((f) => f.filename)).toEqual(['sales-hima-xiaomi-2025-04-to-2025-05.csv']);
  });
});
