/**
 * Slack event ids answered by any instance: a retry (`X-Slack-Retry-Num`) or replay of the same `event_id` that a
 * load balancer sends to another instance is acknowledged there and not answered again. The row's primary key
 * decides; ids older than the replay window are deleted now and then.
 */
import { DEDUP_WINDOW_MS } from '../adapters/slack/dedup.js';
import type { Pool } from './db.js';

export class SharedEventIds {
  private lastSweep = 0;

  constructor(private readonly pool: Pool, private readonly windowMs = DEDUP_WINDOW_MS) {}

  /** True when `id` was already taken by some instance within the window; otherwise takes it and returns false. */
  async check(id: string, now = Date.now()): Promise<boolean> {
    if (now - this.lastSweep > this.windowMs) {
      this.lastSweep = now;
      await this.pool.query('DELETE FROM slack_events WHERE seen_at < $1', [new Date(now - this.windowMs)]);
    }
    const { rowCount } = await this.pool.query(
      `INSERT INTO slack_events (event_id, seen_at) VALUES ($1, $2)
       ON CONFLICT (event_id) DO UPDATE SET seen_at = EXCLUDED.seen_at WHERE slack_events.seen_at < $3`,
      [id, new Date(now), new Date(now - this.windowMs)],
    );
    return rowCount === 0;
  }
}
