/**
 * The Slack adapter, as `src/main.ts` starts it: `createSlackAdapter({ bot, config, logger })`.
 * HTTP mode (`POST /slack/events` on SLACK_PORT) or Socket Mode when SLACK_APP_TOKEN is set; in many workspaces
 * (SLACK_CLIENT_ID…) also `GET /slack/install` and `GET /slack/oauth_redirect` (oauth.ts).
 */
import type { Config } from '../../config.js';
import type { Adapter, AdapterState, PostedMessage, Poster } from '../../core/adapter.js';
import type { Bot } from '../../core/bot.js';
import type { Reply } from '../../core/reply.js';
import type { Logger } from '../../log.js';
import { SlackApp, type SlackAppOptions } from './app.js';
import type { SlackInstallations } from './installations.js';
import { createSlackPoster } from './post.js';

export { createSlackPoster, slackPoster, type SlackPosterOptions } from './post.js';
export { renderSlack, type SlackMessage } from './render.js';
export { buildManifest, type ManifestOptions } from './manifest.js';

export interface SlackAdapterOptions {
  bot: Bot;
  config: Config;
  logger: Logger;
  /** HTTP mode only: where to listen (default every interface, SLACK_PORT). Tests: `{ host: '127.0.0.1', port: 0 }`. */
  listen?: SlackAppOptions['listen'];
  /** Web API retries for answers (default 2 quick ones) and for `post` (default 0: the caller retries). */
  retries?: { answers?: number; post?: number };
  /** Web API timeout for answers, in milliseconds (default 10 s). */
  webApiTimeoutMs?: number;
  /** SLACK_PORT cannot be bound: called before start() rejects (`npm start` exits 2 there). */
  onPortUnavailable?: SlackAppOptions['onPortUnavailable'];
  /** Shared mode: Slack event ids taken once across instances. */
  sharedEventIds?: SlackAppOptions['sharedEventIds'];
  /** Many workspaces, shared mode: installations in PostgreSQL (default: files under STATE_DIR). */
  installations?: SlackInstallations;
}

export interface SlackAdapter extends Adapter {
  readonly mode: 'http' | 'socket';
  /** The HTTP port bound, once started in HTTP mode. */
  readonly port: number | undefined;
}

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { bot, config, logger } = options;
  const app = new SlackApp({
    bot, config, logger,
    ...(options.listen ? { listen: options.listen } : {}),
    ...(options.retries?.answers !== undefined ? { retries: options.retries.answers } : {}),
    ...(options.webApiTimeoutMs !== undefined ? { webApiTimeoutMs: options.webApiTimeoutMs } : {}),
    ...(options.onPortUnavailable ? { onPortUnavailable: options.onPortUnavailable } : {}),
    ...(options.sharedEventIds ? { sharedEventIds: options.sharedEventIds } : {}),
    ...(options.installations ? { installations: options.installations } : {}),
  });
  const poster: Poster = createSlackPoster({
    config, logger,
    commandNames: bot.commands.map((c) => c.name),
    ...(options.retries?.post !== undefined ? { retries: options.retries.post } : {}),
    ...(options.installations ? { installations: options.installations } : {}),
  });
  return {
    platform: 'slack',
    mode: app.mode,
    get state(): AdapterState {
      return app.state;
    },
    get port(): number | undefined {
      return app.port;
    },
    start: () => app.start(),
    stop: () => app.stop(),
    post: (channel: string, reply: Reply): Promise<PostedMessage> => poster.post(channel, reply),
  };
}
