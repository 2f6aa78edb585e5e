/**
 * `npm run data:import -- <file> --database`: the spreadsheet import, against the dataset in PostgreSQL. The head
 * revision is written to a temp directory, the ordinary import runs there (same checks, same messages), and the
 * result, validated again by the loader, is pushed as the next revision.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { loadDataset } from '../data/load.js';
import { importFigures } from '../data/import/run.js';
import { headRevision, NoDatasetError, pushDataset, writeRevision } from './dataset.js';
import { migrate, openPool, redactUrl } from './db.js';

export async function importIntoDatabase(options: { file: string; dryRun: boolean; replace: boolean }): Promise<number> {
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new ConfigError(['DATABASE_URL: required by data:import --database (the database the instances share)']);
  const load = { maxBytes: config.DATA_MAX_BYTES, readTimeoutMs: config.DATA_READ_TIMEOUT_MS, allowEmptySales: config.DATA_ALLOW_EMPTY_SALES };
  const pool = await openPool(config.DATABASE_URL, { max: 2, name: 'sales-bot data:import' });
  const dir = await mkdtemp(path.join(tmpdir(), 'salesbot-import-'));
  try {
    await migrate(pool);
    const head = await headRevision(pool);
    if (!head) {
      process.stderr.write(`${new NoDatasetError().message}\n`);
      return 1;
    }
    await writeRevision(pool, head.revision, dir);
    const report = await importFigures({ ...load, file: options.file, dataDir: dir, dryRun: options.dryRun, replace: options.replace });
    for (const p of report.problems) process.stderr.write(`${p}\n`);
    for (const line of report.lines) {
      if (line.startsWith('Wrote ')) continue;
      (report.ok ? process.stdout : process.stderr).write(`${line.replaceAll(dir + path.sep, '')}\n`);
    }
    if (!report.ok) return 1;
    if (report.written) {
      const rev = await pushDataset(pool, await loadDataset(dir, load));
      process.stdout.write(`Wrote revision ${rev.revision} to ${redactUrl(config.DATABASE_URL)} (${report.plan?.sales.length.toLocaleString('en-US') ?? '?'} figures, based on revision ${head.revision}). Every instance picks it up by itself.\n`);
    }
    return 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
    await pool.end();
  }
}
