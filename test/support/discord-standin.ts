/**
 * Loopback stand-in for the Discord REST API (v10) and gateway, for tests that drive the REAL
 * discord.js client. Listens on 127.0.0.1 only, on an ephemeral port; REST and the gateway share
 * that port (the gateway is a WebSocket upgrade on the same HTTP server).
 *
 * Client setup (see test/support/discord-standin.test.ts):
 *   new Client({ intents, rest: { api: standin.apiUrl }, allowedMentions: { parse: [] } })
 *   await client.login('fake.token.for-tests'); wait for Events.ClientReady
 *   ... await client.destroy(); await standin.close();
 *
 * Facts this relies on: /work/shared/notes/loopback-testing.md. Notable ones:
 * - discord.js asks `GET /api/v10/gateway/bot` and connects to the `url` returned; after a lost
 *   connection it resumes at READY's `resume_gateway_url` (so both point here).
 * - JSON encoding only. If the optional `zlib-sync` package were installed, the client would ask for
 *   zlib-stream compression, which this stand-in does not speak (the requested URLs are recorded in
 *   `gatewayConnectionUrls` so a test can check).
 * - Only `client.destroy()` a client that is ready (or resumed): destroying it while its shard waits
 *   for HELLO/READY (e.g. right after a re-identify) hangs forever and makes it reconnect
 *   (@discordjs/ws 1.2.3: the aborted wait starts a second destroy that clears the first one's onclose).
 * - @discordjs/rest retries 5xx answers up to `rest.retries` times (default 3, immediately), so one
 *   injected 500 is invisible to the caller unless `times` > retries or the client uses `retries: 0`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import {
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  GatewayOpcodes,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  InteractionType,
  Locale,
  MessageType,
  PermissionFlagsBits,
} from 'discord.js';
import type {
  APIApplicationCommandAutocompleteGuildInteraction,
  APIApplicationCommandInteractionDataOption,
  APIAttachment,
  APIChatInputApplicationCommandGuildInteraction,
  APIMessageComponentButtonInteraction,
  APIEmbed,
  APIGuildMember,
  APIInteractionGuildMember,
  APIMessage,
  APIMessageReference,
  APIRole,
  APITextChannel,
  APIUser,
  ApplicationFlags,
  ChannelFlags,
  GatewayGuildCreateDispatchData,
  GatewayIdentifyData,
  GatewayMessageCreateDispatchData,
  GatewayReadyDispatchData,
  GuildMemberFlags,
  MessageFlags,
  RoleFlags,
  UserFlags,
} from 'discord.js';

// ---------------------------------------------------------------------------------------------
// Public types

/** A REST call as the stand-in received it. `B` is what the test expects the JSON body to be. */
export interface RecordedCall<B = unknown> {
  method: string;
  /** Decoded pathname, e.g. `/api/v10/webhooks/1/tok/messages/@original`. */
  path: string;
  /** Pathname as sent, e.g. `.../messages/%40original`. */
  rawPath: string;
  query: Record<string, string>;
  /** Parsed JSON body; for multipart, the parsed `payload_json` part; undefined when empty. */
  body: B;
  /** File parts of a multipart body (empty for JSON requests). */
  files: RecordedFile[];
  headers: IncomingHttpHeaders;
  /** HTTP status the stand-in answered with. */
  status: number;
}

export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  /** The file's bytes, so a test can decode an attached image. */
  data: Buffer;
}

/**
 * Selects REST calls: a predicate, or `{ method, path }` where `path` is either a RegExp tested
 * against the decoded path or a pattern with `:params`, e.g. `/api/v10/channels/:id/messages`.
 */
export type CallMatcher = ((call: RecordedCall) => boolean) | { method?: string; path?: string | RegExp };

/** A payload the client sent on the gateway. */
export interface GatewayRecord {
  op: number;
  d: unknown;
  s?: number | null;
  t?: string | null;
}

export interface WaitOptions {
  /** How many matching items to wait for (already-recorded ones count). Default 1. */
  count?: number;
  /** Default 2000 ms. */
  timeoutMs?: number;
}

export interface FailOptions {
  /** How many matching calls fail before the route behaves normally again. Default 1. */
  times?: number;
  /** Default: a Discord-style error `{ message, code: 0 }`. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Carry the call out first (the message is created), then fail: only the answer is lost. */
  afterProcessing?: boolean;
  /** Drop the connection instead of answering `status` (the client sees "other side closed" / a reset). */
  reset?: boolean;
}

/** A call whose answer the stand-in holds back (see `holdNext`): it has been carried out, the client is waiting. */
export interface HeldAnswer {
  /** Resolves with the call once it has arrived (and been carried out). */
  arrived: Promise<RecordedCall>;
  /** Sends the answer (to a client that may have given up on it already). */
  release(): void;
}

export interface StandinIds {
  guild: string;
  channel: string;
  botUser: string;
  application: string;
  /** The default human user that sends messages and invokes commands. */
  user: string;
}

