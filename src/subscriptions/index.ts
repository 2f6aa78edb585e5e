/**
 * Wiring for `npm start`: the DM posters for the configured platforms (SDKs loaded only when configured) and the
 * engine, delivering through the digest's ledger with the replies the commands give.
 */
import type { SlackInstallations } from '../adapters/slack/installations.js';
import { slackOAuthEnabled, type Config } from '../config.js';
import type { Bot } from '../core/bot.js';
import type { Logger } from '../log.js';
import type { DigestLedger } from '../schedule/ledger.js';
import { digestReply } from '../schedule/run.js';
import { SubscriptionEngine, type DirectPoster } from './engine.js';
import type { SubscriptionStore } from './store.js';

export interface DirectPosterOptions {
  commandNames?: readonly string[];
  /** Slack in many workspaces, shared mode: installations in PostgreSQL (default: files under STATE_DIR). */
  slackInstallations?: SlackInstallations;
}

export async function createDirectPosters(config: Config, logger: Logger, { commandNames = [], slackInstallations }: DirectPosterOptions = {}): Promise<DirectPoster[]> {
  const posters: DirectPoster[] = [];
  if (config.SLACK_BOT_TOKEN || slackOAuthEnabled(config)) {
    posters.push((await import('../adapters/slack/dm.js')).createSlackDm({ config, logger, commandNames, ...(slackInstallations ? { installations: slackInstallations } : {}) }));
  }
  if (config.DISCORD_TOKEN) posters.push((await import('../adapters/discord/dm.js')).createDiscordDm({ config, logger }));
  return posters;
}

export interface SubscriptionsWiring {
  config: Pick<Config, 'DIGEST_SCHEDULE' | 'DIGEST_TIMEZONE'>;
  bot: Bot;
  store: SubscriptionStore;
  ledger: DigestLedger;
  posters: readonly DirectPoster[];
  logger: Logger;
  retryDelaysMs?: readonly number[];
  settleMs?: number;
}

export function createSubscriptionEngine({ config, bot, store, ledger, posters, logger, ...rest }: SubscriptionsWiring): SubscriptionEngine {
  return new SubscriptionEngine({
    store, ledger, posters, data: () => bot.data, logger: logger.child({ component: 'subscriptions' }),
    schedule: { cron: config.DIGEST_SCHEDULE, timezone: config.DIGEST_TIMEZONE },
    replies: {
      sales: (seller, month) => bot.handle({ kind: 'command', name: 'sales', text: `${seller} ${month}`, platform: 'schedule' }),
      digest: (month) => digestReply(bot, month),
    },
    ...rest,
  });
}
