/**
 * The last answers in each conversation (a thread, a DM, the console), so a follow-up ("and in april?", "compare
 * them") can be read against them. Bounded and expiring: a busy workspace cannot grow it without end, a
 * conversation keeps only its last few answers, and an old thread starts afresh. Keys carry the platform,
 * workspace and channel, so one user's DM never serves another's.
 */
import { LRUCache } from 'lru-cache';
import type { Reply } from './reply.js';
import type { Origin } from './request.js';

export interface ConversationOptions {
  /** Conversations remembered at once; the least recently used goes first. Default 10,000. */
  max?: number;
  /** How long a conversation's answers stay its context after the last one. Default 30 minutes. */
  ttlMs?: number;
  /** Answers kept per conversation ("compare them" may name the sellers of the last two). Default 3. */
  depth?: number;
  /** The clock expiry is measured on (ms); tests pass their own. */
  now?: () => number;
}

export class ConversationMemory {
  /** Per conversation, its last answers, newest first. */
  private readonly last: LRUCache<string, readonly Reply[]>;
  private readonly depth: number;

  constructor({ max = 10_000, ttlMs = 30 * 60_000, depth = 3, now }: ConversationOptions = {}) {
    this.depth = Math.max(1, depth);
    this.last = new LRUCache({ max, ttl: ttlMs, ttlResolution: 0, ...(now ? { perf: { now } } : {}) });
  }

  /** The last answer in this origin's conversation; none when the adapter named no thread. */
  previous(origin: Origin): Reply | undefined {
    return this.recent(origin)[0];
  }

  /** This conversation's last answers, newest first (at most `depth`); none outside a thread. */
  recent(origin: Origin): readonly Reply[] {
    const key = conversationKey(origin);
    return (key === undefined ? undefined : this.last.get(key)) ?? [];
  }

  /** Only answers with a query become context: a notice or an apology leaves the previous answers in place. */
  remember(origin: Origin, reply: Reply): void {
    const key = conversationKey(origin);
    if (key === undefined || reply.kind !== 'answer' || !reply.query) return;
    this.last.set(key, [reply, ...(this.last.get(key) ?? [])].slice(0, this.depth));
  }

  get size(): number {
    return this.last.size;
  }
}

function conversationKey(origin: Origin): string | undefined {
  if (origin.thread === undefined) return undefined;
  return JSON.stringify([origin.platform, origin.workspace ?? '', origin.channel ?? '', origin.thread]);
}
