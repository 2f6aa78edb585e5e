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
  RateLimitError,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  type PermissionsBitField,
  type RateLimitData,
  type TextBasedChannel,
} from 'discord.js';
import type { Config } from '../../config.js';
import type { Adapter, AdapterState, Poster } from '../../core/adapter.js';
import type { HandleOptions } from '../../core/bot.js';
import { workspaceAllowed } from '../../core/guards.js';
import { optionSpecs } from '../../core/command.js';
import { apology, notice, type Reply } from '../../core/reply.js';
import { lineRequest, newRequestId, parseCommandLine, type Origin, type Request } from '../../core/request.js';
import { figuresCsv, nothingToExport, withNothingToExport } from '../shared/csv.js';
import { splitLineWords } from '../shared/trailing-words.js';
import { errorSummary } from '../shared/error-summary.js';
import { InFlight } from '../shared/in-flight.js';
import type { Logger } from '../../log.js';
import { autocompleteChoices, type CompletionSource } from './autocomplete.js';
import { createDiscordPoster } from './post.js';
import { chartFiles } from './chart.js';
import { ButtonLines, optionsLine, replyComponents, splitCsvOption } from './components.js';
import { contentMessage, embedMessage, NO_MENTIONS } from './render.js';
import { DiscordSetupError, discordToken, globalFetch } from './rest.js';
import { fromDiscordText } from './text.js';

export type DiscordConfig = Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_API_URL' | 'DISCORD_CHANNELS' | 'ALLOWED_DISCORD_GUILDS'> & Partial<Pick<Config, 'DISCORD_SHARDS' | 'DISCORD_SHARD_IDS'>>;

/** What the adapter needs of the bot. An answer that comes late defers the interaction. */
export interface DiscordBot extends CompletionSource {
  answer(request: Request, options?: HandleOptions): Promise<Reply>;
}

export interface DiscordAdapterOptions {
  bot: DiscordBot;
  config: DiscordConfig;
  logger: Logger;
  /**
   * How long an answer may take before the interaction is deferred ("SalesBot is thinking…") and the answer edited
   * into that message when it comes. Default 2,000 ms, of the 3,000 ms Discord allows for the first response.
   */
  deferAfterMs?: number;
}

/** Discord accepts the first response to an interaction this long after it was created; later, the answer is lost. */
const INTERACTION_WINDOW_MS = 3000;
/** Kept back from that window for the response to travel (and for the gateway's delay in delivering the interaction). */
const WINDOW_MARGIN_MS = 500;
const DEFAULT_DEFER_AFTER_MS = 2000;

/** Close codes after which discord.js gives up, with what the operator should do. */
const CLOSE_HINTS: Record<number, string> = {
  4004: 'Discord did not accept DISCORD_TOKEN: copy a fresh bot token (Developer Portal → Bot → Reset Token).',
  4013: 'Discord rejected the requested gateway intents.',
  4014: 'The Message Content intent is not enabled: Developer Portal → your application → Bot → Privileged Gateway Intents → Message Content Intent.',
};

/** Discord's error codes where the same answer as plain content may still get through. */
const EMBED_REFUSED = new Set([50035 /* invalid form body */, 50013 /* missing permissions (embed links) */]);


type Attachment = { attachment: Buffer; name: string };
type Payload = (ReturnType<typeof embedMessage> | ReturnType<typeof contentMessage>) & { files?: Attachment[] };

/** What comes with an answer besides itself: the line that gave it (its Export CSV button), its figures as a file. */
interface Extras {
  exportLine?: string;
  csv?: boolean;
}

/** The interactions answered with a reply of the bot's own: slash commands and button clicks. */
type Answerable = ChatInputCommandInteraction | ButtonInteraction;

/** The interaction id in a REST URL for its callback (`…/interactions/<id>/<token>/callback`). */
const INTERACTION_URL = /\/interactions\/(\d{1,25})\//;

