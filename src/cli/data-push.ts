/**
 * `npm run data:push [-- --data-dir DIR]`: validates a data directory exactly as the bot loads it and writes it to
 * PostgreSQL (DATABASE_URL) as the new revision every instance serves; running instances reload within seconds.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { exitOnError, usageError } from '../data/import/cli-support.js';
import { loadDataset } from '../data/load.js';
import { pushDataset } from '../shared/dataset.js';
import { migrate, openPool, redactUrl } from '../shared/db.js';

const USAGE = `Usage: npm run data:push [-- --data-dir DIR]

  Writes the dataset in DATA_DIR (or DIR) to the database in DATABASE_URL, after checking it as the bot does.
  Every instance in shared mode serves it within seconds.`;

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } }, strict: true });
  } catch (err) {
    usageError(USAGE, (err as Error).message);
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new ConfigError(['DATABASE_URL: required by data:push (the database the instances share), e.g. postgres://bot:password@db.internal:5432/salesbot']);
  const dir = parsed.values['data-dir'] ?? config.DATA_DIR;
  const dataset = await loadDataset(dir, { maxBytes: config.DATA_MAX_BYTES, readTimeoutMs: config.DATA_READ_TIMEOUT_MS, allowEmptySales: config.DATA_ALLOW_EMPTY_SALES });
  const pool = await openPool(config.DATABASE_URL, { max: 2, name: 'sales-bot data:push' });
  try {
    await migrate(pool);
    const rev = await pushDataset(pool, dataset);
    const counts = `${dataset.data.sales.length.toLocaleString('en-US')} figures, ${dataset.data.companies.length.toLocaleString('en-US')} companies, ${dataset.data.events.length.toLocaleString('en-US')} events`;
    process.stdout.write(`Pushed ${dir} to ${redactUrl(config.DATABASE_URL)} as revision ${rev.revision} (version ${rev.version}: ${counts}). Running instances reload it by themselves.\n`);
  } finally {
    await pool.end();
  }
}

main().catch(exitOnError);
