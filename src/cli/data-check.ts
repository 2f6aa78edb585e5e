/**
 * `npm run data:check [-- DIR]`: validates a dataset as the bot loads it and prints a summary.
 * Exit 0 valid, 1 invalid (every problem listed, up to 50), 2 bad configuration.
 */
import { parseArgs } from 'node:util';
import { formatSummary } from '../data/check.js';
import { dataCliConfig, exitOnError, usageError } from '../data/import/cli-support.js';
import { DatasetIndex } from '../data/index.js';
import { loadDataset } from '../data/load.js';

const USAGE = `Usage: npm run data:check [-- DIR]

  Validates DIR (default: DATA_DIR, or ./data) exactly as the bot loads it, and prints sellers, months
  covered, gaps, bounds and sources. Exit code 0 when valid, 1 when not.`;

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ options: { help: { type: 'boolean', short: 'h', default: false } }, allowPositionals: true, strict: true });
  } catch (err) {
    usageError(USAGE, (err as Error).message);
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (parsed.positionals.length > 1) usageError(USAGE, 'Give one directory.');
  const { dataDir, load } = dataCliConfig(parsed.positionals[0]);
  const loaded = await loadDataset(dataDir, load);
  const index = new DatasetIndex(loaded.data, loaded.version);
  process.stdout.write(`${formatSummary(dataDir, index).join('\n')}\n`);
}

main().catch(exitOnError);
