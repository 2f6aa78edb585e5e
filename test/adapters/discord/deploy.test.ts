/**
 * `npm run discord:deploy` and the REST-only poster against the loopback stand-in: the function,
 * and the CLI as a child process as an operator runs it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { deployCommands, describeDeploy } from '../../../src/adapters/discord/deploy.js';
import { createDiscordPoster } from '../../../src/adapters/discord/post.js';
import { parseConfig } from '../../../src/config.js';
import { optionSpecs } from '../../../src/core/command.js';
import { makeBot } from '../../support/bot.js';
import { runScript } from '../../support/child.js';
import { DiscordStandin } from '../../support/discord-standin.js';

const TOKEN = 'fake.token.for-tests';
const APP_ID = '1200000000000000001';
const GUILD_ID = '1100000000000000001';

interface CommandBody {
  name: string;
  description: string;
  type: number;
  options?: { name: string; description: string; type: number; required?: boolean; autocomplete?: boolean; max_length?: number }[];
}

let standin: DiscordStandin;
beforeAll(async () => {
  standin = await DiscordStandin.start();
});
afterAll(async () => {
  await standin.close();
});

const config = (env: Record<string, string> = {}) =>
  parseConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP_ID, DISCORD_API_URL: standin.apiUrl, ...env });

/** The option names are a contract with users' muscle memory and saved commands. */
const CONTRACT: Record<string, string[]> = {
  sales: ['company', 'month'],
  compare: ['first', 'second', 'month'],
  partners: ['name'],
  company: ['name'],
  timeline: ['filter'],
  digest: ['month'],
  subscribe: ['what', 'where'],
  alert: ['seller', 'condition', 'where'],
  subscriptions: [],
  unsubscribe: ['what'],
  help: ['command'],
};
const AUTOCOMPLETED: Record<string, string[]> = {
  sales: ['company', 'month'],
  compare: ['first', 'second', 'month'],
  partners: ['name'],
  company: ['name'],
  timeline: [],
  digest: ['month'],
  subscribe: ['what'],
  alert: ['seller'],
  subscriptions: [],
  unsubscribe: [],
  help: ['command'],
};

describe('deployCommands', () => {
  it('PUTs every command to the guild when DISCORD_GUILD_ID is set, with the contract option names', async () => {
    standin.clearRecords();
    const result = await deployCommands({ config: config({ DISCORD_GUILD_ID: GUILD_ID }), commands });
    expect(result).toEqual({ scope: 'guild', guildId: GUILD_ID, names: commands.map((c) => c.name) });

    const [put] = standin.callsMatching<CommandBody[]>({ method: 'PUT', path: `/api/v10/applications/${APP_ID}/guilds/${GUILD_ID}/commands` });
    expect(put?.headers.authorization).toBe(`Bot ${TOKEN}`);
    const body = put!.body;
    expect(Object.fromEntries(body.map((c) => [c.name, (c.options ?? []).map((o) => o.name)]))).toEqual(CONTRACT);
    expect(Object.fromEntries(body.map((c) => [c.name, (c.options ?? []).filter((o) => o.autocomplete).map((o) => o.name)]))).toEqual(AUTOCOMPLETED);
    for (const c of body) {
      expect(c.type).toBe(1); // chat input
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.description.length).toBeLessThanOrEqual(100);
      const specs = optionSpecs(commands.find((x) => x.name === c.name)!);
      for (const o of c.options ?? []) {
        expect(o.type).toBe(3); // STRING
        expect(o.description.length).toBeLessThanOrEqual(100);
        expect(o.required).toBe(specs.find((s) => s.name === o.name)?.required);
      }
    }
    expect(body.find((c) => c.name === 'sales')?.options?.find((o) => o.name === 'company')?.required).toBe(true);
  });

  it('registers every option with the max_length its schema allows, so Discord stops over-long input as it is typed', async () => {
    standin.clearRecords();
    await deployCommands({ config: config({ DISCORD_GUILD_ID: GUILD_ID }), commands });
    // What Discord received, read back from the stand-in's record of the PUT.
    const [put] = standin.callsMatching<CommandBody[]>({ method: 'PUT', path: `/api/v10/applications/${APP_ID}/guilds/${GUILD_ID}/commands` });
    const lengths = Object.fromEntries(put!.body.map((c) => [c.name, Object.fromEntries((c.options ?? []).map((o) => [o.name, o.max_length]))]));
    expect(lengths).toEqual({
      sales: { company: 200, month: 40 },
      compare: { first: 200, second: 200, month: 40 },
      partners: { name: 200 },
      company: { name: 200 },
      timeline: { filter: 200 },
      digest: { month: 40 },
      subscribe: { what: 200, where: 10 },
      alert: { seller: 200, condition: 60, where: 10 },
      subscriptions: {},
      unsubscribe: { what: 200 },
      help: { command: 40 },
    });
    for (const c of commands) {
      for (const spec of optionSpecs(c)) expect(lengths[c.name]?.[spec.name]).toBe(spec.maxLength);
    }
  });

  it('PUTs globally without DISCORD_GUILD_ID, and says so', async () => {
    standin.clearRecords();
    const result = await deployCommands({ config: config(), commands });
    expect(result.scope).toBe('global');
    expect(standin.callsMatching({ method: 'PUT', path: `/api/v10/applications/${APP_ID}/commands` })).toHaveLength(1);
    expect(describeDeploy(result)).toMatch(/^Registered 11 slash commands globally .*: \/sales, \/compare, /);
  });

  it('refuses with a friendly message when the application id is missing', async () => {
    await expect(deployCommands({ config: parseConfig({ DISCORD_TOKEN: TOKEN }), commands })).rejects.toThrow(/DISCORD_APPLICATION_ID is not set/);
  });
});

