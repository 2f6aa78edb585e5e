/**
 * Slack delivers an event again when it thinks the first delivery failed (`X-Slack-Retry-Num`), and a signed
 * request can be replayed while its timestamp is fresh (five minutes). Both carry the same `event_id`: the
 * first one is answered, the others are not.
 */
export const DEDUP_WINDOW_MS = 5 * 60 * 1000;
/** Bounds memory under a flood of distinct ids (only signed requests get here). */
export const DEDUP_MAX_IDS = 50_000;

export class RecentIds {
  /** id → when first seen (ms); insertion order is age order. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs = DEDUP_WINDOW_MS,
    private readonly maxIds = DEDUP_MAX_IDS,
  ) {}

  /** True when `id` was already seen within the window; otherwise remembers it and returns false. */
  check(id: string, now: number): boolean {
    this.expire(now);
    if (this.seen.has(id)) return true;
    this.seen.set(id, now);
    if (this.seen.size > this.maxIds) {
      const oldest = this.seen.keys().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
    return false;
  }

  get size(): number {
    return this.seen.size;
  }

  private expire(now: number): void {
    for (const [id, at] of this.seen) {
      if (now - at < this.windowMs) break;
      this.seen.delete(id);
    }
  }
}
