/**
 * The per-user rate limit shared by every instance: rate-limiter-flexible's PostgreSQL store (table `rate_limits`),
 * with an in-memory insurance limiter that takes over while the database cannot be reached (the limit then holds
 * per instance). The decision has the same shape as the in-memory `RateLimiter`'s, so a refusal reads the same:
 * the first request over the limit in a window is told to slow down, the rest get nothing.
 */
import type { QueryConfig, QueryResult } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateDecision } from '../core/rate-limit.js';
import type { Pool } from './db.js';

/** How long a request waits for the database before the insurance limiter decides (Slack wants an answer in 3 s). */
export const RATE_LIMIT_DEADLINE_MS = 1_000;

export interface SharedRateLimiterOptions {
  pool: Pool;
  limit: number;
  windowMs?: number;
  deadlineMs?: number;
}

/**
 * The pool as rate-limiter-flexible's store, with a deadline: a database that hangs (a dropped network, a stuck
 * server) fails the query like one that refuses connections, so the insurance limiter answers instead of the
 * request waiting for TCP to give up. `query_timeout` also makes the pool drop the hung connection.
 */
function storeWithDeadline(pool: Pool, ms: number) {
  return {
    query(q: QueryConfig): Promise<QueryResult> {
      return new Promise((resolve, reject) => {
        // The pool's wait for a free or new connection is not covered by query_timeout.
        const timer = setTimeout(() => reject(new Error(`rate limit: no answer from the database within ${ms} ms`)), ms);
        pool.query({ ...q, query_timeout: ms } as QueryConfig).then(resolve, reject).finally(() => clearTimeout(timer));
      });
    },
  };
}

export class SharedRateLimiter {
  private readonly limiter: RateLimiterPostgres;
  private readonly limit: number;

  constructor(options: SharedRateLimiterOptions) {
    const duration = Math.max(1, Math.round((options.windowMs ?? 60_000) / 1000));
    this.limit = options.limit;
    this.limiter = new RateLimiterPostgres({
      storeClient: storeWithDeadline(options.pool, options.deadlineMs ?? RATE_LIMIT_DEADLINE_MS), storeType: 'pool',
      tableName: 'rate_limits', tableCreated: true, keyPrefix: 'rl', points: options.limit, duration, clearExpiredByTimeout: false,
      // Once the database has counted a user over the limit, this instance refuses them from memory until the window
      // ends: a user who floods costs no queries, and the refusal is the one the database would give.
      inMemoryBlockOnConsumed: options.limit + 1,
      insuranceLimiter: new RateLimiterMemory({ points: options.limit, duration, keyPrefix: 'rl' }),
    });
  }

  /** Counts one request for `key` across every instance. Never rejects for a database failure (insurance). */
  async check(key: string): Promise<RateDecision> {
    try {
      await this.limiter.consume(key, 1);
      return { allowed: true };
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      const retryInSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      // Exactly one request per window is the first over the limit: the one that made the count limit + 1 (a refusal
      // from memory counts 0 points, so it never warns again).
      return { allowed: false, warn: res.consumedPoints === this.limit + 1, retryInSeconds };
    }
  }
}
