/**
 * Self-test of the Discord stand-in against the REAL discord.js Client (a trivial one set up here,
 * not the bot). Each test gets a fresh stand-in and client, as the loopback notes recommend.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ApplicationCommandOptionType,
  Client,
  Events,
  GatewayIntentBits,
  GatewayOpcodes,
  MessageFlags,
  type RESTPostAPIChannelMessageJSONBody,
  type RESTPostAPIInteractionCallbackJSONBody,
} from 'discord.js';
import { DiscordStandin } from './discord-standin.js';

let standin: DiscordStandin;
let client: Client;

/** Resolves with the first emission of `event`, or rejects after `ms`. */
function nextEvent<A extends unknown[]>(emitter: Client, event: string, ms = 3000): Promise<A> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), ms);
    emitter.once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args as A);
    });
  });
}

beforeEach(async () => {
  standin = await DiscordStandin.start();
  client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    rest: { api: standin.apiUrl },
    allowedMentions: { parse: [] },
  });
  const ready = nextEvent(client, Events.ClientReady);
  await client.login('fake.token.for-tests');
  await ready;
});

afterEach(async () => {
  await client.destroy(); // before close(): otherwise the client would try to resume
  await standin.close();
});

describe('discord stand-in with the real discord.js client', () => {
  it('connects, identifies and caches the guild', () => {
    expect(client.user?.id).toBe(standin.ids.botUser);
    expect(standin.calls.some((c) => c.method === 'GET' && c.path === '/api/v10/gateway/bot')).toBe(true);
    expect(standin.gatewayConnectionUrls[0]).not.toContain('compress'); // zlib-sync must stay uninstalled
    const [identify] = standin.identifies;
    expect(identify?.token).toBe('fake.token.for-tests');
    expect(identify?.intents).toBe(
      GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent,
    );
    const guild = client.guilds.cache.get(standin.ids.guild);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(standin.ids.channel)?.isTextBased()).toBe(true);
    expect(guild?.members.cache.has(standin.ids.botUser)).toBe(true);
    expect(guild?.roles.everyone.id).toBe(standin.ids.guild);
  });

  it('delivers a slash command and records the type-4 reply', async () => {
    client.on(Events.InteractionCreate, (interaction) => {
      if (interaction.isChatInputCommand() && interaction.commandName === 'ping') {
        void interaction.reply({ content: 'pong' });
      }
    });
    const interaction = standin.slashCommandInteraction({
      name: 'ping',
      options: [{ name: 'loud', type: ApplicationCommandOptionType.Boolean, value: true }],
    });
    standin.dispatch('INTERACTION_CREATE', interaction);

    const [callback] = await standin.waitForCalls<RESTPostAPIInteractionCallbackJSONBody>({
      method: 'POST',
      path: `/api/v10/interactions/${interaction.id}/${interaction.token}/callback`,
    });
    expect(callback?.status).toBe(204);
    expect(callback?.body).toMatchObject({ type: 4, data: { content: 'pong', allowed_mentions: { parse: [] } } });
  });

  it('answers deferReply, editReply (@original) and followUp with messages discord.js accepts', async () => {
    const done = new Promise<string>((resolve, reject) => {
      client.on(Events.InteractionCreate, (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        (async () => {
          await interaction.deferReply({ flags: MessageFlags.Ephemeral });
          const edited = await interaction.editReply({ content: 'done' });
          const followUp = await interaction.followUp({ content: 'more' });
          resolve(`${edited.content}/${followUp.content}`);
        })().catch(reject);
      });
    });
    standin.dispatch('INTERACTION_CREATE', standin.slashCommandInteraction({ name: 'slow' }));

    expect(await done).toBe('done/more');
    const calls = standin.calls.filter((c) => c.path.includes('/interactions/') || c.path.includes('/webhooks/'));
    expect(calls.map((c) => `${c.method} ${c.path.replace(/\/\d+\/[^/]+/, '/:id/:token')}`)).toEqual([
      'POST /api/v10/interactions/:id/:token/callback',
      'PATCH /api/v10/webhooks/:id/:token/messages/@original',
      'POST /api/v10/webhooks/:id/:token',
    ]);
    expect(calls[0]?.body).toMatchObject({ type: 5, data: { flags: MessageFlags.Ephemeral } });
    expect(calls[1]?.rawPath).toMatch(/%40original$/);
  });

  it('records command registration and echoes it back with ids', async () => {
    const guildCommands = await client.application?.commands.set(
      [{ name: 'ping', description: 'Replies with pong' }],
      standin.ids.guild,
    );
    expect(guildCommands?.first()?.name).toBe('ping');
    expect(guildCommands?.first()?.id).toMatch(/^\d{17,20}$/);
    const [put] = await standin.waitForCalls({ method: 'PUT', path: '/api/v10/applications/:app/guilds/:guild/commands' });
    expect(put?.body).toMatchObject([{ name: 'ping', description: 'Replies with pong' }]);
  });

  it('records an autocomplete answer as type 8', async () => {
    client.on(Events.InteractionCreate, (interaction) => {
      if (interaction.isAutocomplete()) {
        const typed = interaction.options.getFocused();
        void interaction.respond([{ name: `${typed}-1`, value: `${typed}-1` }]);
      }
    });
    standin.dispatch(
      'INTERACTION_CREATE',
      standin.autocompleteInteraction({
        name: 'product',
        options: [{ name: 'query', type: ApplicationCommandOptionType.String, value: 'wid', focused: true }],
      }),
    );

    const [callback] = await standin.waitForCalls<RESTPostAPIInteractionCallbackJSONBody>({
      method: 'POST',
      path: '/api/v10/interactions/:id/:token/callback',
    });
    expect(callback?.body).toMatchObject({ type: 8, data: { choices: [{ name: 'wid-1', value: 'wid-1' }] } });
  });

  it('delivers MESSAGE_CREATE and records message.reply() with message_reference', async () => {
    const replied = new Promise<string>((resolve, reject) => {
      client.on(Events.MessageCreate, (message) => {
        if (message.author.bot) return;
        message.reply('hello back').then((sent) => resolve(sent.id), reject);
      });
    });
    const incoming = standin.messageCreate({ content: `<@${standin.ids.botUser}> hi`, mentions: [standin.botUser] });
    standin.dispatch('MESSAGE_CREATE', incoming);

    const [call] = await standin.waitForCalls<RESTPostAPIChannelMessageJSONBody>({
      method: 'POST',
      path: `/api/v10/channels/${standin.ids.channel}/messages`,
    });
    expect(call?.body).toMatchObject({
      content: 'hello back',
      message_reference: { message_id: incoming.id },
      allowed_mentions: { parse: [] },
    });
    // discord.js accepted the stand-in's message object as a real Message.
    const sentId = await replied;
    expect(standin.messages.get(sentId)).toMatchObject({ type: 19, author: { id: standin.ids.botUser } });
  });

  it('lets a test fail the next call to a route', async () => {
    // 400, not 500: @discordjs/rest retries 5xx by itself (3 times by default).
    standin.failNext({ method: 'POST', path: '/api/v10/channels/:id/messages' }, 400);
    const channel = client.channels.cache.get(standin.ids.channel);
    if (!channel?.isSendable()) throw new Error('channel not cached');
    await expect(channel.send('first')).rejects.toThrow(/injected 400/);
    await expect(channel.send('second')).resolves.toMatchObject({ content: 'second' });
    expect(standin.calls.filter((c) => c.path.endsWith('/messages')).map((c) => c.status)).toEqual([400, 200]);
  });

  it('resumes after the gateway connection is lost, replaying missed events', async () => {
    const resumed = nextEvent<[number, number]>(client, Events.ShardResume);
    const received = nextEvent<[{ content: string }]>(client, Events.MessageCreate);
    await standin.closeGatewayConnection(4000);
    // Dispatched while disconnected: held back and replayed on RESUME.
    standin.dispatch('MESSAGE_CREATE', standin.messageCreate({ content: 'while you were away' }));

    const [resume] = await standin.waitForGateway((p) => p.op === GatewayOpcodes.Resume);
    expect(resume?.d).toMatchObject({ token: 'fake.token.for-tests', seq: 2 }); // READY=1, GUILD_CREATE=2
    await resumed;
    expect((await received)[0].content).toBe('while you were away');
    expect(standin.identifies).toHaveLength(1); // resumed, not re-identified
  });
});
