/**
 * The last answer in each conversation (a thread, a DM, the console), so a follow-up ("and in april?") can be
 * read against it. Bounded and expiring: a busy workspace cannot grow it without end, and an old thread starts
 * afresh. Keys carry the platform, workspace and channel, so one user's DM never serves another's.
 */
import { LRUCache } from 'lru-cache';
import type { Reply } from './reply.js';
import type { Origin } from './request.js';

export interface ConversationOptions {
  /** Conversations remembered at once; the least recently used goes first. Default 10,000. */
  max?: number;
  /** How long an answer stays the context of its thread. Default 30 minutes. */
  ttlMs?: number;
  /** The clock expiry is measured on (ms); tests pass their own. */
  now?: () => number;
}

export class ConversationMemory {
  private readonly last: LRUCache<string, Reply>;

  constructor({ max = 10_000, ttlMs = 30 * 60_000, now }: ConversationOptions = {}) {
    this.last = new LRUCache({ max, ttl: ttlMs, ttlResolution: 0, ...(now ? { perf: { now } } : {}) });
  }

  /** The last answer in this origin's conversation; none when the adapter named no thread. */
  previous(origin: Origin): Reply | undefined {
    const key = conversationKey(origin);
    return key === undefined ? undefined : this.last.get(key);
  }

  /** Only answers with a query become context: a notice or an apology leaves the previous answer in place. */
  remember(origin: Origin, reply: Reply): void {
    const key = conversationKey(origin);
    if (key !== undefined && reply.kind === 'answer' && reply.query) this.last.set(key, reply);
  }

  get size(): number {
    return this.last.size;
  }
}

function conversationKey(origin: Origin): string | undefined {
  if (origin.thread === undefined) return undefined;
  return JSON.stringify([origin.platform, origin.workspace ?? '', origin.channel ?? '', origin.thread]);
}
