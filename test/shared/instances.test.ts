/**
 * Three `npm start` processes (src/main.ts) on one PostgreSQL: each serves the database's dataset, and a
 * `npm run data:push` on one machine is served by all three (their /healthz) within 5 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../support/child.js';
import { dataDirWithMonths } from '../schedule/helpers.js';
import { BUNDLED_DATA, removeDataDirs } from '../support/data-dir.js';
import { postgresAvailability, startPostgres, type TestPostgres } from '../support/postgres.js';
import { BotProcess, freePort } from '../support/process.js';

interface Health { dataset: { version: string; revision: number | null; source?: string; months: number } }

describe.skipIf(!postgresAvailability().available)('three bot processes on one database', () => {
  let pg: TestPostgres;
  let url: string;
  const bots: BotProcess[] = [];

  beforeAll(async () => {
    pg = await startPostgres();
    url = await pg.database();
  }, 60_000);
  afterAll(async () => {
    for (const b of bots) await b.kill();
    await pg?.stop();
    removeDataDirs();
  });

  async function health(port: number): Promise<Health> {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    return (await res.json()) as Health;
  }

  it('refuses to start on an empty database, then serves one revision on all three after data:push, and the next push', async () => {
    const empty = BotProcess.start({ DATABASE_URL: url, LOG_LEVEL: 'warn' });
    bots.push(empty);
    const exit = await empty.exited;
    expect(exit.code).toBe(2);
    expect(empty.stderr).toMatch(/^The database holds no dataset yet: push one with "npm run data:push"/m);
    expect(empty.stderr).not.toContain('Could not start');

    const pushed = await runScript('src/cli/data-push.ts', ['--data-dir', BUNDLED_DATA], { env: { DATABASE_URL: url.replace('postgres@', 'postgres:secret@') } });
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toMatch(/^Pushed .* to postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/\w+ as revision 1 \(version \w+: \d+ figures/);
    expect(pushed.stdout).not.toContain('secret');

    const ports = [await freePort(), await freePort(), await freePort()];
    for (const port of ports) bots.push(BotProcess.start({ DATABASE_URL: url, HEALTH_PORT: String(port), LOG_LEVEL: 'info', DATA_DIR: '/nonexistent' }));
    const running = bots.slice(1);
    await Promise.all(running.map((b, i) => b.waitFor(async () => (await health(ports[i]!)).dataset.revision === 1, 'serving revision 1')));
    const first = await Promise.all(ports.map(health));
    expect(new Set(first.map((h) => h.dataset.version)).size).toBe(1);
    expect(first[0]!.dataset.source).toBe('database');

    const june = await runScript('src/cli/data-push.ts', ['--data-dir', dataDirWithMonths('2025-06')], { env: { DATABASE_URL: url } });
    expect(june.code, june.stderr).toBe(0);
    // Every instance serves revision 2: within seconds on an idle machine; bounded at 30 s for a loaded CI machine.
    await Promise.all(running.map((b, i) => b.waitFor(async () => (await health(ports[i]!)).dataset.revision === 2, 'serving revision 2', 30_000)));
    const second = await Promise.all(ports.map(health));
    expect(new Set(second.map((h) => h.dataset.version)).size).toBe(1);
    expect(second[0]!.dataset.version).not.toBe(first[0]!.dataset.version);
    expect(second.map((h) => h.dataset.months)).toEqual([3, 3, 3]);
    for (const b of running) expect(b.stderr).not.toContain('secret');

    // A spreadsheet import into the database: the same checks and summary as the file import, then a new revision.
    const dry = await runScript('src/cli/data-import.ts', ['data/samples/figures-2025-06.csv', '--database', '--dry-run'], { env: { DATABASE_URL: url } });
    // June is on record (pushed above) with other figures: refused, with the file import's own words.
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain('figures-2025-06.csv, row 2: Xiaomi, June 2025 is already 30,000 (exact; sources cpca)');
    expect(dry.stderr).toContain('Run again with --replace to overwrite it');
    const imported = await runScript('src/cli/data-import.ts', ['data/samples/figures-2025-06.csv', '--database', '--replace'], { env: { DATABASE_URL: url } });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/Wrote revision 3 to postgres:\/\/postgres@127\.0\.0\.1:\d+\/\w+ \(\d+ figures, based on revision 2\)/);
    await Promise.all(running.map((b, i) => b.waitFor(async () => (await health(ports[i]!)).dataset.revision === 3, 'serving revision 3', 30_000)));
  }, 120_000);
});
