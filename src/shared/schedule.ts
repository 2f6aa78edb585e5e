/**
 * The digest schedule across instances, with pg-boss: every instance registers the same cron (an upsert), pg-boss
 * turns each due time into one job (its timekeeper sends at most one per schedule and minute), and the queue's
 * `stately` policy lets one instance at a time work it and keeps one more waiting: fires that come while a run is
 * under way (due times, catch-ups, `send`) add up to one run after it, since a run posts everything due. Whichever
 * instance takes the job runs the digest; the ledger still guards every (month, channel), so even a job run twice
 * posts nothing twice.
 */
import PgBoss from 'pg-boss';
import type { ScheduleTrigger } from '../schedule/scheduler.js';
import type { Logger } from '../log.js';

export const DIGEST_QUEUE = 'salesbot-digest';

export interface BossTriggerOptions {
  url: string;
  schedule: string;
  timezone: string;
  logger?: Logger;
  /** How often an idle worker asks for a job (default 2 s) and the timekeeper checks the cron (default 30 s). */
  pollingIntervalSeconds?: number;
  cronMonitorIntervalSeconds?: number;
}

/** deadlock_detected, serialization_failure, unique_violation: a race with another instance, not a failure. */
const RACES = new Set(['40P01', '40001', '23505']);

async function whenSettled(work: () => Promise<unknown>, attempts = 6): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await work();
      return;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (attempt >= attempts || typeof code !== 'string' || !RACES.has(code)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
    }
  }
}

export class BossTrigger implements ScheduleTrigger {
  readonly boss: PgBoss;
  private started = false;

  constructor(private readonly options: BossTriggerOptions) {
    this.boss = new PgBoss({
      connectionString: options.url, schema: 'pgboss', application_name: 'sales-bot schedule', max: 3,
      ...(options.cronMonitorIntervalSeconds ? { cronMonitorIntervalSeconds: options.cronMonitorIntervalSeconds, cronWorkerIntervalSeconds: options.cronMonitorIntervalSeconds } : {}),
    });
    this.boss.on('error', (err: Error) => options.logger?.warn({ err: { message: err.message } }, 'digest: pg-boss reported an error'));
  }

  async start(fire: () => Promise<void>): Promise<void> {
    const { schedule, timezone, logger } = this.options;
    await this.boss.start();
    this.started = true;
    // Replicas starting together create the same queue and schedule at once; PostgreSQL may pick one as a deadlock
    // victim (or see the other's row first). Nothing is half-done then: asking again settles it.
    await whenSettled(() => this.boss.createQueue(DIGEST_QUEUE, { name: DIGEST_QUEUE, policy: 'stately', retryLimit: 0, expireInSeconds: 60 * 60 }));
    await whenSettled(() => this.boss.schedule(DIGEST_QUEUE, schedule, { kind: 'scheduled' }, { tz: timezone }));
    await this.boss.work(DIGEST_QUEUE, { pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2 }, async (jobs) => {
      for (const job of jobs) {
        logger?.info({ job: job.id, data: job.data }, 'digest: this instance runs the digest');
        await fire();
      }
    });
  }

  /** Asks for a catch-up run; instances asking for the same scheduled time get one job between them. */
  async catchUp(previousScheduled: Date | undefined, reason: string): Promise<void> {
    await this.send({ kind: 'catch-up', reason }, `catch-up:${previousScheduled?.toISOString() ?? 'start'}`);
  }

  /** One run by whichever instance takes it (tests, and `fire` from outside the cron). */
  async send(data: object, singletonKey?: string): Promise<string | null> {
    return this.boss.send(DIGEST_QUEUE, data, { ...(singletonKey ? { singletonKey, singletonHours: 24 } : {}), retryLimit: 0 });
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: 8_000 });
  }
}
