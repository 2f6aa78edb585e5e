/** Wiring shared by every entry point: configuration → dataset → bot, with its logging, metrics and limits. */
import { UserError } from './core/errors.js';
import { commands } from '../commands/index.js';
import type { Config } from './config.js';
import { Bot, type HandledEvent } from './core/bot.js';
import { interpret } from './sales/interpret.js';
import { RateLimiter } from './core/rate-limit.js';
import { DataStore } from './data/store.js';
import type { Logger } from './log.js';
import type { Metrics } from './ops/metrics.js';
import type { SharedMode } from './shared/index.js';
import { bindSubscriptionCommands } from './subscriptions/command.js';
import { FileSubscriptionStore, type SubscriptionStore } from './subscriptions/store.js';

export interface App {
  config: Config;
  store: DataStore;
  bot: Bot;
  /** What is counted per request, reload and digest; Prometheus only where HEALTH_PORT serves it. */
  metrics: MetricsRecorder;
  /** The Prometheus registry behind `metrics`, when HEALTH_PORT is set (prom-client is not even loaded otherwise). */
  prometheus?: Metrics;
  /** Shared mode (DATABASE_URL): the dataset comes from PostgreSQL. */
  shared?: SharedMode;
  /** /subscribe and /alert keep theirs here: STATE_DIR, or PostgreSQL in shared mode. */
  subscriptions: SubscriptionStore;
}

export interface CreateAppOptions {
  /** Shared mode, opened by the caller (`openShared`): the store serves the database's dataset. */
  shared?: SharedMode;
}

export type MetricsRecorder = Pick<Metrics, 'request' | 'reload' | 'digest'>;

/** Nowhere to serve metrics: nothing to count. */
const NO_METRICS: MetricsRecorder = { request: () => {}, reload: () => {}, digest: () => {} };

/** One log line per request; chat requests at info, console and CLI ones at debug (they are the user's own). */
function requestLogger(logger: Logger | undefined, metrics: MetricsRecorder) {
  return (event: HandledEvent) => {
    metrics.request(event);
    if (!logger) return;
    const level = event.platform === 'slack' || event.platform === 'discord' ? 'info' : 'debug';
    logger[level]({
      requestId: event.requestId, adapter: event.platform, command: event.command, user: event.user,
      workspace: event.workspace, outcome: event.outcome, latencyMs: Math.round(event.latencyMs * 1000) / 1000,
    }, 'request');
  };
}

export async function createApp(config: Config, logger?: Logger, options: CreateAppOptions = {}): Promise<App> {
  const { shared } = options;
  const store = await DataStore.open(shared?.dataset.dataDir ?? config.DATA_DIR, {
    maxBytes: config.DATA_MAX_BYTES, readTimeoutMs: config.DATA_READ_TIMEOUT_MS, allowEmptySales: config.DATA_ALLOW_EMPTY_SALES,
    // Every reload (a NOTIFY, a digest run) first brings the local copy up to the database's head revision.
    ...(shared ? { beforeReload: () => shared.dataset.sync() } : {}),
  });
  // prom-client costs a start-up ~50 ms to load: only where HEALTH_PORT serves /metrics.
  const prometheus = config.HEALTH_PORT ? new (await import('./ops/metrics.js')).Metrics() : undefined;
  const metrics = prometheus ?? NO_METRICS;
  const subscriptions = shared ? new (await import('./subscriptions/pg-store.js')).PgSubscriptionStore(shared.pool) : new FileSubscriptionStore(config.STATE_DIR);
  const bot = new Bot({
    commands: bindSubscriptionCommands(commands, subscriptions),
    data: () => store.current,
    interpret,
    rateLimiter: new RateLimiter({ limit: config.RATE_LIMIT_PER_MINUTE }),
    // Shared mode: counted across instances first (Bot.admit); the local limit stays as the floor.
    ...(shared ? { sharedRateLimiter: shared.rateLimiter } : {}),
    allowedWorkspaces: { slack: config.ALLOWED_SLACK_TEAMS, discord: config.ALLOWED_DISCORD_GUILDS },
    onHandled: requestLogger(logger, metrics),
    ...(logger ? { logger } : {}),
  });
  return { config, store, bot, metrics, subscriptions, ...(prometheus ? { prometheus } : {}), ...(shared ? { shared } : {}) };
}

/** Start-up failures a user can fix (bad data, bad config) print their message alone: no stack trace. */
export function exitOnStartupError(err: unknown): never {
  if (err instanceof UserError) process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`Could not start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(2);
}
