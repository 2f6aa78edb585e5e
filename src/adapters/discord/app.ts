/**
 * The Discord adapter: a discord.js Client that turns slash commands, autocomplete and messages
 * addressed to the bot into core requests, and the core's replies into embeds. It never lets a
 * mention through (`allowed_mentions` parses nothing, Client-wide and on every send).
 */
import {
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  PermissionFlagsBits,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
} from 'discord.js';
import type { Config } from '../../config.js';
import type { Adapter, AdapterState, PostedMessage, Poster } from '../../core/adapter.js';
import type { Bot } from '../../core/bot.js';
import { apology, type Reply } from '../../core/reply.js';
import { newRequestId } from '../../core/request.js';
import type { Logger } from '../../log.js';
import { autocompleteChoices } from './autocomplete.js';
import { createDiscordPoster } from './post.js';
import { contentMessage, embedMessage, NO_MENTIONS } from './render.js';
import { DiscordSetupError } from './rest.js';

export type DiscordConfig = Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_API_URL' | 'DISCORD_CHANNELS'>;

export interface DiscordAdapterOptions {
  bot: Bot;
  config: DiscordConfig;
  logger: Logger;
}

/** Close codes after which discord.js gives up, with what the operator should do. */
const CLOSE_HINTS: Record<number, string> = {
  4004: 'Discord did not accept DISCORD_TOKEN: copy a fresh bot token (Developer Portal → Bot → Reset Token).',
  4013: 'Discord rejected the requested gateway intents.',
  4014: 'The Message Content intent is not enabled: Developer Portal → your application → Bot → Privileged Gateway Intents → Message Content Intent.',
};

/** Discord's error codes where the same answer as plain content may still get through. */
const EMBED_REFUSED = new Set([50035 /* invalid form body */, 50013 /* missing permissions (embed links) */]);

/** What is safe to log about an error: never a request URL (interaction tokens live there) or body. */
function errInfo(err: unknown): Record<string, unknown> {
  if (err instanceof DiscordAPIError) return { name: err.name, message: err.message, status: err.status, code: err.code };
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { message: String(err) };
}

type Payload = ReturnType<typeof embedMessage> | ReturnType<typeof contentMessage>;

export class DiscordAdapter implements Adapter {
  readonly platform = 'discord' as const;
  readonly client: Client;
  private current: AdapterState = 'stopped';
  private stopping = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly poster: Poster;

