/**
 * Start-up check of the digest schedule: a cron expression that does not parse, or that never fires,
 * stops start-up with a message naming the variable (the same `ConfigError` the rest of the config uses).
 */
import { Cron } from 'croner';
import { ConfigError, DIGEST_SCHEDULE_FORM, fiveCronFields, validTimeZone, type Config } from '../config.js';

export type ScheduleConfig = Pick<Config, 'DIGEST_SCHEDULE' | 'DIGEST_TIMEZONE'>;

const EXAMPLE = DIGEST_SCHEDULE_FORM;

/** A paused croner job for the schedule: parses the expression in the configured time zone. */
export function scheduleCron(config: ScheduleConfig): Cron {
  return new Cron(config.DIGEST_SCHEDULE, { timezone: config.DIGEST_TIMEZONE, paused: true });
}

/** The problems with the schedule, as `VARIABLE: problem` lines; empty when it is usable. */
export function scheduleProblems(config: ScheduleConfig, from: Date = new Date()): string[] {
  const expr = JSON.stringify(config.DIGEST_SCHEDULE);
  if (!validTimeZone(config.DIGEST_TIMEZONE)) {
    return [`DIGEST_TIMEZONE: expected an IANA time zone such as UTC or Asia/Shanghai, got ${JSON.stringify(config.DIGEST_TIMEZONE)}`];
  }
  if (!fiveCronFields(config.DIGEST_SCHEDULE)) {
    return [`DIGEST_SCHEDULE: not a valid cron expression: expected ${EXAMPLE}, got ${expr}`];
  }
  let cron: Cron;
  try {
    cron = scheduleCron(config);
  } catch (err) {
    // croner's messages start with "CronPattern: "; the variable name says more to an operator.
    const why = (err instanceof Error ? err.message : String(err)).replace(/^CronPattern: /, '');
    return [`DIGEST_SCHEDULE: not a valid cron expression (${why}); expected ${EXAMPLE}, got ${expr}`];
  }
  if (cron.nextRun(from) === null) {
    return [`DIGEST_SCHEDULE: ${expr} never fires (e.g. February 31st); expected ${EXAMPLE}`];
  }
  return [];
}

/** Throws `ConfigError` when the schedule is unusable; call it at start-up, before anything connects. */
export function validateSchedule(config: ScheduleConfig, from?: Date): void {
  const problems = scheduleProblems(config, from);
  if (problems.length > 0) throw new ConfigError(problems);
}
