/**
 * The per-user rate limit shared by every instance: rate-limiter-flexible's PostgreSQL store (table `rate_limits`),
 * with an in-memory insurance limiter that takes over while the database cannot be reached (the limit then holds
 * per instance). The decision has the same shape as the in-memory `RateLimiter`'s, so a refusal reads the same:
 * the first request over the limit in a window is told to slow down, the rest get nothing.
 */
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateDecision } from '../core/rate-limit.js';
import type { Pool } from './db.js';

export interface SharedRateLimiterOptions {
  pool: Pool;
  limit: number;
  windowMs?: number;
}

export class SharedRateLimiter {
  private readonly limiter: RateLimiterPostgres;
  private readonly limit: number;

  constructor(options: SharedRateLimiterOptions) {
    const duration = Math.max(1, Math.round((options.windowMs ?? 60_000) / 1000));
    this.limit = options.limit;
    this.limiter = new RateLimiterPostgres({
      storeClient: options.pool, storeType: 'pool', tableName: 'rate_limits', tableCreated: true, keyPrefix: 'rl',
      points: options.limit, duration, clearExpiredByTimeout: false,
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
      // Exactly one request per window is the first over the limit: the one that made the count limit + 1.
      return { allowed: false, warn: res.consumedPoints === this.limit + 1, retryInSeconds };
    }
  }
}
