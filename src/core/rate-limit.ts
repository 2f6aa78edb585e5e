/**
 * Per-user rate limit: at most `limit` requests per window. The first request over the limit gets one
 * "slow down" answer; the rest of that window gets none. Memory stays bounded: at most `maxUsers` windows are
 * kept, the oldest dropped first (a dropped user simply starts a fresh window).
 */

export type RateDecision = { allowed: true } | { allowed: false; warn: boolean; retryInSeconds: number };

export interface RateLimiterOptions {
  limit: number;
  windowMs?: number;
  maxUsers?: number;
  now?: () => number;
}

interface Window {
  start: number;
  count: number;
  warned: boolean;
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly windowMs: number;
  private readonly maxUsers: number;
  private readonly now: () => number;

  constructor(private readonly options: RateLimiterOptions) {
    this.windowMs = options.windowMs ?? 60_000;
    this.maxUsers = options.maxUsers ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  get trackedUsers(): number {
    return this.windows.size;
  }

  check(key: string): RateDecision {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0, warned: false };
      // Re-inserting keeps the Map in order of window start, so the first key is the oldest.
      this.windows.delete(key);
      this.windows.set(key, w);
      this.evict(now);
    }
    w.count++;
    if (w.count <= this.options.limit) return { allowed: true };
    const retryInSeconds = Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
    const warn = !w.warned;
    w.warned = true;
    return { allowed: false, warn, retryInSeconds };
  }

  private evict(now: number): void {
    for (const [key, w] of this.windows) {
      if (this.windows.size <= this.maxUsers && now - w.start < this.windowMs) break;
      this.windows.delete(key);
    }
  }
}

/**
 * Yes to the first call per key in each window, no to the rest: for a notice that is worth giving (or logging)
 * once, not on every request. Bounded like the limiter it is built on.
 */
export class OncePerWindow {
  private readonly limiter: RateLimiter;

  constructor(options: Omit<RateLimiterOptions, 'limit'> = {}) {
    this.limiter = new RateLimiter({ ...options, limit: 1 });
  }

  get trackedKeys(): number {
    return this.limiter.trackedUsers;
  }

  first(key: string): boolean {
    return this.limiter.check(key).allowed;
  }
}
