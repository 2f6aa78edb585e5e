/**
 * The shared rate limit when the database hangs rather than refuses (a dropped network, a stuck server): a TCP relay
 * on 127.0.0.1 in front of the test PostgreSQL is frozen, so queries get no answer at all. Requests are still
 * decided within the deadline, by the in-memory insurance limiter, and the shared count is used again once the
 * database answers.
 */
import { createServer, type Server, type Socket, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openPool, type Pool } from '../../src/shared/db.js';
import { SharedRateLimiter } from '../../src/shared/rate-limit.js';
import { postgresAvailability, startPostgres, type TestPostgres } from '../support/postgres.js';

/** Forwards 127.0.0.1:port to PostgreSQL; while frozen it forwards nothing, in either direction. */
class Relay {
  frozen = false;
  private readonly sockets = new Set<Socket>();
  private constructor(readonly server: Server, readonly port: number) {}

  static async start(target: URL): Promise<Relay> {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const relay = new Relay(server, (server.address() as { port: number }).port);
    server.on('connection', (client) => {
      const upstream = connect(Number(target.port), target.hostname);
      for (const s of [client, upstream]) {
        relay.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => relay.sockets.delete(s));
      }
      client.on('data', (d) => relay.frozen || upstream.write(d));
      upstream.on('data', (d) => relay.frozen || client.write(d));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    return relay;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server.close(r));
  }
}

describe.skipIf(!postgresAvailability().available)('the shared rate limit when the database hangs', () => {
  let pg: TestPostgres;
  let relay: Relay;
  let pool: Pool;

  beforeAll(async () => {
    pg = await startPostgres();
    const url = new URL(await pg.database());
    relay = await Relay.start(url);
    const relayed = new URL(url);
    relayed.port = String(relay.port);
    pool = await openPool(relayed.toString(), { max: 4 });
    await migrate(pool);
  }, 60_000);
  afterAll(async () => {
    relay.frozen = false;
    await relay?.close();
    await pool?.end().catch(() => undefined);
    await pg?.stop();
  });

  it('decides within the deadline from memory, keeps refusing a user already over the limit, and counts in the database again afterwards', async () => {
    const limiter = new SharedRateLimiter({ pool, limit: 2, deadlineMs: 300 });
    const other = new SharedRateLimiter({ pool, limit: 2, deadlineMs: 300 });
    // U1 goes over the limit while the database answers: the second instance agrees.
    expect((await limiter.check('slack:U1')).allowed).toBe(true);
    expect((await other.check('slack:U1')).allowed).toBe(true);
    expect(await limiter.check('slack:U1')).toMatchObject({ allowed: false, warn: true });

    relay.frozen = true;
    const timed = async (key: string) => {
      const started = performance.now();
      const decision = await limiter.check(key);
      return { decision, ms: performance.now() - started };
    };
    // Refused at once, from memory: the database had already counted U1 over the limit in this window.
    const refused = await timed('slack:U1');
    expect(refused.decision).toMatchObject({ allowed: false, warn: false });
    expect(refused.ms).toBeLessThan(100);
    // U2 is unknown here: each request waits the deadline (not TCP's minutes), then the insurance limiter counts.
    const decisions = [await timed('slack:U2'), await timed('slack:U2'), await timed('slack:U2')];
    expect(decisions.map((d) => d.decision.allowed)).toEqual([true, true, false]);
    expect(decisions[2]!.decision).toMatchObject({ warn: true });
    for (const d of decisions) expect(d.ms).toBeLessThan(2_000);

    relay.frozen = false;
    // The hung connections were dropped; new ones reach the database, whose count for U3 both instances share.
    expect((await limiter.check('slack:U3')).allowed).toBe(true);
    expect((await other.check('slack:U3')).allowed).toBe(true);
    expect((await limiter.check('slack:U3')).allowed).toBe(false);
    const { rows } = await pool.query<{ points: number }>("SELECT points FROM rate_limits WHERE key = 'rl:slack:U3'");
    expect(rows[0]!.points).toBe(3);
  }, 30_000);
});
