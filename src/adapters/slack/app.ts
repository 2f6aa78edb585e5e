/**
 * The Bolt app: every slash command answered inside `ack()` (Slack's 3-second window, no second round trip);
 * `app_mention` and direct messages answered in the message's thread. HTTP mode (`POST /slack/events`, signed
 * requests, through our own receiver: receiver.ts) or Socket Mode when SLACK_APP_TOKEN is set.
 *
 * Every kind of request goes through one global middleware that dispatches on its type: Bolt runs each
 * listener's matcher on every request, so one listener per kind of request costs throughput for nothing.
 */
import { App, SocketModeReceiver, webApi, type AnyMiddlewareArgs, type Middleware, type Receiver, type RespondFn } from '@slack/bolt';
import { z } from 'zod';
import { ConfigError, type Config } from '../../config.js';
import { slackAuth, slackIngress } from './settings.js';
import type { AdapterState } from '../../core/adapter.js';
import type { Bot } from '../../core/bot.js';
import { apology, type Reply } from '../../core/reply.js';
import { withNothingToExport } from '../shared/csv.js';
import { splitLineWords } from '../shared/trailing-words.js';
import { newRequestId, type Origin } from '../../core/request.js';
import { errorSummary } from '../shared/error-summary.js';
import { InFlight } from '../shared/in-flight.js';
import type { Logger } from '../../log.js';
import { boltLogger } from './bolt-logger.js';
import { DEFAULT_RETRIES, webClientOptions } from './client.js';
import { RecentIds } from './dedup.js';
import { EVENTS_PATH } from './manifest.js';
import { readClick, splitCommandWords } from './actions.js';
import { fromSlackText } from './mrkdwn.js';
import type { SlackInstallations } from './installations.js';
import { createSlackOAuth, type SlackOAuth } from './oauth.js';
import { withCommandPrefix, withoutCommandPrefix } from './prefix.js';
import { PortUnavailableError, SlackHttpReceiver } from './receiver.js';
import { renderSlack, type SlackMessage } from './render.js';
import { shareCsv, type UploadTarget } from './upload.js';

export interface SlackAppOptions {
  bot: Bot;
  config: Config;
  logger: Logger;
  /** Where HTTP mode listens. Default: every interface, SLACK_PORT. Tests use `{ host: '127.0.0.1', port: 0 }`. */
  listen?: { host?: string; port: number };
  /** Retries of an answer's post (see client.ts); tests use 0. Never after a timeout. */
  retries?: number;
  /** Web API timeout in milliseconds (default 10 s). */
  webApiTimeoutMs?: number;
  /**
   * Called when SLACK_PORT cannot be bound (in use, or not ours to bind), before start() rejects: retrying does
   * not help, so `npm start` stops there with exit code 2.
   */
  onPortUnavailable?: (err: ConfigError) => void;
  /** The clock request timestamps and replays are checked against (ms). */
  now?: () => number;
  /** Shared mode: event ids taken once across instances (src/shared/dedup.ts), asked after this process's own. */
  sharedEventIds?: { check(id: string): Promise<boolean> };
  /** Many workspaces, shared mode: installations in PostgreSQL (default: files under STATE_DIR). */
  installations?: SlackInstallations;
  /**
   * Where requests come from, in place of HTTP mode's server or Socket Mode: a receiver that hands Bolt requests in
   * memory routes them with no network (tests; bolt-js's own tests do the same). The Web API is still called.
   */
  receiver?: Receiver;
}

interface Incoming {
  text: string;
  user: string | undefined;
  channel: string;
  ts: string;
  threadTs: string | undefined;
  team: string | undefined;
  direct: boolean;
}

/** A slash command's fields as we read them; anything else is a malformed request. */
const commandSchema = z.object({
  command: z.string().regex(/^\/\S+$/),
  text: z.string().default(''),
  user_id: z.string(),
  channel_id: z.string(),
  channel_name: z.string().optional(),
  team_id: z.string().optional(),
});