export interface DiscordStandinOptions {
  ids?: Partial<StandinIds>;
  /** Sent in HELLO. The client first heartbeats after interval × jitter, so the default 41250 means
   * no heartbeats in a short test; lower it to exercise op 1 / op 11. */
  heartbeatIntervalMs?: number;
  /** Answer IDENTIFY by closing the connection with this code instead of READY, e.g. 4014 (disallowed
   * intents: the Message Content switch is off in the Developer Portal) or 4004 (bad token). */
  identifyCloseCode?: number;
  /**
   * How long a message create's `nonce` is remembered for `enforce_nonce: true` (Discord: "the past few
   * minutes"): a second create by the bot with the same nonce in the same channel within it returns the first
   * message instead of creating one. Default 5 minutes.
   */
  nonceWindowMs?: number;
}

export interface SlashCommandInput {
  name: string;
  options?: APIApplicationCommandInteractionDataOption<InteractionType.ApplicationCommand>[];
  channelId?: string;
  /** Merged over the default user. */
  user?: Partial<APIUser>;
  /** Member permission bitfield as a decimal string. Default: the @everyone permissions. */
  memberPermissions?: string;
  commandId?: string;
  locale?: Locale;
}

export interface AutocompleteInput extends Omit<SlashCommandInput, 'options'> {
  /** Mark the option being typed with `focused: true`. */
  options: APIApplicationCommandInteractionDataOption<InteractionType.ApplicationCommandAutocomplete>[];
}

export interface ButtonClickInput {
  /** The clicked button's custom_id. */
  customId: string;
  /** The message the button is on (as the stand-in stored it). */
  message: APIMessage;
  /** Merged over the default user: who clicks. */
  user?: Partial<APIUser>;
  memberPermissions?: string;
}

export interface MessageCreateInput {
  content: string;
  /** Merged over the default user. */
  author?: Partial<APIUser>;
  mentions?: APIUser[];
  channelId?: string;
  /** Makes it a reply (type 19) to the given message. */
  replyTo?: string;
}

// ---------------------------------------------------------------------------------------------
// Helpers

const DISCORD_EPOCH = 1_420_070_400_000n;
let snowflakeIncrement = 0n;

/** A fresh, time-ordered Discord snowflake id. */
export function snowflake(at: number = Date.now()): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return String(((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeIncrement);
}

/** `{ '/a/:id': '/a/5' }` → `{ id: '5' }`; null when the segments do not line up. */
function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith(':')) params[w.slice(1)] = g;
    else if (w !== g) return null;
  }
  return params;
}

function toPredicate(matcher: CallMatcher): (call: RecordedCall) => boolean {
  if (typeof matcher === 'function') return matcher;
  return (call) =>
    (matcher.method === undefined || matcher.method.toUpperCase() === call.method) &&
    (matcher.path === undefined ||
      (typeof matcher.path === 'string' ? matchPattern(matcher.path, call.path) !== null : matcher.path.test(call.path)));
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An append-only list that tests can wait on. */
class WaitableLog<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<{
    pred: (item: T) => boolean;
    count: number;
    resolve: (items: T[]) => void;
    reject: (error: Error) => void;
    timer: NodeJS.Timeout;
  }>();

  constructor(private readonly describe: (item: T) => string) {}

  push(item: T): void {
    this.items.push(item);
    for (const w of this.waiters) {
      const matches = this.items.filter(w.pred);
      if (matches.length >= w.count) {
        clearTimeout(w.timer);
        this.waiters.delete(w);
        w.resolve(matches);
      }
    }
  }

  waitFor(pred: (item: T) => boolean, what: string, { count = 1, timeoutMs = 2000 }: WaitOptions = {}): Promise<T[]> {
    const matches = this.items.filter(pred);
    if (matches.length >= count) return Promise.resolve(matches);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = this.items.map(this.describe).join('\n  ') || '(none)';
        reject(
          new Error(
            `discord-standin: timed out after ${timeoutMs} ms waiting for ${count} ${what}; ` +
              `${this.items.filter(pred).length} matched. Recorded:\n  ${seen}`,
          ),
        );
      }, timeoutMs);
      const waiter = { pred, count, resolve, reject, timer };
      this.waiters.add(waiter);
    });
  }

  clear(): void {
    this.items.length = 0;
  }

  dispose(): void {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error('discord-standin: closed while waiting'));
    }
    this.waiters.clear();
  }
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Route {
  method: string;
  pattern: string;
  handle: (call: RecordedCall, params: Record<string, string>) => Reply;
}

/** What the stand-in remembers about interactions it built, to answer webhook calls realistically. */
interface InteractionContext {
  id: string;
  type: InteractionType;
  channelId: string;
  user: APIUser;
  originalMessageId?: string;
}

const API_PREFIX = '/api/v10';
const MAX_HISTORY = 1000;

const notFound = (what = '404: Not Found', code = 0): Reply => ({ status: 404, body: { message: what, code } });

// ---------------------------------------------------------------------------------------------
// The stand-in

export class DiscordStandin {
  readonly ids: StandinIds;
  readonly botUser: APIUser;
  /** The default human user. */
  readonly user: APIUser;
  /** Permissions given to @everyone, to interaction members and as app_permissions (decimal string). */
  readonly everyonePermissions = String(
    PermissionFlagsBits.ViewChannel |
      PermissionFlagsBits.SendMessages |
      PermissionFlagsBits.EmbedLinks |
      PermissionFlagsBits.AttachFiles |
      PermissionFlagsBits.ReadMessageHistory |
      PermissionFlagsBits.UseApplicationCommands,
  );