/** Resolves with `work`, or with `undefined` when `ms` pass first; the timer never outlives the race. */
async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A payload with files attached besides its own (chart images): an edit's files replace the message's attachments. */
function withFiles(payload: Payload, attach: readonly Attachment[]): Payload {
  return attach.length ? { ...payload, files: [...(payload.files ?? []), ...attach] } : payload;
}

export class DiscordAdapter implements Adapter {
  readonly platform = 'discord' as const;
  readonly client: Client;
  private current: AdapterState = 'stopped';
  private stopping = false;
  private readonly inFlight = new InFlight();
  private readonly poster: Poster;
  /** Interactions not yet answered, by id: until when a first response still reaches Discord (ms since epoch). */
  private readonly windows = new Map<string, number>();
  /** Button lines too long for a custom_id, kept for clicks (bounded). */
  private readonly buttons = new ButtonLines();

  constructor(private readonly options: DiscordAdapterOptions) {
    const { config } = options;
    this.client = new Client({
      // MessageContent is privileged: it lets the bot read `!` questions in DISCORD_CHANNELS.
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.DirectMessages],
      // DM channels are not cached up front; without this partial, DMs never reach MessageCreate.
      partials: [Partials.Channel],
      allowedMentions: { ...NO_MENTIONS },
      // Sharding: DISCORD_SHARD_IDS are the shards this instance holds, of DISCORD_SHARDS in all (default: Discord's count).
      ...(config.DISCORD_SHARD_IDS?.length
        ? { shards: config.DISCORD_SHARD_IDS.map(Number), shardCount: Number(config.DISCORD_SHARDS) }
        : config.DISCORD_SHARDS && config.DISCORD_SHARDS !== 'auto' ? { shardCount: Number(config.DISCORD_SHARDS) } : {}),
      rest: {
        ...(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}),
        makeRequest: globalFetch,
        // Waiting out a 429 past an interaction's window loses the answer: fail at once instead, and defer.
        rejectOnRateLimit: (limit) => this.wouldMissWindow(limit),
      },
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
    const token = discordToken(this.options.config);
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
    await this.inFlight.drain();
    await this.client.destroy();
    this.current = 'stopped';
  }

  post(...args: Parameters<Poster['post']>): ReturnType<Poster['post']> {
    return this.poster.post(...args);
  }

  /** For the REST client: whether waiting `limit` out would answer an interaction after its window closed. */
  private wouldMissWindow(limit: RateLimitData): boolean {
    const id = INTERACTION_URL.exec(limit.url)?.[1];
    const closes = id === undefined ? undefined : this.windows.get(id);
    return closes !== undefined && Date.now() + Math.max(limit.retryAfter, limit.timeToReset) > closes;
  }

  /** Remembers work in flight so `stop()` can let it finish; a rejection is logged, never unhandled. */
  private track(work: Promise<void>): void {
    void this.inFlight.track(work.catch((err: unknown) => this.options.logger.error({ err: errorSummary(err) }, 'discord handler failed')));
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
    this.client.on(Events.ShardError, (err, shard) => log.warn({ shard, err: errorSummary(err) }, 'discord gateway error'));
    this.client.on(Events.Error, (err) => log.error({ err: errorSummary(err) }, 'discord client error'));
    this.client.on(Events.Warn, (message) => log.warn({ message }, 'discord client warning'));
  }

  // ------------------------------------------------------------------------------------------
  // Interactions

  private async onInteraction(interaction: Interaction): Promise<void> {
    if (this.stopping) return;
    // Slash commands go to the core, whose guard refuses a guild outside ALLOWED_DISCORD_GUILDS (told once per user
    // and window, then silently): the same rule, and one log line and metric per request.
    if (interaction.isChatInputCommand()) return this.onCommand(interaction);
    // A click runs a command line for whoever clicked: the core's guards (allow-list, rate limit) apply as to a typed one.
    if (interaction.isButton()) return this.onButton(interaction);
    // Everything else is answered here without the core, so the allow-list is applied here, first.
    if (!workspaceAllowed(this.options.config.ALLOWED_DISCORD_GUILDS, interaction.guildId ?? undefined)) {
      // No names from the dataset for a guild the bot does not serve; an empty list ends the spinner.
      if (interaction.isAutocomplete()) await interaction.respond([]);
      return; // buttons, menus, context-menu commands: not acknowledged at all
    }
    if (interaction.isAutocomplete()) return this.onAutocomplete(interaction);
  }