/** A mention or a direct message, as far as we read it. */
const messageSchema = z.object({
  type: z.string(),
  text: z.string().default(''),
  user: z.string().optional(),
  channel: z.string(),
  ts: z.string(),
  thread_ts: z.string().optional(),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
  channel_type: z.string().optional(),
});

type Ack = (response?: { response_type: 'ephemeral' | 'in_channel' } & SlackMessage) => Promise<void>;

const UNREADABLE: SlackMessage = {
  text: 'Sorry, I could not read that request. Try `/help`.',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Sorry, I could not read that request. Try `/help`.', verbatim: true } }],
};

export class SlackApp {
  readonly mode: 'http' | 'socket';
  readonly app: App;
  private currentState: AdapterState = 'stopped';
  private boundPort: number | undefined;
  private receiverStarted = false;
  private stopping = false;
  private readonly receiver: Receiver;
  private readonly inFlight = new InFlight();
  private readonly logger: Logger;
  private readonly prefix: string;
  private readonly names: string[];
  private readonly recentEvents = new RecentIds();
  private readonly now: () => number;
  /** Posts answers in threads: no retry inside web-api (its retries follow timeouts too), ours are in postAnswer. */
  private readonly answers: webApi.WebClient;
  private readonly retries: number;
  /** Many workspaces (SLACK_CLIENT_ID…): install pages, and each request's workspace token from its installation. */
  private readonly oauth: SlackOAuth | undefined;

  constructor(private readonly options: SlackAppOptions) {
    const { config } = options;
    const auth = slackAuth(config);
    const ingress = slackIngress(config);
    this.oauth = auth.oauth
      ? createSlackOAuth({ config, logger: options.logger, ...(options.installations ? { installations: options.installations } : {}) })
      : undefined;
    this.logger = options.logger.child({ component: 'slack' });
    this.prefix = config.SLACK_COMMAND_PREFIX;
    this.names = options.bot.commands.map((c) => c.name);
    this.mode = ingress.mode;
    this.now = options.now ?? Date.now;
    this.retries = options.retries ?? DEFAULT_RETRIES;

    const logger = boltLogger(options.logger, 'slack-bolt');
    const clientOptions = { ...webClientOptions(config, options.logger, options.retries), ...(options.webApiTimeoutMs ? { timeout: options.webApiTimeoutMs } : {}) };
    // Many workspaces: no token of its own; each post carries the token of the workspace it answers.
    this.answers = new webApi.WebClient(this.oauth ? undefined : auth.botToken, { ...clientOptions, retryConfig: { retries: 0 } });
    if (options.receiver) {
      this.receiver = options.receiver;
    } else if (ingress.mode === 'socket') {
      const socket = new SocketModeReceiver({
        appToken: ingress.appToken,
        logger,
        // The socket client takes its API URL from here, not from the App's clientOptions.
        installerOptions: { clientOptions },
      });
      socket.client.on('reconnecting', () => this.setState('reconnecting'));
      socket.client.on('connected', () => this.setState('connected'));
      this.receiver = socket;
    } else {
      this.receiver = new SlackHttpReceiver({
        signingSecret: ingress.signingSecret,
        path: EVENTS_PATH,
        logger: options.logger,
        limits: {
          maxBodyBytes: config.SLACK_MAX_BODY_BYTES,
          headersTimeoutMs: config.SLACK_HEADERS_TIMEOUT,
          requestTimeoutMs: config.SLACK_REQUEST_TIMEOUT,
          maxConnections: config.SLACK_MAX_CONNECTIONS,
        },
        ...(options.now ? { now: options.now } : {}),
        ...(this.oauth ? { pages: this.oauth.pages } : {}),
      });
    }
    this.app = new App({
      ...(this.oauth ? { authorize: this.oauth.authorize } : { token: auth.botToken }),
      receiver: this.receiver,
      logger,
      clientOptions,
      // auth.test runs in start(), where a bad token is a clear start-up error, not an unhandled rejection.
      deferInitialization: true,
      // Neither is used: no conversation state (its store throws and catches an error on every request), and
      // the dispatcher itself skips the bot's own messages.
      convoStore: false,
      ignoreSelf: false,
    });
    this.app.use(this.dispatch);
    this.app.error(async (err) => {
      // A workspace without an installation: oauth.ts has logged it.
      if ((err as { code?: unknown }).code === 'slack_bolt_authorization_error') return;
      this.logger.error({ err: errorSummary(err) }, 'slack: unhandled error in a listener');
    });
  }