  constructor(private readonly options: DiscordAdapterOptions) {
    const { config } = options;
    this.client = new Client({
      // MessageContent is privileged: it lets the bot read `!` questions in DISCORD_CHANNELS.
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.DirectMessages],
      // DM channels are not cached up front; without this partial, DMs never reach MessageCreate.
      partials: [Partials.Channel],
      allowedMentions: { ...NO_MENTIONS },
      ...(config.DISCORD_API_URL ? { rest: { api: config.DISCORD_API_URL } } : {}),
    });
    this.poster = createDiscordPoster({ config, logger: options.logger, rest: this.client.rest });
    this.client.on(Events.InteractionCreate, (interaction) => this.track(this.onInteraction(interaction)));
    this.client.on(Events.MessageCreate, (message) => this.track(this.onMessage(message)));
    this.watchConnection();
  }

  get state(): AdapterState {
    return this.current;
  }

  async start(): Promise<void> {
    const { DISCORD_TOKEN: token } = this.options.config;
    if (!token) throw new DiscordSetupError('DISCORD_TOKEN is not set.');
    this.current = 'starting';
    this.stopping = false;
    let onDisconnect: ((event: { code: number }) => void) | undefined;
    const ready = new Promise<void>((resolve, reject) => {
      this.client.once(Events.ClientReady, () => resolve());
      onDisconnect = ({ code }) => reject(new DiscordSetupError(`Discord closed the connection (code ${code}). ${CLOSE_HINTS[code] ?? ''}`.trim()));
      this.client.once(Events.ShardDisconnect, onDisconnect);
    });
    try {
      await Promise.all([this.client.login(token), ready]);
    } catch (err) {
      this.stopping = true; // so tearing down the half-open connection is not logged as a reconnect
      await this.client.destroy();
      this.current = 'failed';
      if (err instanceof Error && 'code' in err && err.code === 'TokenInvalid') {
        throw new DiscordSetupError(CLOSE_HINTS[4004]!, { cause: err });
      }
      throw err;
    } finally {
      if (onDisconnect) this.client.off(Events.ShardDisconnect, onDisconnect);
    }
    this.current = 'connected';
    this.options.logger.info({ user: this.client.user?.tag, guilds: this.client.guilds.cache.size }, 'discord connected');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.inFlight]);
    await this.client.destroy();
    this.current = 'stopped';
  }

  post(channel: string, reply: Reply): Promise<PostedMessage> {
    return this.poster.post(channel, reply);
  }

  /** Remembers work in flight so `stop()` can let it finish; a rejection is logged, never unhandled. */
  private track(work: Promise<void>): void {
    const p = work.catch((err: unknown) => this.options.logger.error({ err: errInfo(err) }, 'discord handler failed'));
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private watchConnection(): void {
    const log = this.options.logger;
    // destroy() in stop() closes the shard too: that is not news.
    this.client.on(Events.ShardDisconnect, ({ code }, shard) => {
      if (this.stopping) return;
      this.current = 'failed';
      log.error({ shard, code, hint: CLOSE_HINTS[code] }, 'discord gateway closed for good');
    });
    this.client.on(Events.ShardReconnecting, (shard) => {
      if (this.stopping) return;
      this.current = 'reconnecting';
      log.warn({ shard }, 'discord gateway connection lost; reconnecting');
    });
    this.client.on(Events.ShardResume, (shard, replayed) => {
      this.current = 'connected';
      log.info({ shard, replayed }, 'discord gateway session resumed');
    });
    this.client.on(Events.ShardReady, (shard) => {
      if (this.current === 'reconnecting') this.current = 'connected';
      log.info({ shard }, 'discord shard ready');
    });
    this.client.on(Events.ShardError, (err, shard) => log.warn({ shard, err: errInfo(err) }, 'discord gateway error'));
    this.client.on(Events.Error, (err) => log.error({ err: errInfo(err) }, 'discord client error'));
    this.client.on(Events.Warn, (message) => log.warn({ message }, 'discord client warning'));
  }

  // ------------------------------------------------------------------------------------------
  // Interactions

  private async onInteraction(interaction: Interaction): Promise<void> {
    if (this.stopping) return;
    if (interaction.isAutocomplete()) return this.onAutocomplete(interaction);
    if (interaction.isChatInputCommand()) return this.onCommand(interaction);
  }

  private async onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    let choices: ReturnType<typeof autocompleteChoices> = [];
    try {
      choices = autocompleteChoices(this.options.bot, interaction.commandName, focused.name, String(focused.value ?? ''));
    } catch (err) {
      // An empty list beats a spinner that never ends.
      this.options.logger.error({ err: errInfo(err), command: interaction.commandName, option: focused.name }, 'discord autocomplete failed');
    }
    await interaction.respond(choices);
  }

  private async onCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    const requestId = newRequestId();
    const started = performance.now();
    const options = Object.fromEntries(interaction.options.data.map((o) => [o.name, o.value === undefined ? undefined : String(o.value)]));
    let reply: Reply;
    try {
      reply = this.options.bot.handle(
        { kind: 'command', name: interaction.commandName, options, platform: 'discord', user: interaction.user.id, channel: interaction.channelId ?? undefined, workspace: interaction.guildId ?? undefined },
        { requestId },
      );
    } catch (err) {
      this.options.logger.error({ err: errInfo(err), requestId, command: interaction.commandName }, 'discord command failed');
      reply = apology(requestId);
    }
    // An interaction must be answered; a silent reply (rate limited again) goes to the user alone.
    const flags = reply.silent ? { flags: MessageFlags.Ephemeral as const } : {};
    // The core answers in milliseconds, well inside the 3 s an interaction allows: no defer needed.
    await this.deliver(reply, requestId, true, (payload) => interaction.reply({ ...payload, ...flags }));
    this.options.logger.info(
      { requestId, command: interaction.commandName, kind: reply.kind, user: interaction.user.id, guild: interaction.guildId, ms: Math.round(performance.now() - started) },
      'discord command answered',
    );
  }

  /**
   * Sends the embed; plain content where embeds are not allowed or Discord refused the embed; and an
   * apology with the request id if rendering itself failed, so a bug never leaves the user waiting.
   */
  private async deliver(reply: Reply, requestId: string, canEmbed: boolean, send: (payload: Payload) => Promise<unknown>): Promise<void> {
    let payload: Payload;
    try {
      payload = canEmbed ? embedMessage(reply) : contentMessage(reply);
    } catch (err) {
      this.options.logger.error({ err: errInfo(err), requestId }, 'discord rendering failed');
      await send(contentMessage(apology(requestId)));
      return;
    }
    try {
      await send(payload);
    } catch (err) {
      if (!canEmbed || !(err instanceof DiscordAPIError && typeof err.code === 'number' && EMBED_REFUSED.has(err.code))) throw err;
      this.options.logger.warn({ err: errInfo(err), requestId }, 'discord refused the embed; answering as plain text');
      await send(contentMessage(reply));
    }
  }

  // ------------------------------------------------------------------------------------------
  // Messages

  /** The question in a message addressed to the bot, or undefined when the message is not for us. */
  private addressedText(message: Message): string | undefined {
    const me = this.client.user;
    if (!me || message.author.bot || message.author.id === me.id || message.system || message.webhookId) return undefined;
    // A user mention of the bot, or of its managed role (Discord's picker often offers the role).
    const botRole = message.inGuild() ? message.guild.members.me?.roles.botRole : undefined;
    const mention = `<@!?${me.id}>${botRole ? `|<@&${botRole.id}>` : ''}`;
    const strip = () => message.content.replace(new RegExp(mention, 'g'), ' ').trim();
    if (!message.inGuild()) return strip(); // a DM is always addressed to the bot

    const listed = this.options.config.DISCORD_CHANNELS;
    const channel = message.channel;
    const inListed = listed.includes(message.channelId) || (channel.isThread() && channel.parentId !== null && listed.includes(channel.parentId));
    if (listed.length > 0 && !inListed) return undefined;
    if (new RegExp(mention).test(message.content)) return strip();
    const text = message.content.trimStart();
    if (inListed && text.startsWith('!')) return text.slice(1).trim();
    return undefined;
  }

  private async onMessage(message: Message): Promise<void> {
    if (this.stopping) return;
    const text = this.addressedText(message);
    if (text === undefined) return;
    const requestId = newRequestId();
    const started = performance.now();
    let reply: Reply;
    try {
      reply = this.options.bot.handleLine(
        text,
        { platform: 'discord', user: message.author.id, channel: message.channelId, workspace: message.guildId ?? undefined },
        { requestId },
      );
    } catch (err) {
      this.options.logger.error({ err: errInfo(err), requestId }, 'discord question failed');
      reply = apology(requestId);
    }
    if (!reply.silent) await this.replyTo(message, reply, requestId);
    this.options.logger.info(
      { requestId, kind: reply.kind, user: message.author.id, guild: message.guildId, ms: Math.round(performance.now() - started) },
      'discord message answered',
    );
  }

  /** Replies to the message (a reply without a ping); plain content where the bot may not embed links. */
  private async replyTo(message: Message, reply: Reply, requestId: string): Promise<void> {
    const me = this.client.user;
    const canEmbed = !message.inGuild() || !me || message.channel.permissionsFor(me)?.has(PermissionFlagsBits.EmbedLinks) !== false;
    await this.deliver(reply, requestId, canEmbed, (payload) =>
      message.reply({ ...payload, allowedMentions: { parse: [], repliedUser: false }, failIfNotExists: false }),
    );
  }
}