// Child processes start slowly on a busy machine: run them side by side, with room to spare.
describe.concurrent('npm run discord:deploy', () => {
  const CHILD_TIMEOUT = 40_000;
  const guildPuts = () => standin.callsMatching<CommandBody[]>({ method: 'PUT', path: `/api/v10/applications/${APP_ID}/guilds/${GUILD_ID}/commands` });

  it('registers the commands in the guild and prints what it did', { timeout: CHILD_TIMEOUT }, async () => {
    const before = guildPuts().length;
    const env = { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP_ID, DISCORD_GUILD_ID: GUILD_ID, DISCORD_API_URL: standin.apiUrl };
    const { code, stdout, stderr } = await runScript('src/adapters/discord/deploy-cli.ts', [], { env, timeoutMs: CHILD_TIMEOUT });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`Registered 11 slash commands in server ${GUILD_ID}`);
    expect(stdout).toContain('/sales, /compare, /partners, /company, /timeline, /digest, /subscribe, /alert, /subscriptions, /unsubscribe, /help');
    expect(guildPuts()).toHaveLength(before + 1);
    expect(guildPuts().at(-1)?.body.map((c) => c.name)).toEqual(commands.map((c) => c.name));
  });

  it('explains what is missing without a stack trace', { timeout: CHILD_TIMEOUT }, async () => {
    const { code, stdout, stderr } = await runScript('src/adapters/discord/deploy-cli.ts', [], { env: { DISCORD_API_URL: standin.apiUrl }, timeoutMs: CHILD_TIMEOUT });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('DISCORD_TOKEN and DISCORD_APPLICATION_ID are not set');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('says Discord refused the token, without printing it', { timeout: CHILD_TIMEOUT }, async () => {
    // Global route only, so the guild registration running beside this one is not affected.
    standin.failNext({ method: 'PUT', path: `/api/v10/applications/${APP_ID}/commands` }, 401, { body: { message: '401: Unauthorized', code: 0 } });
    const env = { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP_ID, DISCORD_API_URL: standin.apiUrl };
    const { code, stderr } = await runScript('src/adapters/discord/deploy-cli.ts', [], { env, timeoutMs: CHILD_TIMEOUT });
    expect(code).toBe(1);
    expect(stderr).toContain('Discord refused the registration (401)');
    expect(stderr).toContain('Reset Token');
    expect(stderr).not.toContain(TOKEN);
  });
});

describe('createDiscordPoster', () => {
  it('posts the rendered digest with mentions disabled and returns the message id', async () => {
    standin.clearRecords();
    const bot = await makeBot();
    const reply = bot.handleLine('/digest may', { platform: 'schedule' });
    const poster = createDiscordPoster({ config: config() });
    const posted = await poster.post(standin.ids.channel, reply);
    expect(posted).toEqual({ id: expect.stringMatching(/^\d+$/), channel: standin.ids.channel });
    const [call] = standin.callsMatching<{ embeds: { title: string; description: string }[]; allowed_mentions: unknown }>({
      method: 'POST',
      path: `/api/v10/channels/${standin.ids.channel}/messages`,
    });
    expect(call?.body.allowed_mentions).toEqual({ parse: [] });
    expect(call?.body.embeds[0]?.title).toBe('Monthly digest: May 2025');
    expect(call?.body.embeds[0]?.description).toContain('at most 16,454');
    expect(standin.messages.get(posted.id)?.channel_id).toBe(standin.ids.channel);
  });

  it('throws when Discord refuses the post, naming the channel', async () => {
    standin.failNext({ method: 'POST', path: '/api/v10/channels/:id/messages' }, 403, { body: { message: 'Missing Access', code: 50001 } });
    const poster = createDiscordPoster({ config: config() });
    const reply = (await makeBot()).handleLine('/digest', { platform: 'schedule' });
    await expect(poster.post('1100000000000000009', reply)).rejects.toThrow(/channel 1100000000000000009: Missing Access/);
  });

  it('needs a token', () => {
    expect(() => createDiscordPoster({ config: parseConfig({}) })).toThrow(/DISCORD_TOKEN is not set/);
  });
});