  get state(): AdapterState {
    return this.currentState;
  }

  /** The HTTP port actually bound (after start, HTTP mode). */
  get port(): number | undefined {
    return this.boundPort;
  }

  get client(): webApi.WebClient {
    return this.app.client;
  }

  async start(): Promise<void> {
    this.currentState = 'starting';
    this.stopping = false;
    try {
      await this.app.init();
      // From here on stop() must close the receiver, even if starting it fails half-way (a socket retrying).
      this.receiverStarted = true;
      if (this.receiver instanceof SlackHttpReceiver) {
        const { SLACK_PORT, LISTEN_HOST } = this.options.config;
        const listen = this.options.listen ?? { port: SLACK_PORT, ...(LISTEN_HOST ? { host: LISTEN_HOST } : {}) };
        await this.receiver.start(listen.port, listen.host);
        this.boundPort = this.receiver.port;
      } else {
        await this.app.start();
      }
    } catch (err) {
      this.currentState = 'failed';
      if (err instanceof PortUnavailableError) {
        const problem = new ConfigError([`SLACK_PORT: ${err.message}; stop that program or set SLACK_PORT to a free port`]);
        this.options.onPortUnavailable?.(problem);
        throw problem;
      }
      throw startError(err);
    }
    this.currentState = 'connected';
    this.logger.info({ mode: this.mode, ...(this.boundPort ? { port: this.boundPort, path: EVENTS_PATH } : {}) }, 'slack: ready');
  }

  /** Stops taking requests, answers those already received, lets answers in flight finish, closes the server or socket. */
  async stop(): Promise<void> {
    this.currentState = 'stopped';
    this.stopping = true;
    if (this.receiverStarted) {
      this.receiverStarted = false;
      try {
        await this.receiver.stop();
      } catch (err) {
        this.logger.debug({ err: errorSummary(err) }, 'slack: stopping the receiver failed');
      }
    }
    await this.inFlight.drain();
  }

  private setState(state: AdapterState): void {
    if (this.currentState !== 'stopped' && this.currentState !== 'failed') this.currentState = state;
  }

  /** The one global middleware: every request, dispatched on its type. It never calls `next()`. */
  private readonly dispatch: Middleware<AnyMiddlewareArgs> = async (args) => {
    if ('command' in args) {
      await this.track(this.onCommand(args.command, args.ack as Ack, args.respond, args.client));
      return;
    }
    const body = args.body as { type?: unknown; event_id?: unknown; team_id?: unknown };
    if (body.type === 'block_actions' && 'action' in args) {
      await this.track(this.onClick(args.body, args.ack as () => Promise<void>, args.respond, args.client));
      return;
    }
    if (body.type === 'event_callback' && 'event' in args) {
      if (typeof body.event_id === 'string' && (this.recentEvents.check(body.event_id, this.now()) || await this.seenElsewhere(body.event_id))) {
        this.logger.info({ eventId: body.event_id, retryNum: args.context.retryNum, retryReason: args.context.retryReason }, 'slack: event already answered; ignored');
        return;
      }
      if (this.oauth && (args.event.type === 'app_uninstalled' || args.event.type === 'tokens_revoked')) {
        await this.track(this.forget(args.body as Record<string, unknown>, args.event as { type: string; tokens?: { oauth?: string[]; bot?: string[] } }));
        return;
      }
      await this.track(this.onEvent(args.event, typeof body.team_id === 'string' ? body.team_id : undefined, args.context.botUserId, args.client));
      return;
    }
    // Shortcuts, options, views: nothing the bot offers; acknowledged so Slack shows no error.
    if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
  };

