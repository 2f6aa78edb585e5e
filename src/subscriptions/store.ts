/**
 * Where subscriptions are kept, so they survive restarts: one JSON file under STATE_DIR (written to a temp file,
 * fsynced and renamed, so a crash never leaves half a file), or PostgreSQL in shared mode (./pg-store.ts).
 * Both enforce the per-user limit and refuse a duplicate as part of the same write.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { errCode, replaceDurable } from '../schedule/durable.js';
import { subscriptionKey, subscriptionSchema, type Subscription, type SubscriptionPlatform } from './schema.js';

/** How many subscriptions and alerts one person may have (each is a DM or a post per new month). */
export const SUBSCRIPTION_LIMIT = 20;

export type AddResult =
  | { kind: 'added'; subscription: Subscription }
  | { kind: 'exists'; subscription: Subscription }
  | { kind: 'limit'; count: number; limit: number };

export interface SubscriptionStore {
  /** Every subscription, for delivery. */
  all(): Promise<Subscription[]>;
  /** One person's subscriptions (DMs and the channel ones they made), oldest first. */
  of(platform: SubscriptionPlatform, owner: string): Promise<Subscription[]>;
  /** Adds it unless its owner already has the same one or `limit` of them. */
  add(subscription: Subscription, limit?: number): Promise<AddResult>;
  /** Removes the owner's subscriptions with these ids; returns the ones removed. */
  remove(platform: SubscriptionPlatform, owner: string, ids: readonly string[]): Promise<Subscription[]>;
}

const fileSchema = z.object({ v: z.literal(1), subscriptions: z.array(subscriptionSchema) });

/** Decides an add against the owner's current subscriptions (shared by both stores). */
export function decideAdd(mine: readonly Subscription[], subscription: Subscription, limit: number): AddResult {
  const key = subscriptionKey(subscription);
  const existing = mine.find((s) => subscriptionKey(s) === key);
  if (existing) return { kind: 'exists', subscription: existing };
  if (mine.length >= limit) return { kind: 'limit', count: mine.length, limit };
  return { kind: 'added', subscription };
}

const ownedBy = (platform: SubscriptionPlatform, owner: string) => (s: Subscription) => s.platform === platform && s.owner === owner;

/**
 * `STATE_DIR/subscriptions/subscriptions.json`. Writes are serialised within the process; the bot is the only
 * writer (one process per STATE_DIR, as for the digest's claims).
 */
export class FileSubscriptionStore implements SubscriptionStore {
  readonly file: string;
  private queue: Promise<unknown> = Promise.resolve();
  private seq = 0;

  constructor(stateDir: string) {
    this.file = path.resolve(stateDir, 'subscriptions', 'subscriptions.json');
  }

  async all(): Promise<Subscription[]> {
    await this.queue.catch(() => undefined);
    return this.read();
  }

  async of(platform: SubscriptionPlatform, owner: string): Promise<Subscription[]> {
    return (await this.all()).filter(ownedBy(platform, owner));
  }

  add(subscription: Subscription, limit = SUBSCRIPTION_LIMIT): Promise<AddResult> {
    return this.update((all) => {
      const result = decideAdd(all.filter(ownedBy(subscription.platform, subscription.owner)), subscription, limit);
      return { next: result.kind === 'added' ? [...all, subscription] : undefined, result };
    });
  }

  remove(platform: SubscriptionPlatform, owner: string, ids: readonly string[]): Promise<Subscription[]> {
    return this.update((all) => {
      const removed = all.filter((s) => ownedBy(platform, owner)(s) && ids.includes(s.id));
      return { next: removed.length > 0 ? all.filter((s) => !removed.includes(s)) : undefined, result: removed };
    });
  }

  /** Read, change, write back atomically; one change at a time. */
  private update<T>(change: (all: Subscription[]) => { next: Subscription[] | undefined; result: T }): Promise<T> {
    const run = this.queue.catch(() => undefined).then(async () => {
      const { next, result } = change(await this.read());
      if (next) {
        await mkdir(path.dirname(this.file), { recursive: true });
        await replaceDurable(this.file, `${this.file}.${process.pid}.${++this.seq}.tmp`, { v: 1, subscriptions: next });
      }
      return result;
    });
    this.queue = run;
    return run;
  }

  private async read(): Promise<Subscription[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if (errCode(err) === 'ENOENT') return [];
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new Error(`${this.file}: not valid JSON (${(err as Error).message}); fix or remove it`);
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) throw new Error(`${this.file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data.subscriptions;
  }
}
