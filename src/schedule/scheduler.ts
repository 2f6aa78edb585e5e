/**
 * When runs happen: on the DIGEST_SCHEDULE cron in DIGEST_TIMEZONE (croner), once at start-up when the ledger shows
 * a channel missed a scheduled run (see `dueAtStart`), and again after a run with a failed post, backing off, until
 * every post has gone out. Runs never overlap; `stop()` waits for the one in progress.
 */
import { Cron, type CronOptions } from 'croner';
import type { Logger } from '../log.js';
import type { RunReport } from './run.js';
import type { DigestLedger } from './ledger.js';
import { validateSchedule, type ScheduleConfig } from './validate.js';

/** Croner options a test (or a deployment) may set: e.g. `startAt`/`stopAt`, `unref`. */
export type SchedulerCronOptions = Pick<CronOptions, 'startAt' | 'stopAt' | 'unref'>;

export interface SchedulerOptions {
  config: ScheduleConfig;
  logger: Logger;
  state: DigestLedger;
  run: () => Promise<RunReport>;
  now: () => Date;
  /**
   * Why a run is due at start-up, decided from the ledger (what was posted), given the last scheduled time before
   * now; undefined when none is. Without it nothing is caught up at start-up.
   */
  dueAtStart?: (previousScheduled: Date | undefined) => Promise<string | undefined>;
  /** Waits before retrying after a run with a failed post; the last one repeats. */
  retryDelaysMs?: readonly number[];
  cron?: SchedulerCronOptions;
  onRun?: (report: RunReport) => void;
  /** Several instances: the schedule fires through this, once per period across them (default: croner, here). */
  trigger?: ScheduleTrigger;
}

/**
 * Who fires the schedule when several instances share one ledger (src/shared/schedule.ts: pg-boss): the cron then
 * only computes times here, and `start` hands over the function one instance calls per period.
 */
export interface ScheduleTrigger {
  start(fire: () => Promise<void>): Promise<void>;
  /** A catch-up run, done by one instance (the others' requests for the same scheduled time are dropped). */
  catchUp(previousScheduled: Date | undefined, reason: string): Promise<void>;
  stop(): Promise<void>;
}

export const DEFAULT_RETRY_DELAYS_MS = [5 * 60_000, 15 * 60_000, 60 * 60_000, 3 * 60 * 60_000] as const;

export class Scheduler {
  private cron: Cron | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: SchedulerOptions) {
    validateSchedule(options.config);
  }

  /**
   * Checks the state directory, follows the schedule, and starts a catch-up run when the ledger shows a missed
   * one; resolves with the reason for that run (it is under way, see `runOnce`), or undefined.
   */
  async start(): Promise<string | undefined> {
    const { config, logger, state } = this.options;
    this.stopped = false;
    await state.check();
    this.cron = new Cron(config.DIGEST_SCHEDULE, {
      timezone: config.DIGEST_TIMEZONE,
      protect: true,
      catch: (err) => logger.error({ err }, 'digest: the scheduled run failed'),
      ...this.options.cron,
      // With a trigger the cron only computes times; the trigger fires.
      ...(this.options.trigger ? { paused: true } : {}),
    }, () => this.scheduled());
    await this.options.trigger?.start(() => this.scheduled());
    const missed = await this.missedRun();
    logger.info({ schedule: config.DIGEST_SCHEDULE, timezone: config.DIGEST_TIMEZONE, nextRun: this.nextRun()?.toISOString() }, 'digest: scheduler started');
    if (missed) {
      logger.info({ reason: missed }, 'digest: catching up now');
      if (this.options.trigger) await this.options.trigger.catchUp(this.cron.previousRuns(1, this.options.now())[0] ?? undefined, missed);
      else void this.runOnce().catch(() => undefined);
    }
    return missed;
  }

  /** Stops the schedule and any retry, and waits for a run in progress (a post cut short would be in doubt). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.options.trigger?.stop().catch(() => undefined);
    this.cron?.stop();
    this.cron = undefined;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.chain.catch(() => undefined);
  }

  /** The next scheduled run after `from` (default now), in real time; null when the schedule never fires again. */
  nextRun(from?: Date): Date | null {
    const cron = this.cron ?? new Cron(this.options.config.DIGEST_SCHEDULE, { timezone: this.options.config.DIGEST_TIMEZONE, paused: true });
    return cron.nextRun(from ?? this.options.now());
  }

  /** One run now; a call made while a run is in progress waits for it and then runs again. */
  runOnce(): Promise<RunReport> {
    const next = this.chain.catch(() => undefined).then(() => this.runAndRecord());
    this.chain = next;
    return next;
  }

  private async scheduled(): Promise<void> {
    await this.runOnce().catch(() => undefined);
  }

  private async runAndRecord(): Promise<RunReport> {
    const { logger, state } = this.options;
    let report: RunReport;
    try {
      report = await this.options.run();
    } catch (err) {
      logger.error({ err }, 'digest: the run failed');
      this.scheduleRetry();
      throw err;
    }
    try {
      await state.recordRun(report.finishedAt, report.ok);
    } catch (err) {
      logger.error({ err }, 'digest: could not record the run time');
    }
    if (report.ok) {
      this.failures = 0;
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    } else {
      this.scheduleRetry();
    }
    this.options.onRun?.(report);
    return report;
  }

  private scheduleRetry(): void {
    if (this.stopped || !this.cron) return; // one-shot runs (the CLI) leave retrying to the next invocation
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    const delay = delays[Math.min(this.failures, delays.length - 1)] ?? DEFAULT_RETRY_DELAYS_MS[0];
    this.failures++;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.runOnce().catch(() => undefined), delay);
    this.retryTimer.unref?.();
    this.options.logger.warn({ retryInMs: delay, attempt: this.failures }, 'digest: a post failed; retrying later');
  }

  /**
   * Why a run is due at start-up, from the ledger (`dueAtStart`); `last-run.json` is only reported when corrupt
   * and rewritten, never trusted: a missing or broken file must not hide a missed month.
   */
  private async missedRun(): Promise<string | undefined> {
    const { state, now, logger } = this.options;
    const last = await state.lastRun();
    if (last.state === 'corrupt') {
      logger.warn({ file: last.file, problem: last.problem }, `digest: ${last.file} is corrupt (${last.problem}); catch-up is decided from the ledger, and the file is rebuilt`);
    }
    const previous = this.cron?.previousRuns(1, now())[0] ?? undefined;
    const due = await this.options.dueAtStart?.(previous);
    if (last.state !== 'ok') {
      try {
        await state.recordRun(now(), due === undefined);
      } catch (err) {
        logger.error({ err, file: last.file }, 'digest: could not rebuild the last-run file');
      }
    }
    return due;
  }
}