  /** Query strings of every gateway connection (e.g. `/?v=10&encoding=json`). */
  readonly gatewayConnectionUrls: string[] = [];
  /** Messages created through REST or dispatched with MESSAGE_CREATE, by id. */
  readonly messages = new Map<string, APIMessage>();
  /** Last application commands registered with PUT, keyed by 'global' or guild id. */
  readonly commands = new Map<string, Record<string, unknown>[]>();

  private readonly rest = new WaitableLog<RecordedCall>((c) => `${c.method} ${c.path} -> ${c.status}`);
  private readonly gateway = new WaitableLog<GatewayRecord>((p) => `op ${p.op}${p.t ? ` ${p.t}` : ''}`);
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly heartbeatIntervalMs: number;
  private readonly identifyCloseCode: number | undefined;
  private readonly routes: Route[];
  private readonly injected: { pred: (call: RecordedCall) => boolean; reply: Reply; remaining: number; afterProcessing: boolean; reset: boolean }[] = [];
  private readonly holds: { pred: (call: RecordedCall) => boolean; arrived: (call: RecordedCall) => void; released: Promise<void>; release: () => void }[] = [];
  private readonly openHolds = new Set<() => void>();
  private readonly nonceWindowMs: number;
  private readonly interactions = new Map<string, InteractionContext>(); // by token
  private readonly commandIds = new Map<string, string>();
  private readonly dmChannels = new Map<string, string>();
  /** The bytes of every attachment, by attachment id (served at its url). */
  private readonly attachmentData = new Map<string, Buffer>();
  private port = 0;
  private socket: WebSocket | undefined;
  private sessionId: string | undefined;
  private seq = 0;
  private history: { op: 0; t: string; s: number; d: unknown }[] = [];

  private constructor(options: DiscordStandinOptions) {
    const botId = options.ids?.botUser ?? '1200000000000000001';
    this.ids = {
      guild: '1100000000000000001',
      channel: '1100000000000000002',
      user: '1300000000000000001',
      botUser: botId,
      application: botId,
      ...options.ids,
    };
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
    this.identifyCloseCode = options.identifyCloseCode;
    this.nonceWindowMs = options.nonceWindowMs ?? 5 * 60_000;
    this.botUser = { id: this.ids.botUser, username: 'standin-bot', discriminator: '0', global_name: null, avatar: null, bot: true, flags: 0 as UserFlags };
    this.user = { id: this.ids.user, username: 'tester', discriminator: '0', global_name: 'Tester', avatar: null, flags: 0 as UserFlags };
    this.routes = this.buildRoutes();
    this.http = createServer((req, res) => void this.onRequest(req, res));
    this.wss = new WebSocketServer({ server: this.http });
    this.wss.on('connection', (socket, req) => this.onGatewayConnection(socket, req));
  }

  /** Starts listening on 127.0.0.1 on an ephemeral port. */
  static async start(options: DiscordStandinOptions = {}): Promise<DiscordStandin> {
    const standin = new DiscordStandin(options);
    await new Promise<void>((resolve, reject) => {
      standin.http.once('error', reject);
      standin.http.listen(0, '127.0.0.1', () => resolve());
    });
    standin.port = (standin.http.address() as AddressInfo).port;
    return standin;
  }

  /** For `new Client({ rest: { api } })`; discord.js appends `/v10`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Every REST call so far. */
  get calls(): readonly RecordedCall[] {
    return this.rest.items;
  }

  /** Every payload the client sent on the gateway so far. */
  get gatewayPayloads(): readonly GatewayRecord[] {
    return this.gateway.items;
  }

  /** IDENTIFY payloads (token, intents, properties, ...) received so far. */
  get identifies(): GatewayIdentifyData[] {
    return this.gateway.items.filter((p) => p.op === GatewayOpcodes.Identify).map((p) => p.d as GatewayIdentifyData);
  }

  /** REST calls matching `matcher`. */
  callsMatching<B = unknown>(matcher: CallMatcher): RecordedCall<B>[] {
    return this.rest.items.filter(toPredicate(matcher)) as RecordedCall<B>[];
  }

  /**
   * Resolves with all matching calls once at least `count` have arrived (earlier ones count),
   * rejects after `timeoutMs` with a list of what was recorded. `B` is an unchecked assertion about
   * the body, e.g. `waitForCalls<RESTPostAPIInteractionCallbackJSONBody>(...)`.
   */
  async waitForCalls<B = unknown>(matcher: CallMatcher, options?: WaitOptions): Promise<RecordedCall<B>[]> {
    const what = typeof matcher === 'function' ? 'REST calls' : `${matcher.method ?? '*'} ${String(matcher.path ?? '*')} calls`;
    return (await this.rest.waitFor(toPredicate(matcher), what, options)) as RecordedCall<B>[];
  }

  /** Like waitForCalls, for payloads the client sent on the gateway (e.g. `p => p.op === 6`). */
  waitForGateway(pred: (payload: GatewayRecord) => boolean, options?: WaitOptions): Promise<GatewayRecord[]> {
    return this.gateway.waitFor(pred, 'gateway payloads', options);
  }

