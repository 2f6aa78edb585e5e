/**
 * The monthly leadership digest: posts `/digest <month>` to DIGEST_SLACK_CHANNEL / DIGEST_DISCORD_CHANNEL on the
 * DIGEST_SCHEDULE, exactly once per (month, channel), through whichever posters are configured.
 *
 * Wiring (main): `createDigestScheduler({ bot, store, config, logger, posters: await createDigestPosters(config, logger) })`
 * right after `createApp` (it throws `ConfigError` for a bad DIGEST_SCHEDULE, so create it even with no channel),
 * `await digest.start()` (idle without channels; throws `ConfigError` for an unwritable STATE_DIR), and on shutdown
 * `await digest.stop()`, which waits for a post in flight (a post cut short by exit is left in doubt).
 */
import type { Config } from '../config.js';
import type { Poster } from '../core/adapter.js';
import type { Bot } from '../core/bot.js';
import type { Platform } from '../core/request.js';
import type { DataStore } from '../data/store.js';
import type { Logger } from '../log.js';
import { runDigests, type DigestTarget, type RunReport } from './run.js';
import { Scheduler, type ScheduleTrigger, type SchedulerCronOptions } from './scheduler.js';
import type { DigestLedger } from './ledger.js';
import { formatMonth } from '../sales/months.js';
import type { YearMonth } from '../data/schema.js';
import { planChannel } from './plan.js';
import { DigestState, type EntryStatus } from './state.js';

export type DigestConfig = Pick<Config, 'DIGEST_SCHEDULE' | 'DIGEST_TIMEZONE' | 'DIGEST_SLACK_CHANNEL' | 'DIGEST_DISCORD_CHANNEL' | 'STATE_DIR'>;

export interface DigestSchedulerOptions {
  bot: Bot;
  store: DataStore;
  config: DigestConfig;
  logger: Logger;
  posters: readonly Poster[];
  /** The clock for records and catch-up decisions (croner reads the real `Date`, which fake timers replace). */
  now?: () => Date;
  cron?: SchedulerCronOptions;
  /** Default 2 minutes. */
  postTimeoutMs?: number;
  retryDelaysMs?: readonly number[];
  /** A claim older than this is in doubt even if its pid looks alive. Default 15 minutes. */
  staleAfterMs?: number;
  /**
   * An in-doubt post the channel does not show this long after it was made is posted again (where the platform
   * lets the bot read its own messages: Slack). Default 2 minutes.
   */
  settleMs?: number;
  /** Called after every run (metrics, health, tests). */
  onRun?: (report: RunReport) => void;
  /** Shared mode: the ledger in PostgreSQL (default: files under STATE_DIR). */
  ledger?: DigestLedger;
  /** Shared mode: the schedule fires once per period across instances (default: croner in this process). */
  trigger?: ScheduleTrigger;
}

export interface DigestScheduler {
  /** Where digests go: one entry per configured channel with a poster for its platform. */
  readonly targets: readonly DigestTarget[];
  /** Some poster finds channels by itself (Slack in many workspaces), listed again before every run. */
  readonly findsChannels: boolean;
  /** The file ledger under STATE_DIR (what `ledger` is, unless a shared ledger was given). */
  readonly state: DigestState;
  /** The ledger the runs use. */
  readonly ledger: DigestLedger;
  /** Resolves with the reason for a catch-up run it started (from the ledger), or undefined. */
  start(): Promise<string | undefined>;
  stop(): Promise<void>;
  runOnce(): Promise<RunReport>;
  nextRun(from?: Date): Date | null;
}

/** Each platform's digest channel variable and the token its poster needs: the one place they are paired. */
export const DIGEST_CHANNELS = [
  { platform: 'slack', channel: 'DIGEST_SLACK_CHANNEL', needs: 'SLACK_BOT_TOKEN' },
  { platform: 'discord', channel: 'DIGEST_DISCORD_CHANNEL', needs: 'DISCORD_TOKEN' },
] as const satisfies readonly { platform: Platform; channel: keyof DigestConfig; needs: keyof Config }[];

/** Pairs each configured digest channel with the poster for its platform; warns about a channel with no poster. */
export function digestTargets(config: DigestConfig, posters: readonly Poster[], logger?: Logger): DigestTarget[] {
  const targets: DigestTarget[] = [];
  for (const vars of DIGEST_CHANNELS) {
    const channel = config[vars.channel];
    const poster = posters.find((p) => p.platform === vars.platform);
    if (channel && poster) targets.push({ poster, channel });
    else if (channel) logger?.warn(`${vars.channel} is set but ${vars.platform} is not configured (${vars.needs}): no digest goes to ${vars.platform}`);
  }
  return targets;
}

