/** Subscriptions in PostgreSQL (shared mode): the same limit and duplicate rules as the file, held across instances. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openPool, type Pool } from '../../src/shared/db.js';
import { PgSubscriptionStore } from '../../src/subscriptions/pg-store.js';
import type { Subscription } from '../../src/subscriptions/schema.js';
import { postgresAvailability, startPostgres, type TestPostgres } from '../support/postgres.js';

const sub = (n: number, owner = 'U1'): Subscription => ({
  id: `s${String(n).padStart(6, '0')}`, platform: 'slack', workspace: 'T1', owner, target: { kind: 'dm' },
  subject: { kind: 'alert', seller: 'xiaomi', condition: { measure: 'units', direction: 'above', units: n * 1000 } },
  since: '2025-05', createdAt: new Date(Date.UTC(2025, 5, 1, 0, 0, n)).toISOString(),
});

describe.skipIf(!postgresAvailability().available)('PgSubscriptionStore', () => {
  let pg: TestPostgres;
  let pools: Pool[];
  beforeAll(async () => {
    pg = await startPostgres();
    const url = await pg.database();
    pools = [await openPool(url), await openPool(url)];
    await migrate(pools[0]!);
  }, 60_000);
  afterAll(async () => {
    await Promise.all((pools ?? []).map((p) => p.end()));
    await pg?.stop();
  });

  it('lets two instances adding at once take a person to the limit and no further, and never adds one twice', async () => {
    const [a, b] = pools.map((p) => new PgSubscriptionStore(p)) as [PgSubscriptionStore, PgSubscriptionStore];
    // 24 different alerts, each sent to both instances at the same moment.
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => [a.add(sub(i + 1), 20), b.add(sub(i + 1), 20)]).flat());
    expect(results.filter((r) => r.kind === 'added')).toHaveLength(20);
    expect(results.filter((r) => r.kind === 'limit')[0]).toEqual({ kind: 'limit', count: 20, limit: 20 });
    const mine = await b.of('slack', 'U1');
    expect(mine).toHaveLength(20);
    expect(new Set(mine.map((s) => s.id)).size).toBe(20);
    // Another person is not held by it; a removal is seen by every instance.
    expect((await a.add(sub(99, 'U2'))).kind).toBe('added');
    expect(await a.remove('slack', 'U2', ['s000099', 's000001'])).toEqual([sub(99, 'U2')]);
    expect((await b.all()).map((s) => s.owner)).toEqual(Array(20).fill('U1'));
  });
});
