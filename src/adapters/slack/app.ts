/**
 * The Bolt app: one slash command per declared command, answered inside `ack()` (Slack's 3-second window, no
 * second round trip); `app_mention` and direct messages answered in the message's thread. HTTP mode
 * (`POST /slack/events`, signed requests) or Socket Mode when SLACK_APP_TOKEN is set.
 */
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver, type webApi } from '@slack/bolt';
import { ConfigError, type Config } from '../../config.js';
import type { AdapterState } from '../../core/adapter.js';
import type { Bot } from '../../core/bot.js';
import { apology, type Reply } from '../../core/reply.js';
import { newRequestId, type Origin } from '../../core/request.js';
import type { Logger } from '../../log.js';
import { boltLogger } from './bolt-logger.js';
import { webClientOptions } from './client.js';
import { EVENTS_PATH } from './manifest.js';
import { fromSlackText, splitVisibility } from './mrkdwn.js';
import { withCommandPrefix, withoutCommandPrefix } from './prefix.js';
import { renderSlack, type SlackMessage } from './render.js';

export interface SlackAppOptions {
  bot: Bot;
  config: Config;
  logger: Logger;
  /** Where HTTP mode listens. Default: every interface, SLACK_PORT. Tests use `{ host: '127.0.0.1', port: 0 }`. */
  listen?: { host?: string; port: number };
  /** Web API retries (see client.ts); tests use 0. */
  retries?: number;
}

interface Incoming {
  text: string;
  user: string | undefined;
  channel: string;
  ts: string;
  threadTs: string | undefined;
  team: string | undefined;
}

export class SlackApp {
  readonly mode: 'http' | 'socket';
  readonly app: App;
  private currentState: AdapterState = 'stopped';
  private boundPort: number | undefined;
  private receiverStarted = false;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly logger: Logger;
  private readonly prefix: string;
  private readonly names: string[];

  constructor(private readonly options: SlackAppOptions) {
    const { config } = options;
    if (!config.SLACK_BOT_TOKEN) throw new ConfigError(['SLACK_BOT_TOKEN: required to start the Slack adapter']);
    this.logger = options.logger.child({ component: 'slack' });
    this.prefix = config.SLACK_COMMAND_PREFIX;
    this.names = options.bot.commands.map((c) => c.name);
    this.mode = config.SLACK_APP_TOKEN ? 'socket' : 'http';

    const logger = boltLogger(options.logger, 'slack-bolt');
    const clientOptions = webClientOptions(config, options.logger, options.retries);
    let receiver: HTTPReceiver | SocketModeReceiver;
    if (config.SLACK_APP_TOKEN) {
      const socket = new SocketModeReceiver({
        appToken: config.SLACK_APP_TOKEN,
        logger,
        // The socket client takes its API URL from here, not from the App's clientOptions.
        installerOptions: { clientOptions },
      });
      socket.client.on('reconnecting', () => this.setState('reconnecting'));
      socket.client.on('connected', () => this.setState('connected'));
      receiver = socket;
    } else {
      if (!config.SLACK_SIGNING_SECRET) throw new ConfigError(['SLACK_SIGNING_SECRET: required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)']);
      receiver = new HTTPReceiver({ signingSecret: config.SLACK_SIGNING_SECRET, endpoints: EVENTS_PATH, logger });
    }
    this.app = new App({
      token: config.SLACK_BOT_TOKEN,
      receiver,
      logger,
      clientOptions,
      // auth.test runs in start(), where a bad token is a clear start-up error, not an unhandled rejection.
      deferInitialization: true,
    });
    this.register();
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
    try {
      await this.app.init();
      // From here on stop() must close the receiver, even if starting it fails half-way (a socket retrying).
      this.receiverStarted = true;
      if (this.mode === 'http') {
        const { SLACK_PORT, LISTEN_HOST } = this.options.config;
        const listen = this.options.listen ?? { port: SLACK_PORT, ...(LISTEN_HOST ? { host: LISTEN_HOST } : {}) };
        const server = await this.app.start({ port: listen.port, ...(listen.host ? { host: listen.host } : {}) });
        this.boundPort = (server.address() as AddressInfo).port;
      } else {
        await this.app.start();
      }
    } catch (err) {
      this.currentState = 'failed';
      throw startError(err);
    }
    this.currentState = 'connected';
    this.logger.info({ mode: this.mode, ...(this.boundPort ? { port: this.boundPort, path: EVENTS_PATH } : {}) }, 'slack: ready');
  }

  /** Stops taking requests, lets answers in flight finish, closes the server or socket. */
  async stop(): Promise<void> {
    this.currentState = 'stopped';
    if (this.receiverStarted) {
      this.receiverStarted = false;
      try {
        await this.app.stop();
      } catch (err) {
        this.logger.debug({ err: errorSummary(err) }, 'slack: stopping the receiver failed');
      }
    }
    await Promise.allSettled([...this.inflight]);
  }

  private setState(state: AdapterState): void {
    if (this.currentState !== 'stopped' && this.currentState !== 'failed') this.currentState = state;
  }