/** The configured targets, then the channels posters find by themselves (once each); a poster that cannot list waits. */
async function listTargets(configured: readonly DigestTarget[], posters: readonly Poster[], logger: Logger): Promise<DigestTarget[]> {
  const all = [...configured];
  for (const poster of posters) {
    if (!poster.channels) continue;
    try {
      for (const channel of await poster.channels()) {
        if (!all.some((t) => t.poster.platform === poster.platform && t.channel === channel)) all.push({ poster, channel });
      }
    } catch (err) {
      logger.error({ platform: poster.platform, err }, `digest: could not list the ${poster.platform} channels; they are tried on the next run`);
    }
  }
  return all;
}

/** Throws `ConfigError` for an invalid DIGEST_SCHEDULE; `start()` throws when STATE_DIR is not writable. */
export function createDigestScheduler(options: DigestSchedulerOptions): DigestScheduler {
  const { bot, store, config, posters } = options;
  const logger = options.logger.child({ component: 'digest' });
  const now = options.now ?? (() => new Date());
  const fileState = new DigestState(config.STATE_DIR, { now, ...(options.staleAfterMs !== undefined ? { staleAfterMs: options.staleAfterMs } : {}) });
  const state: DigestLedger = options.ledger ?? fileState;
  const targets = digestTargets(config, posters, logger);
  const findsChannels = posters.some((p) => p.channels);
  const run = async () => runDigests({
    bot, store, state, targets: await listTargets(targets, posters, logger), logger, now,
    postTimeoutMs: options.postTimeoutMs ?? 120_000, settleMs: options.settleMs ?? 120_000,
  });
  const scheduler = new Scheduler({
    config, logger, state, run, now,
    dueAtStart: async (previous) => dueAtStart(state, store.current.months, await listTargets(targets, posters, logger), previous),
    ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
    ...(options.cron ? { cron: options.cron } : {}),
    ...(options.onRun ? { onRun: options.onRun } : {}),
    ...(options.trigger ? { trigger: options.trigger } : {}),
  });
  return {
    targets,
    findsChannels,
    state: fileState,
    ledger: state,
    async start() {
      if (targets.length === 0 && !findsChannels) {
        logger.info('digest: no digest channel configured (DIGEST_SLACK_CHANNEL, DIGEST_DISCORD_CHANNEL); the scheduler stays idle');
        return undefined;
      }
      return scheduler.start();
    },
    stop: () => scheduler.stop(),
    runOnce: () => scheduler.runOnce(),
    nextRun: (from) => scheduler.nextRun(from),
  };
}

/** The latest moment the ledger shows activity for a month: its claim, or its record. */
function activityAt(status: EntryStatus): number {
  if (status.kind === 'unreadable') return Number.NEGATIVE_INFINITY;
  if (status.kind === 'posted') return Math.max(Date.parse(status.record.claimedAt), Date.parse(status.record.postedAt));
  return Date.parse(status.claim.claimedAt);
}

/**
 * Whether a run is due at start-up, from the ledger alone: a channel that has had digests, has months to post,
 * and whose last ledger activity is older than the last scheduled time (the bot was down then, or that run's
 * post failed), or that holds an in-doubt month its poster can check. A channel with no digest on record waits
 * for the schedule, as on a first start.
 */
export async function dueAtStart(state: DigestLedger, months: readonly YearMonth[], targets: readonly DigestTarget[], previous: Date | undefined): Promise<string | undefined> {
  const reasons: string[] = [];
  for (const { poster, channel } of targets) {
    const entries = await state.channel(poster.platform, channel);
    const plan = planChannel(months, entries);
    const where = `${poster.platform} channel ${channel}`;
    if (poster.findPosted && plan.held.some((h) => h.status.kind === 'in-doubt' && h.status.why !== 'future')) {
      reasons.push(`${where} has a digest in doubt that can be checked in the channel`);
      continue;
    }
    if (plan.firstRun || plan.post.length === 0 || !previous) continue;
    const last = Math.max(...[...entries.values()].map(activityAt));
    if (previous.getTime() > last) {
      reasons.push(`${where} has ${plan.post.map(formatMonth).join(', ')} to post, and its last digest (${new Date(last).toISOString()}) is older than the run scheduled for ${previous.toISOString()}`);
    }
  }
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

export { validateSchedule } from './validate.js';
export { createDigestPosters } from './posters.js';
export { digestReply, type DigestTarget, type RunReport } from './run.js';
export type { DigestLedger } from './ledger.js';
export type { ScheduleTrigger } from './scheduler.js';