  private async onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    let choices: ReturnType<typeof autocompleteChoices> = [];
    try {
      choices = autocompleteChoices(this.options.bot, interaction.commandName, focused.name, fromDiscordText(String(focused.value ?? '')));
    } catch (err) {
      // An empty list beats a spinner that never ends.
      this.options.logger.error({ err: errorSummary(err), command: interaction.commandName, option: focused.name }, 'discord autocomplete failed');
    }
    // Choices that would arrive after the window are useless: a long rate limit fails at once (see wouldMissWindow).
    this.windows.set(interaction.id, Date.now() + INTERACTION_WINDOW_MS - WINDOW_MARGIN_MS);
    try {
      await interaction.respond(choices);
    } catch (err) {
      this.options.logger.warn({ err: errorSummary(err), command: interaction.commandName, option: focused.name, user: interaction.user.id }, 'discord autocomplete choices lost');
    } finally {
      this.windows.delete(interaction.id);
    }
  }

  /**
   * Where a request was asked, as the core's origin. The conversation a follow-up is read in: a thread or a DM
   * as a whole; in a plain channel, the user's own exchange with the bot there (never another user's).
   */
  private origin(user: string, channel: TextBasedChannel | null, channelId: string, guildId: string | null, permissions: Readonly<PermissionsBitField> | null): Origin {
    const direct = guildId === null;
    const thread = direct || channel?.isThread() ? channelId : `${channelId}/${user}`;
    return {
      platform: 'discord', user, channel: channelId, ...(guildId ? { workspace: guildId } : {}), thread, direct,
      isAdmin: async () => !direct && permissions !== null && permissions.any([PermissionFlagsBits.Administrator, PermissionFlagsBits.ManageGuild]),
    };
  }

  private async onCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    const requestId = newRequestId();
    const name = interaction.commandName;
    const typed = Object.fromEntries(interaction.options.data.map((o) => [o.name, o.value === undefined ? undefined : fromDiscordText(String(o.value))]));
    const command = this.options.bot.command(name);
    const declared = command ? optionSpecs(command).map((o) => o.name) : Object.keys(typed);
    const { options, csv } = splitCsvOption(name, declared, typed);
    const request: Request = {
      kind: 'command', name, options,
      ...this.origin(interaction.user.id, interaction.channel, interaction.channelId, interaction.guildId, interaction.memberPermissions),
    };
    await this.answerInteraction(interaction, request, requestId, { exportLine: optionsLine(name, declared, options), csv }, false);
  }

  /**
   * A click on a suggestion or "Export CSV": the button's line, run for whoever clicked, answered in a reply only
   * they see (the message clicked stays as it was); Export attaches the figures of that answer as a CSV file.
   */
  private async onButton(interaction: ButtonInteraction): Promise<void> {
    const requestId = newRequestId();
    const action = this.buttons.decode(interaction.customId);
    if (action === undefined) return; // not one of ours: nothing to say
    if (action === 'expired') {
      await interaction.reply({ ...contentMessage(notice('This button has expired', ['Type the command again, e.g. /sales xiaomi may.'])), flags: MessageFlags.Ephemeral })
        .catch((err: unknown) => this.options.logger.warn({ requestId, err: errorSummary(err) }, 'discord: could not answer a click'));
      return;
    }
    const origin = this.origin(interaction.user.id, interaction.channel, interaction.channelId, interaction.guildId, interaction.memberPermissions);
    // The clicker's answer is private: it does not become the context of a thread others read.
    const { thread: _thread, ...own } = origin;
    await this.answerInteraction(interaction, lineRequest(action.line, own), requestId, { exportLine: action.line, csv: action.kind === 'csv' }, true);
  }

  /** The core's reply to an interaction within Discord's window: deferred ("thinking…") and edited in when slow. */
  private async answerInteraction(interaction: Answerable, request: Request, requestId: string, extras: Extras, ephemeral: boolean): Promise<void> {
    const context = { requestId, command: request.kind === 'command' ? request.name : 'question', user: interaction.user.id, guild: interaction.guildId };
    this.windows.set(interaction.id, Date.now() + INTERACTION_WINDOW_MS - WINDOW_MARGIN_MS);
    let reply: Reply | undefined;
    let deferred = false;
    try {
      const answer = this.options.bot.answer(request, { requestId });
      reply = await within(answer, this.options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS);
      if (reply === undefined) {
        // Too slow for the window: say "thinking…" now, put the answer in that message when it comes.
        await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
        deferred = true;
        reply = await answer;
      }
      deferred = await this.respond(interaction, reply, requestId, deferred, extras, ephemeral);
    } catch (err) {
      // Retries (5xx, a 429 within the window) are behind us: the user got nothing, so the operator must hear of it.
      this.options.logger.error({ ...context, err: errorSummary(err), deferred }, 'discord reply lost');
      return;
    } finally {
      this.windows.delete(interaction.id);
    }
  }

  /**
   * Answers the interaction: a silent reply (the user was already told to slow down, or that the bot is not
   * enabled here) sends nothing, only acknowledges; a rate limit that would outlast the window defers first.
   */
  private async respond(interaction: Answerable, reply: Reply, requestId: string, deferred: boolean, extras: Extras, ephemeral: boolean): Promise<boolean> {
    if (reply.silent) {
      // An interaction cannot be acknowledged with nothing at all: a private "thinking…" removed at once is closest.
      if (!deferred) await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.deleteReply();
      return true;
    }
    if (deferred) {
      await this.deliver(reply, requestId, true, (payload) => interaction.editReply(payload), (payload) => interaction.editReply(payload), extras);
      return true;
    }
    try {
      await this.deliver(reply, requestId, true, (payload) => interaction.reply({ ...payload, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) }), (payload) => interaction.editReply(payload), extras);
      return false;
    } catch (err) {
      if (!(err instanceof RateLimitError) || interaction.replied || interaction.deferred) throw err;
      this.options.logger.warn({ requestId, retryAfterMs: err.retryAfter }, 'discord rate limit would outlast the interaction window; deferring');
      await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
      await this.deliver(reply, requestId, true, (payload) => interaction.editReply(payload), (payload) => interaction.editReply(payload), extras);
      return true;
    }
  }

  /**
   * Sends the embed; plain content where embeds are not allowed or Discord refused the embed; and an
   * apology with the request id if rendering itself failed, so a bug never leaves the user waiting.
   */
  private async deliver<T>(
    asked: Reply, requestId: string, canEmbed: boolean, send: (payload: Payload) => Promise<T>, edit?: (payload: Payload, sent: T) => Promise<unknown>, extras: Extras = {},
  ): Promise<void> {
    let payload: Payload;
    let reply = asked;
    let attach: Attachment[] = [];
    let components: ReturnType<typeof replyComponents> = [];
    try {
      // Asked for the figures as a file: attached to the answer, or the reply says there is nothing to export.
      if (extras.csv) {
        const csv = figuresCsv(reply);
        if (csv) attach = [{ attachment: csv.data, name: csv.name }];
        else reply = reply.kind === 'answer' ? nothingToExport(reply) : withNothingToExport(reply);
      }
      components = replyComponents(reply, this.buttons, extras.exportLine);
      payload = withFiles(canEmbed ? embedMessage(reply, [], components) : contentMessage(reply, components), attach);
    } catch (err) {
      this.options.logger.error({ err: errorSummary(err), requestId }, 'discord rendering failed');
      await send(contentMessage(apology(requestId)));
      return;
    }
    let sent: T;
    try {
      sent = await send(payload);
    } catch (err) {
      if (!canEmbed || !(err instanceof DiscordAPIError && typeof err.code === 'number' && EMBED_REFUSED.has(err.code))) throw err;
      this.options.logger.warn({ err: errorSummary(err), requestId }, 'discord refused the embed; answering as plain text');
      await send(withFiles(contentMessage(reply, components), attach));
      return;
    }
    if (canEmbed && edit) await this.attachCharts(reply, requestId, sent, edit, components, attach);
  }

  /**
   * The answer goes out at once (its charts as text bars); the charts are then drawn off the answer path
   * (cached, rasterised on the thread pool) and edited into the message as PNG images. A chart that cannot be
   * drawn or attached leaves the text bars: the answer itself is never held up or lost for it.
   */
  private async attachCharts<T>(
    reply: Reply, requestId: string, sent: T, edit: (payload: Payload, sent: T) => Promise<unknown>, components: ReturnType<typeof replyComponents>, attach: Attachment[],
  ): Promise<void> {
    const warn = (err: unknown) => this.options.logger.warn({ err: errorSummary(err), requestId }, 'discord chart could not be drawn or attached; the text bars stay');
    const files = await chartFiles(reply, warn);
    if (files.length === 0) return;
    try {
      // The buttons and a CSV file stay on the message: an edit's files replace its attachments.
      await edit(withFiles(embedMessage(reply, files, components), attach), sent);
    } catch (err) {
      warn(err);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Messages

  /**
   * The text of a message addressed to the bot, still in Discord markup (the caller cleans it with
   * `fromDiscordText`), or undefined when the message is not for us.
   */
  private addressedText(message: Message): string | undefined {
    const me = this.client.user;
    if (!me || message.author.bot || message.author.id === me.id || message.system || message.webhookId) return undefined;
    if (!message.inGuild()) return message.content; // a DM is always addressed to the bot

    const listed = this.options.config.DISCORD_CHANNELS;
    const channel = message.channel;
    const inListed = listed.includes(message.channelId) || (channel.isThread() && channel.parentId !== null && listed.includes(channel.parentId));
    if (listed.length > 0 && !inListed) return undefined;
    // A user mention of the bot, or of its managed role (Discord's picker often offers the role).
    const botRole = message.guild.members.me?.roles.botRole;
    if (new RegExp(`<@!?${me.id}>${botRole ? `|<@&${botRole.id}>` : ''}`).test(message.content)) return message.content;
    const text = message.content.trimStart();
    if (inListed && text.startsWith('!')) return text.slice(1);
    return undefined;
  }

  private async onMessage(message: Message): Promise<void> {
    if (this.stopping) return;
    const raw = this.addressedText(message);
    if (raw === undefined) return;
    // A trailing `csv` on /sales, /compare or /digest attaches the figures to the answer.
    const { line: text, csv } = splitLineWords(fromDiscordText(raw));
    const requestId = newRequestId();
    const context = { requestId, command: parseCommandLine(text)?.name ?? 'question', user: message.author.id, guild: message.guildId, channel: message.channelId };
    const origin = this.origin(message.author.id, message.channel, message.channelId, message.guildId, message.member?.permissions ?? null);
    const reply = await this.options.bot.answer(lineRequest(text, origin), { requestId });
    try {
      if (!reply.silent) await this.replyTo(message, reply, requestId, { exportLine: text, csv });
    } catch (err) {
      this.options.logger.error({ ...context, err: errorSummary(err) }, 'discord reply lost');
      return;
    }
  }

  /** Replies to the message (a reply without a ping); plain content where the bot may not embed links. */
  private async replyTo(message: Message, reply: Reply, requestId: string, extras: Extras): Promise<void> {
    const me = this.client.user;
    const canEmbed = !message.inGuild() || !me || message.channel.permissionsFor(me)?.has(PermissionFlagsBits.EmbedLinks) !== false;
    await this.deliver(reply, requestId, canEmbed, (payload) =>
      message.reply({ ...payload, allowedMentions: { parse: [], repliedUser: false }, failIfNotExists: false }),
    (payload, sent) => sent.edit({ ...payload, allowedMentions: { parse: [], repliedUser: false } }), extras);
  }
}