  /** Makes the next `times` calls matching `matcher` answer `status` instead of the normal reply. */
  failNext(matcher: CallMatcher, status = 500, options: FailOptions = {}): void {
    this.injected.push({
      pred: toPredicate(matcher),
      reply: {
        status,
        body: options.body ?? { message: `discord-standin: injected ${status}`, code: 0 },
        ...(options.headers ? { headers: options.headers } : {}),
      },
      remaining: options.times ?? 1,
      afterProcessing: options.afterProcessing ?? false,
      reset: options.reset ?? false,
    });
  }

  /**
   * Carries out the next call matching `matcher` (a message create stores the message) but holds its answer
   * until `release()` (or the stand-in closes): a Discord that answers after the client's timeout.
   */
  holdNext(matcher: CallMatcher): HeldAnswer {
    let arrived!: (call: RecordedCall) => void;
    let release!: () => void;
    const arrivedP = new Promise<RecordedCall>((resolve) => (arrived = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holds.push({ pred: toPredicate(matcher), arrived, released, release });
    this.openHolds.add(release);
    return { arrived: arrivedP, release };
  }

  /** The bot's DM channel with `userId` (what `POST /users/@me/channels` answers): stable per user. */
  dmChannelId(userId: string): string {
    let id = this.dmChannels.get(userId);
    if (!id) this.dmChannels.set(userId, (id = snowflake()));
    return id;
  }

  /** Messages stored in `channelId`, oldest first. */
  messagesIn(channelId: string): APIMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId);
  }

  /** Forgets recorded REST calls and gateway payloads (not the session or stored messages). */
  clearRecords(): void {
    this.rest.clear();
    this.gateway.clear();
  }

  // ------------------------------------------------------------------------------------------
  // Gateway