  /** Shared mode: another instance took this event id (a retry the load balancer sent here). A failing store lets it through. */
  private async seenElsewhere(eventId: string): Promise<boolean> {
    if (!this.options.sharedEventIds) return false;
    try {
      return await this.options.sharedEventIds.check(eventId);
    } catch (err) {
      this.logger.warn({ eventId, err: errorSummary(err) }, 'slack: the shared event store failed; answering');
      return false;
    }
  }

  /**
   * Many workspaces: the app was uninstalled from a workspace, or tokens were revoked there. Without its bot token
   * the installation goes (no digest goes there any more); a user's token alone is dropped from it.
   */
  private async forget(body: Record<string, unknown>, event: { type: string; tokens?: { oauth?: string[]; bot?: string[] } }): Promise<void> {
    const where = {
      teamId: typeof body.team_id === 'string' ? body.team_id : undefined,
      enterpriseId: typeof body.enterprise_id === 'string' ? body.enterprise_id : undefined,
      isEnterpriseInstall: body.is_enterprise_install === true,
    };
    const users = event.type === 'tokens_revoked' && !event.tokens?.bot?.length ? event.tokens?.oauth ?? [] : undefined;
    try {
      if (users) for (const userId of users) await this.oauth?.forget({ ...where, userId });
      else await this.oauth?.forget(where);
    } catch (err) {
      this.logger.error({ team: where.teamId, err: errorSummary(err) }, 'slack: could not delete the installation of a workspace that uninstalled the app');
    }
  }

  private async onCommand(raw: unknown, ack: Ack, respond: RespondFn, client: webApi.WebClient): Promise<void> {
    const parsed = commandSchema.safeParse(raw);
    if (!parsed.success) {
      this.logger.warn({ problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }, 'slack: malformed command');
      await ack({ response_type: 'ephemeral', ...UNREADABLE }).catch(() => undefined);
      return;
    }
    const command = parsed.data;
    const typed = command.command.slice(1);
    const name = this.prefix && typed.startsWith(this.prefix) ? typed.slice(this.prefix.length) : typed;
    await this.answerCommand(name, command, ack, respond, client);
  }

  /**
   * A click on a suggestion or "Export CSV": acknowledged at once (Slack's 3 seconds), then the button's line is
   * run for whoever clicked, through the same guards as a typed command, and answered through the click's
   * response_url (only the clicker sees it; the message clicked stays as it was). Export shares the figures of
   * the clicker's own answer as a file in the channel, in the thread when the message is in one.
   */
  private async onClick(body: unknown, ack: () => Promise<void>, respond: RespondFn, client: webApi.WebClient): Promise<void> {
    await ack();
    const click = readClick(body, this.prefix);
    if (!click) return;
    const requestId = newRequestId();
    const origin: Origin = {
      platform: 'slack', user: click.user, channel: click.channel, ...(click.team ? { workspace: click.team } : {}), isAdmin: this.isAdmin(click.user, client),
    };
    const reply = await this.options.bot.answerLine(click.line, origin, { requestId });
    if (reply.silent) return;
    const tell = (r: Reply, exportLine?: string) =>
      respond({ response_type: 'ephemeral', replace_original: false, ...this.render(r, requestId, exportLine) })
        .catch((err: unknown) => this.logger.error({ requestId, err: errorSummary(err) }, 'slack: could not answer a click'));
    if (click.kind === 'run' || reply.kind !== 'answer' || !click.channel) {
      await tell(reply, click.line);
      return;
    }
    const problem = await this.shareCsv(client, { channel: click.channel, ...(click.threadTs ? { threadTs: click.threadTs } : {}) }, reply, requestId);
    if (problem) await tell(problem);
  }

  /** The answer's figures as a CSV file in `target`; what to tell the user when that could not be done. */
  private shareCsv(client: webApi.WebClient, target: UploadTarget, reply: Reply, requestId: string): Promise<Reply | undefined> {
    return shareCsv(client, target, reply, (err) => this.logger.warn({ requestId, channel: target.channel, err: errorSummary(err) }, 'slack: the CSV file was not shared'));
  }

