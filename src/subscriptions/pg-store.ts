/**
 * Subscriptions in PostgreSQL (shared mode): table `subscriptions`, one row per subscription with the validated
 * document in `doc`. An add locks its owner's rows (an advisory lock per owner, for the transaction), so two
 * instances cannot both let a person past the limit or add the same subscription twice.
 */
import type { Pool } from '../shared/db.js';
import { inTransaction } from '../shared/db.js';
import { subscriptionSchema, type Subscription, type SubscriptionPlatform } from './schema.js';
import { decideAdd, SUBSCRIPTION_LIMIT, type AddResult, type SubscriptionStore } from './store.js';

const parse = (rows: { doc: unknown }[]): Subscription[] => rows.map((r) => subscriptionSchema.parse(r.doc));

export class PgSubscriptionStore implements SubscriptionStore {
  constructor(private readonly pool: Pool) {}

  async all(): Promise<Subscription[]> {
    return parse((await this.pool.query<{ doc: unknown }>('SELECT doc FROM subscriptions ORDER BY created_at, id')).rows);
  }

  async of(platform: SubscriptionPlatform, owner: string): Promise<Subscription[]> {
    const { rows } = await this.pool.query<{ doc: unknown }>('SELECT doc FROM subscriptions WHERE platform = $1 AND owner = $2 ORDER BY created_at, id', [platform, owner]);
    return parse(rows);
  }

  add(subscription: Subscription, limit = SUBSCRIPTION_LIMIT): Promise<AddResult> {
    const { id, platform, owner, createdAt } = subscription;
    return inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`subscriptions:${platform}:${owner}`]);
      const { rows } = await client.query<{ doc: unknown }>('SELECT doc FROM subscriptions WHERE platform = $1 AND owner = $2', [platform, owner]);
      const result = decideAdd(parse(rows), subscription, limit);
      if (result.kind === 'added') {
        await client.query('INSERT INTO subscriptions (id, platform, owner, doc, created_at) VALUES ($1, $2, $3, $4, $5)', [id, platform, owner, JSON.stringify(subscription), createdAt]);
      }
      return result;
    });
  }

  async remove(platform: SubscriptionPlatform, owner: string, ids: readonly string[]): Promise<Subscription[]> {
    const { rows } = await this.pool.query<{ doc: unknown }>('DELETE FROM subscriptions WHERE platform = $1 AND owner = $2 AND id = ANY($3) RETURNING doc', [platform, owner, [...ids]]);
    return parse(rows);
  }
}