  private register(): void {
    const { app } = this;
    // One listener for every slash command, dispatched by name: Bolt runs each listener's matcher on every request,
    // so one per command costs throughput. A command this build does not declare (a stale manifest) gets the core's
    // friendly "no such command" instead of Slack's "dispatch_failed" after three seconds.
    app.command(/^\/.+/, async ({ command, ack }) => {
      const typed = command.command.slice(1);
      const name = this.prefix && typed.startsWith(this.prefix) ? typed.slice(this.prefix.length) : typed;
      await this.track(this.answerCommand(name, command, ack));
    });

    app.event('app_mention', async ({ event, body, context }) => {
      if (event.bot_id || event.subtype) return;
      const incoming = { text: event.text, user: event.user, channel: event.channel, ts: event.ts, threadTs: event.thread_ts, team: body.team_id };
      await this.track(this.answerInThread(incoming, context.botUserId));
    });

    // Direct messages (`message.im`). Edits, joins, bot posts and other subtypes are not questions.
    app.message(async ({ message, body, context }) => {
      if (message.subtype !== undefined || message.channel_type !== 'im' || message.bot_id) return;
      const incoming = { text: message.text ?? '', user: message.user, channel: message.channel, ts: message.ts, threadTs: message.thread_ts, team: body.team_id };
      await this.track(this.answerInThread(incoming, context.botUserId));
    });

    app.error(async (err) => {
      this.logger.error({ err: errorSummary(err) }, 'slack: unhandled error in a listener');
    });
  }

  private async answerCommand(
    name: string,
    command: { text: string; user_id: string; channel_id: string; team_id: string },
    ack: (response?: { response_type: 'ephemeral' | 'in_channel' } & SlackMessage) => Promise<void>,
  ): Promise<void> {
    const requestId = newRequestId();
    const origin: Origin = { platform: 'slack', user: command.user_id, channel: command.channel_id, workspace: command.team_id };
    const { text, public: wantsPublic } = splitVisibility(fromSlackText(command.text));
    const reply = this.reply(() => this.options.bot.handle({ kind: 'command', name, text, ...origin }, { requestId }), requestId);
    try {
      if (reply.silent) {
        // Rate limited again: Slack needs the ack, the user needs no second "slow down".
        await ack();
      } else {
        // Only an answer goes to the channel: a usage hint or an apology stays between the bot and the user.
        const inChannel = wantsPublic && reply.kind === 'answer';
        await ack({ response_type: inChannel ? 'in_channel' : 'ephemeral', ...this.render(reply, requestId) });
      }
    } catch (err) {
      this.logger.error({ requestId, err: errorSummary(err) }, 'slack: could not acknowledge the command');
    }
  }

  private async answerInThread(incoming: Incoming, botUserId: string | undefined): Promise<void> {
    const requestId = newRequestId();
    const origin = { platform: 'slack' as const, user: incoming.user, channel: incoming.channel, workspace: incoming.team };
    const line = withoutCommandPrefix(fromSlackText(incoming.text, botUserId), this.prefix);
    const reply = this.reply(() => this.options.bot.handleLine(line, origin, { requestId }), requestId);
    if (reply.silent) return;
    const message = this.render(reply, requestId);
    try {
      await this.app.client.chat.postMessage({
        channel: incoming.channel,
        thread_ts: incoming.threadTs ?? incoming.ts,
        ...message,
        unfurl_links: false,
        unfurl_media: false,
      });
    } catch (err) {
      this.logger.error({ requestId, channel: incoming.channel, err: errorSummary(err) }, 'slack: could not post the answer');
    }
  }

  /** The core never throws, but a bug here must still end in an apology, not a silent timeout. */
  private reply(run: () => Reply, requestId: string): Reply {
    try {
      return run();
    } catch (err) {
      this.logger.error({ requestId, err: errorSummary(err) }, 'slack: handler failed');
      return apology(requestId);
    }
  }

  private render(reply: Reply, requestId: string): SlackMessage {
    try {
      return renderSlack(withCommandPrefix(reply, this.prefix, this.names));
    } catch (err) {
      this.logger.error({ requestId, err: errorSummary(err) }, 'slack: rendering failed');
      return renderSlack(apology(requestId));
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inflight.add(work);
    void work.finally(() => this.inflight.delete(work)).catch(() => undefined);
    return work;
  }
}

/** What is safe and useful to log about an error: never the request options (they hold the token). */
export function errorSummary(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const coded = err as Error & { code?: unknown; data?: { error?: unknown }; statusCode?: unknown };
  return {
    // web-api's errors are named "Object"; their code says more.
    ...(err.name && err.name !== 'Object' ? { type: err.name } : {}),
    message: err.message,
    ...(typeof coded.code === 'string' ? { code: coded.code } : {}),
    ...(typeof coded.data?.error === 'string' ? { slackError: coded.data.error } : {}),
    ...(typeof coded.statusCode === 'number' ? { status: coded.statusCode } : {}),
    ...(err.stack ? { stack: err.stack } : {}),
  };
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
