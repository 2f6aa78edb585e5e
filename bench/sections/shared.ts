/**
 * Shared mode (DATABASE_URL): what PostgreSQL adds to the answer path, on a throwaway cluster on loopback (or
 * BENCH_DATABASE_URL). The rate limit is one upsert per request; its added latency is timed against the in-memory
 * limiter, and the shared operations a request costs (rate limit + Slack event de-dup) are run flat out by three
 * instances (three pools, as three processes would hold) against one.
 */
import { randomUUID } from 'node:crypto';
import { RateLimiter } from '../../src/core/rate-limit.js';
import { SharedEventIds } from '../../src/shared/dedup.js';
import { migrate, openPool, type Pool } from '../../src/shared/db.js';
import { SharedRateLimiter } from '../../src/shared/rate-limit.js';
import { findPostgresBin, startPostgres, type TestPostgres } from '../../test/support/postgres.js';
import { count, ms, times, type Line } from '../report.js';
import { nowMs, summarize, type Summary } from '../stats.js';

export interface SharedBenchOptions {
  /** Requests timed one after another for the latency. */
  n: number;
  /** Seconds each throughput run lasts, and requests in flight per instance. */
  seconds: number;
  concurrency: number;
}

export interface SharedResults {
  rateLimit: { memory: Summary; postgres: Summary; addedP99Ms: number };
  throughput: { one: number; three: number };
}

async function flatOut(instances: { limiter: SharedRateLimiter; dedup: SharedEventIds }[], seconds: number, concurrency: number): Promise<number> {
  const until = nowMs() + seconds * 1000;
  let done = 0;
  const lane = async (inst: { limiter: SharedRateLimiter; dedup: SharedEventIds }, lane: number) => {
    let i = 0;
    while (nowMs() < until) {
      await inst.dedup.check(randomUUID());
      await inst.limiter.check(`slack:U${lane}-${i++ % 50}`);
      done++;
    }
  };
  const started = nowMs();
  await Promise.all(instances.flatMap((inst, k) => Array.from({ length: concurrency }, (_, j) => lane(inst, k * 1000 + j))));
  return done / ((nowMs() - started) / 1000);
}

export async function benchShared(o: SharedBenchOptions): Promise<{ results?: SharedResults; lines: Line[] }> {
  const section = 'Shared mode (PostgreSQL)';
  let pg: TestPostgres | undefined;
  let url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    if (!findPostgresBin()) return { lines: [{ section, measure: 'skipped: no PostgreSQL binaries (initdb, pg_ctl) and no BENCH_DATABASE_URL', result: '—' }] };
    pg = await startPostgres();
    url = await pg.database();
  }
  const pools: Pool[] = [];
  try {
    const pool = async () => {
      const p = await openPool(url, { max: o.concurrency + 2 });
      pools.push(p);
      return p;
    };
    const first = await pool();
    await migrate(first);
    const memory = new RateLimiter({ limit: 1_000_000_000 });
    const shared = new SharedRateLimiter({ pool: first, limit: 1_000_000_000 });
    const users = Array.from({ length: o.n }, (_, i) => `slack:U${i % 500}`);
    // A bot runs for days: warm up (JIT, PostgreSQL's caches and plan, the pool's connection) before timing.
    for (let i = 0; i < Math.max(1000, o.n / 2); i++) await shared.check(users[i % users.length]!);
    const memSamples: number[] = [];
    const pgSamples: number[] = [];
    for (const u of users) {
      let t = nowMs();
      memory.check(u);
      memSamples.push(nowMs() - t);
      t = nowMs();
      await shared.check(u);
      pgSamples.push(nowMs() - t);
    }
    const mem = summarize(memSamples);
    const pgs = summarize(pgSamples);
    const added = pgs.p99 - mem.p99;

    const make = async () => {
      const p = await pool();
      return { limiter: new SharedRateLimiter({ pool: p, limit: 1_000_000_000 }), dedup: new SharedEventIds(p) };
    };
    const one = await flatOut([await make()], o.seconds, o.concurrency);
    const three = await flatOut([await make(), await make(), await make()], o.seconds, o.concurrency);
    const lines: Line[] = [
      {
        section, measure: `rate limit per request, PostgreSQL store vs in-memory: p50 / p99 (n=${count(o.n)}, loopback)`,
        result: `${ms(pgs.p50)} / ${ms(pgs.p99)}`, baseline: `in-memory p99 ${ms(mem.p99)}`, target: 'added p99 < 2.00 ms', ok: added < 2,
      },
      {
        section, measure: `shared work per request (event de-dup + rate limit), requests/s: three instances vs one (${o.concurrency} in flight each, ${o.seconds} s)`,
        result: `${count(Math.round(three))}/s`, baseline: `one instance ${count(Math.round(one))}/s`, ratio: times(three / one),
      },
    ];
    return { results: { rateLimit: { memory: mem, postgres: pgs, addedP99Ms: added }, throughput: { one, three } }, lines };
  } finally {
    for (const p of pools) await p.end().catch(() => undefined);
    await pg?.stop();
  }
}