  /**
   * Sends a dispatch (op 0) to the client and returns its sequence number. Requires a session
   * (the client identified). While the connection is down the event is only kept in the history,
   * and is replayed when the client resumes, as Discord does.
   */
  dispatch(t: string, d: unknown): number {
    if (this.sessionId === undefined) {
      throw new Error(`discord-standin: dispatch('${t}') before any IDENTIFY; wait for the client to be ready`);
    }
    const payload = { op: GatewayOpcodes.Dispatch as const, t, s: ++this.seq, d };
    this.history.push(payload);
    if (this.history.length > MAX_HISTORY) this.history.shift();
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(payload));
    return payload.s;
  }

  /**
   * Closes the current gateway connection from the server side and resolves once it is closed.
   * With the default 4000 (unknown error) discord.js resumes after ~500 ms; 1000 makes it
   * re-identify instead (and wait out the ~5 s identify throttle).
   */
  async closeGatewayConnection(code = 4000, reason = 'discord-standin: closed by test'): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.close(code, reason);
    await closed;
  }

  private onGatewayConnection(socket: WebSocket, req: IncomingMessage): void {
    // The newest connection is "the" connection; discord.js runs one shard here.
    this.socket = socket;
    this.gatewayConnectionUrls.push(req.url ?? '');
    socket.on('error', () => undefined); // a reset socket must not crash the test process
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
    });
    socket.on('message', (raw) => this.onGatewayMessage(socket, raw));
    this.send(socket, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.heartbeatIntervalMs } });
  }

  private onGatewayMessage(socket: WebSocket, raw: RawData): void {
    let payload: GatewayRecord;
    try {
      payload = JSON.parse(raw.toString()) as GatewayRecord;
    } catch {
      socket.close(4002, 'Error while decoding payload.');
      return;
    }
    this.gateway.push(payload);
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        this.send(socket, { op: GatewayOpcodes.HeartbeatAck });
        break;
      case GatewayOpcodes.Identify:
        if (this.identifyCloseCode !== undefined) {
          socket.close(this.identifyCloseCode, 'discord-standin: identify refused');
          break;
        }
        this.sessionId = randomBytes(16).toString('hex');
        this.seq = 0;
        this.history = [];
        this.dispatch('READY', this.readyPayload());
        this.dispatch('GUILD_CREATE', this.guildCreatePayload());
        break;
      case GatewayOpcodes.Resume: {
        const d = isRecord(payload.d) ? payload.d : {};
        if (d.session_id !== this.sessionId) {
          this.send(socket, { op: GatewayOpcodes.InvalidSession, d: false });
          break;
        }
        const since = typeof d.seq === 'number' ? d.seq : 0;
        for (const missed of this.history) if (missed.s > since) this.send(socket, missed);
        this.dispatch('RESUMED', {});
        break;
      }
      default:
        break; // presence updates, request guild members, ...: recorded only
    }
  }

  private send(socket: WebSocket, payload: object): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(payload));
  }

  private readyPayload(): GatewayReadyDispatchData {
    return {
      v: 10,
      user: { ...this.botUser, verified: true, mfa_enabled: false },
      guilds: [{ id: this.ids.guild, unavailable: true }],
      session_id: this.sessionId ?? '',
      resume_gateway_url: this.gatewayUrl,
      shard: [0, 1],
      application: { id: this.ids.application, flags: 0 as ApplicationFlags, flags_new: '0' },
    };
  }

  /** The single guild: one text channel, the @everyone role, the bot and the default user. */
  guildCreatePayload(): GatewayGuildCreateDispatchData {
    const joinedAt = new Date(0).toISOString();
    const everyone: APIRole = {
      id: this.ids.guild, // @everyone's id is the guild id
      name: '@everyone',
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: 0,
      permissions: this.everyonePermissions,
      managed: false,
      mentionable: false,
      flags: 0 as RoleFlags,
    };
    return {
      id: this.ids.guild,
      name: 'Stand-in Guild',
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: this.ids.user,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: GuildVerificationLevel.None,
      default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
      explicit_content_filter: GuildExplicitContentFilter.Disabled,
      mfa_level: GuildMFALevel.None,
      nsfw_level: GuildNSFWLevel.Default,
      premium_tier: GuildPremiumTier.None,
      premium_progress_bar_enabled: false,
      system_channel_id: null,
      system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      application_id: null,
      vanity_url_code: null,
      preferred_locale: Locale.EnglishUS,
      hub_type: null,
      incidents_data: null,
      features: [],
      emojis: [],
      stickers: [],
      roles: [everyone],
      joined_at: joinedAt,
      large: false,
      unavailable: false,
      member_count: 2,
      voice_states: [],
      members: [this.member(this.botUser), this.member(this.user)],
      channels: [this.textChannel(this.ids.channel)],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  private textChannel(id: string): APITextChannel {
    return {
      id,
      type: ChannelType.GuildText,
      guild_id: this.ids.guild,
      name: 'general',
      position: 0,
      permission_overwrites: [],
      nsfw: false,
      parent_id: null,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: 0 as ChannelFlags,
    };
  }

  private member(user: APIUser): APIGuildMember & { user: APIUser } {
    return {
      user,
      nick: null,
      avatar: null,
      banner: null,
      roles: [],
      joined_at: new Date(0).toISOString(),
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
    };
  }

  // ------------------------------------------------------------------------------------------
  // Payload builders (they only build; send them with `dispatch`)

  /** INTERACTION_CREATE data for a slash command (type 2) in the guild. */
  slashCommandInteraction(input: SlashCommandInput): APIChatInputApplicationCommandGuildInteraction {
    const base = this.interactionBase(input, InteractionType.ApplicationCommand);
    return {
      ...base,
      type: InteractionType.ApplicationCommand,
      data: {
        id: input.commandId ?? this.commandId('global', ApplicationCommandType.ChatInput, input.name),
        name: input.name,
        type: ApplicationCommandType.ChatInput,
        ...(input.options ? { options: input.options } : {}),
      },
    };
  }

  /** INTERACTION_CREATE data for autocomplete (type 4); mark the typed option `focused: true`. */
  autocompleteInteraction(input: AutocompleteInput): APIApplicationCommandAutocompleteGuildInteraction {
    const base = this.interactionBase(input, InteractionType.ApplicationCommandAutocomplete);
    return {
      ...base,
      type: InteractionType.ApplicationCommandAutocomplete,
      data: {
        id: input.commandId ?? this.commandId('global', ApplicationCommandType.ChatInput, input.name),
        name: input.name,
        type: ApplicationCommandType.ChatInput,
        options: input.options,
      },
    };
  }

  /** INTERACTION_CREATE data for a click on a message's button (type 3, component type 2). */
  buttonInteraction(input: ButtonClickInput): APIMessageComponentButtonInteraction {
    const base = this.interactionBase({ channelId: input.message.channel_id, ...(input.user ? { user: input.user } : {}), ...(input.memberPermissions ? { memberPermissions: input.memberPermissions } : {}) }, InteractionType.MessageComponent);
    return {
      ...base,
      type: InteractionType.MessageComponent,
      message: input.message,
      data: { custom_id: input.customId, component_type: ComponentType.Button },
    } as APIMessageComponentButtonInteraction;
  }

  /** MESSAGE_CREATE data from a user in the guild's text channel (stored, so replies can reference it). */
  messageCreate(input: MessageCreateInput): GatewayMessageCreateDispatchData {
    const author: APIUser = { ...this.user, ...input.author };
    const channelId = input.channelId ?? this.ids.channel;
    const { user: _user, ...member } = this.member(author);
    const reference = input.replyTo ? { type: 0, message_id: input.replyTo, channel_id: channelId, guild_id: this.ids.guild } : undefined;
    const message: GatewayMessageCreateDispatchData = {
      id: snowflake(),
      channel_id: channelId,
      guild_id: this.ids.guild,
      author,
      member,
      content: input.content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: input.mentions ?? [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      type: reference ? MessageType.Reply : MessageType.Default,
      flags: 0 as MessageFlags,
      components: [],
      ...(reference ? { message_reference: reference, referenced_message: this.messages.get(reference.message_id) ?? null } : {}),
    };
    this.messages.set(message.id, message);
    return message;
  }

  private interactionBase(input: Omit<SlashCommandInput, 'name' | 'options'>, type: InteractionType) {
    const user: APIUser = { ...this.user, ...input.user };
    const channelId = input.channelId ?? this.ids.channel;
    const member: APIInteractionGuildMember = { ...this.member(user), permissions: input.memberPermissions ?? this.everyonePermissions };
    const id = snowflake();
    const token = `standin-interaction-token-${id}`;
    this.interactions.set(token, { id, type, channelId, user });
    return {
      id,
      token,
      application_id: this.ids.application,
      version: 1 as const,
      guild_id: this.ids.guild,
      guild: { id: this.ids.guild, locale: Locale.EnglishUS, features: [] },
      channel_id: channelId,
      channel: this.textChannel(channelId),
      member,
      app_permissions: this.everyonePermissions,
      locale: input.locale ?? Locale.EnglishUS,
      guild_locale: Locale.EnglishUS,
      // Both are required: discord.js reads them unconditionally and throws without them.
      entitlements: [],
      authorizing_integration_owners: { '0': this.ids.guild },
      context: 0,
      attachment_size_limit: 10 * 1024 * 1024,
    };
  }

  private commandId(scope: string, type: number, name: string): string {
    const key = `${scope}:${type}:${name}`;
    let id = this.commandIds.get(key);
    if (!id) this.commandIds.set(key, (id = snowflake()));
    return id;
  }

  // ------------------------------------------------------------------------------------------
  // REST

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const call: RecordedCall = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname.split('/').map(safeDecode).join('/'),
      rawPath: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      files: [],
      headers: req.headers,
      status: 0,
    };
    let reply: Reply;
    let reset = false;
    try {
      Object.assign(call, await readBody(req));
      const injected = this.takeInjected(call);
      if (injected?.afterProcessing) this.route(call);
      reset = injected?.reset ?? false;
      reply = injected?.reply ?? this.route(call);
    } catch (error) {
      reply = { status: 500, body: { message: `discord-standin: ${String(error)}`, code: 0 } };
    }
    call.status = reset ? 0 : reply.status;
    // Record before answering, so once the client's request settles the call is visible.
    this.rest.push(call);
    if (reset) {
      req.socket.destroy();
      return;
    }
    const holdIndex = this.holds.findIndex((h) => h.pred(call));
    const hold = this.holds[holdIndex];
    if (hold) {
      this.holds.splice(holdIndex, 1);
      hold.arrived(call);
      await hold.released;
      this.openHolds.delete(hold.release);
      if (res.destroyed) return;
    }
    const headers: Record<string, string> = { ...reply.headers };
    let payload: string | Buffer = '';
    if (Buffer.isBuffer(reply.body)) {
      headers['content-type'] = 'application/octet-stream';
      payload = reply.body;
    } else if (reply.body !== undefined && reply.status !== 204) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(reply.body);
    }
    res.writeHead(reply.status, headers).end(payload);
  }

  private takeInjected(call: RecordedCall): { reply: Reply; afterProcessing: boolean; reset: boolean } | undefined {
    const index = this.injected.findIndex((f) => f.pred(call));
    const found = this.injected[index];
    if (!found) return undefined;
    if (--found.remaining <= 0) this.injected.splice(index, 1);
    return found;
  }

  private route(call: RecordedCall): Reply {
    // An attachment's URL: the bytes as uploaded, so a test reads a file back the way a user downloads it.
    const attachment = /^\/attachments\/(\d+)\//.exec(call.path);
    if (call.method === 'GET' && attachment) {
      const data = this.attachmentData.get(attachment[1]!);
      return data ? { status: 200, body: data } : notFound();
    }
    if (!call.path.startsWith(`${API_PREFIX}/`)) return notFound();
    const path = call.path.slice(API_PREFIX.length);
    for (const route of this.routes) {
      if (route.method !== call.method) continue;
      const params = matchPattern(route.pattern, path);
      if (params) return route.handle(call, params);
    }
    // Unknown route: reads are "not found", deletes succeed, other writes get an empty object.
    if (call.method === 'GET') return notFound();
    if (call.method === 'DELETE') return { status: 204 };
    return { status: 200, body: {} };
  }

  private buildRoutes(): Route[] {
    const gateway = (): Reply => ({
      status: 200,
      body: {
        url: this.gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      },
    });
    const putCommands = (call: RecordedCall, p: Record<string, string>): Reply => {
      if (!Array.isArray(call.body)) return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
      const scope = p.guildId ?? 'global';
      const saved = call.body.filter(isRecord).map((cmd) => {
        const type = typeof cmd.type === 'number' ? cmd.type : ApplicationCommandType.ChatInput;
        return {
          description: '',
          default_member_permissions: null,
          nsfw: false,
          ...cmd,
          type,
          id: this.commandId(scope, type, String(cmd.name)),
          application_id: p.appId,
          version: snowflake(),
          ...(p.guildId ? { guild_id: p.guildId } : {}),
        };
      });
      this.commands.set(scope, saved);
      return { status: 200, body: saved };
    };
    const getCommands = (_: RecordedCall, p: Record<string, string>): Reply => ({
      status: 200,
      body: this.commands.get(p.guildId ?? 'global') ?? [],
    });
    const message = (p: Record<string, string>, channelFallback?: string): APIMessage | undefined => {
      const ctx = p.token ? this.interactions.get(p.token) : undefined;
      const id = p.messageId === '@original' ? ctx?.originalMessageId : p.messageId;
      const found = id ? this.messages.get(id) : undefined;
      return found && (!channelFallback || found.channel_id === channelFallback) ? found : undefined;
    };
    const unknownMessage = (): Reply => notFound('Unknown Message', 10008);

    return [
      { method: 'GET', pattern: '/gateway/bot', handle: gateway },
      { method: 'GET', pattern: '/gateway', handle: () => ({ status: 200, body: { url: this.gatewayUrl } }) },
      { method: 'GET', pattern: '/users/@me', handle: () => ({ status: 200, body: this.botUser }) },
      {
        // Create DM: the bot's DM channel with a user, the same one every time; messages then go to /channels/:id/messages.
        method: 'POST',
        pattern: '/users/@me/channels',
        handle: (call) => {
          const recipient = isRecord(call.body) && typeof call.body.recipient_id === 'string' ? call.body.recipient_id : undefined;
          if (!recipient) return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
          return { status: 200, body: { id: this.dmChannelId(recipient), type: ChannelType.DM, last_message_id: null, recipients: [{ ...this.user, id: recipient }] } };
        },
      },
      {
        method: 'GET',
        pattern: '/channels/:channelId',
        handle: (_, p) => (p.channelId === this.ids.channel ? { status: 200, body: this.textChannel(this.ids.channel) } : notFound('Unknown Channel', 10003)),
      },
      { method: 'POST', pattern: '/channels/:channelId/typing', handle: () => ({ status: 204 }) },
      {
        method: 'POST',
        pattern: '/channels/:channelId/messages',
        handle: (call, p) => ({ status: 200, body: this.messageByNonce(p.channelId ?? '', call) ?? this.storeMessage(p.channelId ?? '', call) }),
      },
      {
        method: 'GET',
        pattern: '/channels/:channelId/messages/:messageId',
        handle: (_, p) => {
          const found = message(p, p.channelId);
          return found ? { status: 200, body: found } : unknownMessage();
        },
      },
      {
        method: 'PATCH',
        pattern: '/channels/:channelId/messages/:messageId',
        handle: (call, p) => {
          const found = message(p, p.channelId);
          return found ? { status: 200, body: this.editMessage(found, call) } : unknownMessage();
        },
      },
      {
        method: 'DELETE',
        pattern: '/channels/:channelId/messages/:messageId',
        handle: (_, p) => (p.messageId && this.messages.delete(p.messageId) ? { status: 204 } : unknownMessage()),
      },
      {
        method: 'POST',
        pattern: '/interactions/:interactionId/:token/callback',
        handle: (call, p) => this.interactionCallback(call, p.interactionId ?? '', p.token ?? ''),
      },
      {
        // Follow-up message (discord.js sends ?wait=true and expects the message back).
        method: 'POST',
        pattern: '/webhooks/:appId/:token',
        handle: (call, p) => {
          const ctx = p.token ? this.interactions.get(p.token) : undefined;
          return { status: 200, body: this.storeMessage(ctx?.channelId ?? this.ids.channel, call, ctx) };
        },
      },
      {
        method: 'GET',
        pattern: '/webhooks/:appId/:token/messages/:messageId',
        handle: (_, p) => {
          const found = message(p);
          return found ? { status: 200, body: found } : unknownMessage();
        },
      },
      {
        method: 'PATCH',
        pattern: '/webhooks/:appId/:token/messages/:messageId',
        handle: (call, p) => {
          const found = message(p);
          if (found) return { status: 200, body: this.editMessage(found, call) };
          // editReply without a stored original (e.g. an interaction not built by this stand-in):
          // answer with a fresh message rather than failing the test for bookkeeping reasons.
          const ctx = p.token ? this.interactions.get(p.token) : undefined;
          const created = this.storeMessage(ctx?.channelId ?? this.ids.channel, call, ctx);
          if (ctx && p.messageId === '@original') ctx.originalMessageId = created.id;
          return { status: 200, body: created };
        },
      },
      {
        method: 'DELETE',
        pattern: '/webhooks/:appId/:token/messages/:messageId',
        handle: (_, p) => {
          const found = message(p);
          if (!found) return unknownMessage();
          this.messages.delete(found.id);
          return { status: 204 };
        },
      },
      { method: 'PUT', pattern: '/applications/:appId/commands', handle: putCommands },
      { method: 'PUT', pattern: '/applications/:appId/guilds/:guildId/commands', handle: putCommands },
      { method: 'GET', pattern: '/applications/:appId/commands', handle: getCommands },
      { method: 'GET', pattern: '/applications/:appId/guilds/:guildId/commands', handle: getCommands },
    ];
  }

  /** Answers 204, or the callback response object when discord.js asks `?with_response=true`. */
  private interactionCallback(call: RecordedCall, interactionId: string, token: string): Reply {
    const body = isRecord(call.body) ? call.body : {};
    const ctx = this.interactions.get(token);
    let created: APIMessage | undefined;
    // 4 = reply, 5 = deferred reply: both create the "original" message of the interaction.
    if (ctx && (body.type === 4 || body.type === 5)) {
      created = this.storeMessage(ctx.channelId, { ...call, body: isRecord(body.data) ? body.data : {} }, ctx);
      ctx.originalMessageId = created.id;
    }
    if (call.query.with_response !== 'true') return { status: 204 };
    const flags = created?.flags ?? 0;
    return {
      status: 200,
      body: {
        interaction: {
          id: interactionId,
          type: ctx?.type ?? InteractionType.ApplicationCommand,
          response_message_id: created?.id,
          response_message_loading: body.type === 5,
          response_message_ephemeral: (flags & 64) === 64,
        },
        resource: { type: body.type, ...(created ? { message: created } : {}) },
      },
    };
  }

  /** With `enforce_nonce: true`, the bot's message in this channel with the same nonce from the nonce window, if any. */
  private messageByNonce(channelId: string, call: Pick<RecordedCall, 'body'>): APIMessage | undefined {
    const body = isRecord(call.body) ? call.body : {};
    const nonce = body.nonce;
    if (body.enforce_nonce !== true || (typeof nonce !== 'string' && typeof nonce !== 'number')) return undefined;
    return this.messagesIn(channelId).find((m) =>
      m.author.id === this.botUser.id && m.nonce === nonce && Date.now() - Date.parse(m.timestamp) <= this.nonceWindowMs);
  }

  /** Builds a full message object from a create-message body (bot as author) and stores it. */
  private storeMessage(channelId: string, call: Pick<RecordedCall, 'body' | 'files'>, ctx?: InteractionContext): APIMessage {
    const body = isRecord(call.body) ? call.body : {};
    const ref = isRecord(body.message_reference) ? body.message_reference : undefined;
    const referencedId = typeof ref?.message_id === 'string' ? ref.message_id : undefined;
    const reference: APIMessageReference | undefined = referencedId
      ? { type: 0, message_id: referencedId, channel_id: channelId, guild_id: this.ids.guild }
      : undefined;
    const message: APIMessage = {
      id: snowflake(),
      channel_id: channelId,
      author: this.botUser,
      content: typeof body.content === 'string' ? body.content : '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: body.tts === true,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: this.attachments(call.files),
      embeds: Array.isArray(body.embeds) ? (body.embeds as APIEmbed[]) : [],
      pinned: false,
      // 19 = reply, 20 = response to a slash command, 0 = plain message.
      type: reference ? MessageType.Reply : ctx?.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Default,
      flags: typeof body.flags === 'number' ? body.flags : 0,
      components: Array.isArray(body.components) ? (body.components as APIMessage['components']) : [],
      ...(typeof body.nonce === 'string' || typeof body.nonce === 'number' ? { nonce: body.nonce } : {}),
      ...(reference ? { message_reference: reference, referenced_message: this.messages.get(reference.message_id ?? '') ?? null } : {}),
      // Only slash commands create messages (autocomplete answers cannot).
      ...(ctx?.type === InteractionType.ApplicationCommand
        ? {
            application_id: this.ids.application,
            webhook_id: this.ids.application,
            interaction_metadata: {
              id: ctx.id,
              type: InteractionType.ApplicationCommand,
              user: ctx.user,
              authorizing_integration_owners: { '0': this.ids.guild },
            },
          }
        : {}),
    };
    this.messages.set(message.id, message);
    return message;
  }

  private editMessage(message: APIMessage, call: RecordedCall): APIMessage {
    const body = isRecord(call.body) ? call.body : {};
    if (typeof body.content === 'string') message.content = body.content;
    if (Array.isArray(body.embeds)) message.embeds = body.embeds as APIEmbed[];
    if (Array.isArray(body.components)) message.components = body.components as APIMessage['components'];
    if (typeof body.flags === 'number') message.flags = body.flags;
    if (call.files.length > 0) message.attachments = this.attachments(call.files);
    message.edited_timestamp = new Date().toISOString();
    return message;
  }

  private attachments(files: RecordedFile[]): APIAttachment[] {
    return files.map((f) => {
      const id = snowflake();
      this.attachmentData.set(id, f.data);
      const url = `http://127.0.0.1:${this.port}/attachments/${id}/${encodeURIComponent(f.filename)}`;
      return { id, filename: f.filename, size: f.size, url, proxy_url: url, content_type: f.contentType };
    });
  }

  // ------------------------------------------------------------------------------------------

  /** Terminates every socket and both servers. Call after `client.destroy()`. */
  async close(): Promise<void> {
    for (const release of this.openHolds) release();
    this.openHolds.clear();
    this.rest.dispose();
    this.gateway.dispose();
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections(); // keep-alive REST sockets would otherwise hold close() open
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}

/** Reads a request body: JSON, multipart (`payload_json` + `files[n]`, as discord.js sends files) or text. */
async function readBody(req: IncomingMessage): Promise<{ body: unknown; files: RecordedFile[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: undefined, files: [] };
  if (type.includes('application/json')) return { body: JSON.parse(raw.toString('utf8')) as unknown, files: [] };
  if (type.includes('multipart/form-data')) {
    // The WHATWG Response (undici, global in Node 20) already knows how to parse multipart.
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    let body: unknown;
    const files: RecordedFile[] = [];
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value) as unknown;
      } else {
        files.push({ field, filename: value.name, contentType: value.type, size: value.size, data: Buffer.from(await value.arrayBuffer()) });
      }
    }
    return { body, files };
  }
  return { body: raw.toString('utf8'), files: [] };
}