  private async onEvent(raw: { type: string }, team: string | undefined, botUserId: string | undefined, client: webApi.WebClient): Promise<void> {
    if (raw.type !== 'app_mention' && raw.type !== 'message') return;
    const parsed = messageSchema.safeParse(raw);
    if (!parsed.success) {
      this.logger.warn({ eventType: raw.type, problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }, 'slack: malformed event; not answered');
      return;
    }
    const event = parsed.data;
    // Edits, joins and other subtypes are not questions; nor is anything a bot (this one included) says.
    if (event.subtype !== undefined || event.bot_id || (botUserId && event.user === botUserId)) return;
    // Direct messages (`message.im`) only: channel messages reach the bot as mentions.
    if (event.type === 'message' && event.channel_type !== 'im') return;
    await this.answerInThread({ text: event.text, user: event.user, channel: event.channel, ts: event.ts, threadTs: event.thread_ts, team, direct: event.channel_type === 'im' }, client);
  }

  private async answerCommand(name: string, command: z.infer<typeof commandSchema>, ack: Ack, respond: RespondFn, client: webApi.WebClient): Promise<void> {
    const requestId = newRequestId();
    // A DM with the bot is one conversation: a question typed after a command there follows up on it.
    const direct = command.channel_name === 'directmessage';
    const origin: Origin = {
      platform: 'slack', user: command.user_id, channel: command.channel_id, ...(command.team_id ? { workspace: command.team_id } : {}),
      ...(direct ? { thread: command.channel_id, direct } : {}), isAdmin: this.isAdmin(command.user_id, client),
    };
    const { text, public: wantsPublic, csv } = splitCommandWords(name, fromSlackText(command.text));
    const answered = await this.options.bot.answer({ kind: 'command', name, text, ...origin }, { requestId });
    const reply = csv ? withNothingToExport(answered) : answered;
    const line = `/${name}${text ? ` ${text}` : ''}`;
    try {
      if (reply.silent) {
        // Rate limited again: Slack needs the ack, the user needs no second "slow down".
        await ack();
      } else {
        // Only an answer goes to the channel: a usage hint or an apology stays between the bot and the user.
        const inChannel = wantsPublic && reply.kind === 'answer';
        await ack({ response_type: inChannel ? 'in_channel' : 'ephemeral', ...this.render(reply, requestId, line) });
      }
    } catch (err) {
      this.logger.error({ requestId, err: errorSummary(err) }, 'slack: could not acknowledge the command');
    }
    // A trailing `csv`: after the answer, the figures as a file in the channel; a refusal only to the user.
    if (!csv || reply.kind !== 'answer' || reply.silent) return;
    const problem = await this.shareCsv(client, { channel: command.channel_id }, reply, requestId);
    if (problem) {
      await respond({ response_type: 'ephemeral', replace_original: false, ...this.render(problem, requestId) })
        .catch((err: unknown) => this.logger.error({ requestId, err: errorSummary(err) }, 'slack: could not say why there is no CSV'));
    }
  }

  private async answerInThread(incoming: Incoming, client: webApi.WebClient): Promise<void> {
    const requestId = newRequestId();
    // The conversation: the thread the answer goes to, or the whole DM (its follow-ups are typed at its top level).
    const origin: Origin = {
      platform: 'slack', user: incoming.user, channel: incoming.channel, workspace: incoming.team,
      thread: incoming.direct ? incoming.channel : incoming.threadTs ?? incoming.ts, direct: incoming.direct,
      ...(incoming.user ? { isAdmin: this.isAdmin(incoming.user, client) } : {}),
    };
    const { line, csv } = splitLineWords(withoutCommandPrefix(fromSlackText(incoming.text), this.prefix));
    const answered = await this.options.bot.answerLine(line, origin, { requestId });
    const reply = csv ? withNothingToExport(answered) : answered;
    if (reply.silent) return;
    const message = this.render(reply, requestId, line);
    const thread = incoming.threadTs ?? incoming.ts;
    try {
      await this.postAnswer({
        channel: incoming.channel,
        thread_ts: thread,
        ...message,
        unfurl_links: false,
        unfurl_media: false,
        // Many workspaces: the answer goes out with the token of the workspace that asked (Bolt's client for it).
        ...(this.oauth && client.token ? { token: client.token } : {}),
      });
    } catch (err) {
      const unknown = !retryable(err);
      this.logger.error({
        requestId, channel: incoming.channel, err: errorSummary(err),
        ...(unknown && isTimeout(err) ? { note: 'Slack did not answer in time; not retried, since it may have posted the answer' } : {}),
      }, 'slack: could not post the answer');
      return;
    }
    // A trailing `csv` ("/sales xiaomi may csv"): the figures as a file in the same thread.
    if (!csv || reply.kind !== 'answer') return;
    const problem = await this.shareCsv(client, { channel: incoming.channel, threadTs: thread }, reply, requestId);
    if (problem) await this.postAnswer({ channel: incoming.channel, thread_ts: thread, ...this.render(problem, requestId) }).catch(() => undefined);
  }

