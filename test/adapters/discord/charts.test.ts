/**
 * Charts on Discord through the real discord.js client and the loopback stand-in: the answer goes out at once,
 * then the charts are edited in as PNG attachments shown in the embeds (decoded here), drawn with the bundled font.
 */
import { Writable } from 'node:stream';
import { ApplicationCommandOptionType, type APIEmbed } from 'discord.js';
import { PNG } from 'pngjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { createDiscordAdapter, type DiscordAdapter } from '../../../src/adapters/discord/index.js';
import { parseConfig } from '../../../src/config.js';
import { Bot } from '../../../src/core/bot.js';
import { DataStore } from '../../../src/data/store.js';
import { createLogger } from '../../../src/log.js';
import { interpret } from '../../../src/sales/interpret.js';
import { BUNDLED_DATA } from '../../support/data-dir.js';
import { DiscordStandin } from '../../support/discord-standin.js';

interface Body { type?: number; data?: { embeds?: APIEmbed[] }; embeds?: APIEmbed[]; attachments?: { id: number; filename: string }[] }

let store: DataStore;
beforeAll(async () => {
  store = await DataStore.open(BUNDLED_DATA);
});

let standin: DiscordStandin | undefined;
let adapter: DiscordAdapter | undefined;
afterEach(async () => {
  await adapter?.stop();
  await standin?.close();
  adapter = undefined;
  standin = undefined;
});

async function boot(): Promise<DiscordStandin> {
  standin = await DiscordStandin.start();
  const logger = createLogger('warn', new Writable({ write: (_c, _e, done) => done() }));
  const config = parseConfig({ DISCORD_TOKEN: 'fake.token.for-tests', DISCORD_APPLICATION_ID: '1200000000000000001', DISCORD_API_URL: standin.apiUrl });
  const bot = new Bot({ commands, data: () => store.current, interpret, logger });
  adapter = createDiscordAdapter({ bot, config, logger }) as DiscordAdapter;
  await adapter.start();
  return standin;
}

describe('/digest month:may on Discord', () => {
  it('answers at once, then edits in the ranking and trend as PNG images with the lower bound drawn open', async () => {
    const s = await boot();
    const interaction = s.slashCommandInteraction({ name: 'digest', options: [{ name: 'month', type: ApplicationCommandOptionType.String, value: 'may' }] });
    s.dispatch('INTERACTION_CREATE', interaction);
    const [first] = await s.waitForCalls<Body>({ method: 'POST', path: `/api/v10/interactions/${interaction.id}/${interaction.token}/callback` });
    expect(first!.body.type).toBe(4);
    expect(first!.body.data?.embeds?.[0]?.title).toBe('Monthly digest: May 2025');

    const [edit] = await s.waitForCalls<Body>({ method: 'PATCH', path: `/api/v10/webhooks/:app/${interaction.token}/messages/@original` }, { timeoutMs: 30_000 });
    expect(edit!.files.map((f) => [f.filename, f.contentType])).toEqual([['chart-1.png', 'image/png'], ['chart-2.png', 'image/png']]);
    const embeds = edit!.body.embeds ?? [];
    expect(embeds.map((e) => e.image?.url)).toEqual(['attachment://chart-1.png', 'attachment://chart-2.png']);
    // The image replaces the text bars; the headline and the ranking stay in the embed.
    expect(embeds[0]!.description).toContain('Huawei (HIMA) took the lead from Xiaomi in May 2025');
    expect(embeds[0]!.description).not.toContain('█');
    for (const file of edit!.files) {
      const img = PNG.sync.read(file.data);
      expect([img.width, img.height]).toEqual([800, 420]);
    }
    // Xiaomi's bar (the second of two) is pale inside: a lower bound, not an exact height.
    const ranking = PNG.sync.read(edit!.files[0]!.data);
    const i = (ranking.width * 300 + 70 + Math.round((3 * 700) / 4)) * 4;
    expect(Math.min(ranking.data[i]!, ranking.data[i + 1]!, ranking.data[i + 2]!)).toBeGreaterThan(180);
  }, 60_000);
});
