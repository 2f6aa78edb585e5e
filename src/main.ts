/**
 * `npm start`: starts every adapter whose credentials are configured (the console when none are), the digest
 * scheduler, the data watcher and, with HEALTH_PORT, the health and metrics server. SIGTERM/SIGINT stop new
 * work, let replies in flight finish, close the clients and exit 0.
 */
import { createApp, exitOnStartupError } from './app.js';
import { ConsoleAdapter } from './adapters/console/console.js';
import { loadConfig, slackOAuthEnabled, type Config } from './config.js';
import type { Adapter } from './core/adapter.js';
import type { Bot } from './core/bot.js';
import type { ReloadResult } from './data/store.js';
import { DataWatcher } from './data/watch.js';
import { createConsoleLogger, createLogger, type Logger } from './log.js';
import { startHealthServer } from './ops/health.js';
import { createDigestPosters, createDigestScheduler } from './schedule/index.js';
import { SupervisedAdapter } from './ops/supervise.js';
import type { SharedMode } from './shared/index.js';
import { createDirectPosters, createSubscriptionEngine } from './subscriptions/index.js';

const SHUTDOWN_LIMIT_MS = 10_000;

/** Platform SDKs are imported only when configured, so an unused one costs no start-up time. */
function platformAdapters(config: Config, bot: Bot, logger: Logger, shared?: SharedMode): Adapter[] {
  const adapters: Adapter[] = [];
  if (config.SLACK_BOT_TOKEN || slackOAuthEnabled(config)) {
    adapters.push(new SupervisedAdapter({
      platform: 'slack', logger,
      // SLACK_PORT taken: no retry can fix that, so start-up stops (exit 2) with a message naming the variable.
      create: async () => (await import('./adapters/slack/index.js')).createSlackAdapter({ bot, config, logger, onPortUnavailable: exitOnStartupError, ...(shared ? { sharedEventIds: shared.eventIds, installations: shared.installations } : {}) }),
    }));
  }
  if (config.DISCORD_TOKEN) {
    adapters.push(new SupervisedAdapter({
      platform: 'discord', logger,
      create: async () => (await import('./adapters/discord/index.js')).createDiscordAdapter({ bot, config, logger }),
    }));
  }
  return adapters;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const serving = Boolean(config.SLACK_BOT_TOKEN || slackOAuthEnabled(config) || config.DISCORD_TOKEN);
  // The console is a person at a terminal: readable one-line messages; a served platform logs JSON lines.
  const logger = serving ? createLogger(config.LOG_LEVEL ?? 'info') : createConsoleLogger(config.LOG_LEVEL ?? 'warn');
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection (kept running)'));

  // Shared mode: dataset, digest ledger and schedule in PostgreSQL (src/shared); lazily imported, like the SDKs.
  const shared = config.DATABASE_URL ? await (await import('./shared/index.js')).openShared(config, logger) : undefined;
  const { bot, store, metrics, prometheus, subscriptions } = await createApp(config, logger, shared ? { shared } : {});
  // Built before anything starts, so a bad DIGEST_SCHEDULE stops start-up with its message.
  const digest = createDigestScheduler({
    bot, store, config, logger, posters: await createDigestPosters(config, logger, shared ? { slackInstallations: shared.installations } : {}),
    ...(shared ? { ledger: shared.ledger, trigger: shared.trigger } : {}),
    onRun: (report) => {
      for (const c of report.channels) {
        c.posted.forEach(() => metrics.digest(c.platform, 'posted'));
        c.failed.forEach(() => metrics.digest(c.platform, 'failed'));
      }
    },
  });
  // Subscriptions and alerts: DMs through the digest's ledger (exactly once per subscription and month).
  const dmPosters = await createDirectPosters(config, logger, { commandNames: bot.commands.map((c) => c.name), ...(shared ? { slackInstallations: shared.installations } : {}) });
  const subscriptionEngine = createSubscriptionEngine({ config, bot, store: subscriptions, ledger: digest.ledger, logger, posters: dmPosters });
  const platforms = platformAdapters(config, bot, logger, shared);
  const consoleAdapter = platforms.length === 0 ? new ConsoleAdapter({ bot }) : undefined;
  const adapters: Adapter[] = consoleAdapter ? [consoleAdapter] : platforms;

  const onReload = (r: ReloadResult) => {
    if (!r.ok) {
      metrics.reload('failed');
      logger.error({ err: r.error }, 'data reload rejected; the previous data keeps serving');
    } else {
      metrics.reload(r.changed ? 'ok' : 'unchanged');
      for (const warning of r.warnings) logger.warn({ version: r.index.version }, `data reloaded, but ${warning}`);
      if (r.changed) logger.info({ version: r.index.version, months: r.index.months.length }, 'data reloaded');
      if (r.changed) void subscriptionEngine.deliver();
    }
  };
  // Shared mode follows the database (LISTEN/NOTIFY) instead of watching DATA_DIR.
  const watcher = shared ? undefined : new DataWatcher({ store, onReload, onWarning: (message) => logger.warn(message) });
  watcher?.start();
  if (shared) await shared.dataset.follow(store, onReload);
  const health = config.HEALTH_PORT && prometheus
    ? await startHealthServer({ port: config.HEALTH_PORT, ...(config.LISTEN_HOST ? { host: config.LISTEN_HOST } : {}), adapters: () => adapters, store, metrics: prometheus,
      ...(shared ? { revision: () => shared.dataset.revisionOf(store.current.version) } : {}),
      // Discord's HTTP Interactions endpoint: answered by any instance, no gateway needed.
      ...(config.DISCORD_PUBLIC_KEY ? { handlers: { 'POST /discord/interactions': (await import('./adapters/discord/interactions.js')).interactionsHandler({ bot, publicKey: config.DISCORD_PUBLIC_KEY, logger }) } } : {}),
    })
    : undefined;
  if (config.DISCORD_PUBLIC_KEY && !config.HEALTH_PORT) logger.warn('DISCORD_PUBLIC_KEY is set but HEALTH_PORT is not: the Discord Interactions endpoint is served on HEALTH_PORT, so it is off');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    await Promise.allSettled([digest.stop(), subscriptionEngine.stop(), ...adapters.map((a) => a.stop()), watcher?.stop(), health?.close()]);
    await shared?.close();
    clearTimeout(force);
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await Promise.all(adapters.map((a) => a.start()));
  // Without a digest channel there is nothing to schedule (and no state directory to create).
  if (digest.targets.length > 0 || digest.findsChannels) await digest.start();
  // The console has nobody to message later: its subscriptions are kept, nothing is delivered (no STATE_DIR made).
  if (dmPosters.length > 0) await subscriptionEngine.start();
  logger.info({ adapters: adapters.map((a) => a.platform), dataset: store.current.version }, 'bot started');
  if (consoleAdapter) {
    await consoleAdapter.done;
    await shutdown('end of input');
  }
}

main().catch(exitOnStartupError);