  /**
   * chat.postMessage, retried only when Slack certainly did not post it: it answered 5xx or rate-limited the
   * call, or the connection was never made. Never after a timeout or a dropped connection: the message may be
   * there already, and a second post would show the answer twice.
   */
  private async postAnswer(message: webApi.ChatPostMessageArguments): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.answers.chat.postMessage(message);
        return;
      } catch (err) {
        if (attempt >= this.retries || this.stopping || !retryable(err)) throw err;
        await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
      }
    }
  }

  /** Whether the user is a workspace admin or owner (users.info), asked only when a command needs to know. */
  private isAdmin(user: string, client: webApi.WebClient): () => Promise<boolean> {
    return async () => {
      // The request's client: in many workspaces it holds the token of the workspace that asked.
      const res = await client.users.info({ user });
      const u = res.user as { is_admin?: boolean; is_owner?: boolean; is_primary_owner?: boolean } | undefined;
      return Boolean(u?.is_admin || u?.is_owner || u?.is_primary_owner);
    };
  }

  /** `exportLine`: the line that gave the answer, for its Export CSV button. */
  private render(reply: Reply, requestId: string, exportLine?: string): SlackMessage {
    try {
      return renderSlack(withCommandPrefix(reply, this.prefix, this.names), exportLine === undefined ? {} : { exportLine });
    } catch (err) {
      this.logger.error({ requestId, err: errorSummary(err) }, 'slack: rendering failed');
      return renderSlack(apology(requestId));
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    return this.inFlight.track(work);
  }
}

/** Connection failures that happen before a request is sent: the post certainly did not reach Slack. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Whether a failed Web API call may be sent again without risking a second message. */
export function retryable(err: unknown): boolean {
  const e = err as { code?: unknown; statusCode?: unknown; original?: unknown } | undefined;
  if (e?.code === 'slack_webapi_http_error') return typeof e.statusCode === 'number' && e.statusCode >= 500;
  if (e?.code !== 'slack_webapi_request_error') return false;
  // web-api waited out a 429 and gave up: Slack refused the call, it did not post.
  if (e.original instanceof Error && e.original.message.startsWith('A rate limit was exceeded')) return true;
  for (let c: unknown = e.original, depth = 0; c && depth < 5; c = (c as { cause?: unknown }).cause, depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT.has(code)) return true;
  }
  return false;
}

function isTimeout(err: unknown): boolean {
  for (let c: unknown = err, depth = 0; c && depth < 5; depth++) {
    const { name, original, cause } = c as { name?: unknown; original?: unknown; cause?: unknown };
    if (name === 'TimeoutError' || name === 'AbortError') return true;
    c = original ?? cause;
  }
  return false;
}

const BAD_TOKEN = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type']);

function startError(err: unknown): Error {
  const slackError = (err as { data?: { error?: unknown } } | undefined)?.data?.error;
  if (typeof slackError === 'string' && BAD_TOKEN.has(slackError)) {
    return new ConfigError([`SLACK_BOT_TOKEN or SLACK_APP_TOKEN: Slack refused the token (${slackError})`]);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new Error(`Could not connect to Slack: ${message}`, { cause: err });
}
