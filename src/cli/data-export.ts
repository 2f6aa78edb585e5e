/**
 * `npm run data:export -- --format csv [--out FILE] [--data-dir DIR]`
 * Writes the sales in the import's columns, so `data:import` of the result changes nothing.
 */
import { parseArgs } from 'node:util';
import { dataCliConfig, exitOnError, usageError } from '../data/import/cli-support.js';
import { salesToCsv, writeFileAtomic } from '../data/import/write.js';
import { loadDataset } from '../data/load.js';

const USAGE = `Usage: npm run data:export -- --format csv [--out FILE] [--data-dir DIR]

  Writes one row per seller and month (seller, month, units, qualifier, reported_as, source, as_of, note)
  to FILE, or to standard output. Importing the file again changes nothing.`;

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        format: { type: 'string', default: 'csv' },
        out: { type: 'string', short: 'o' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (err) {
    usageError(USAGE, (err as Error).message);
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.format !== 'csv') usageError(USAGE, `--format ${values.format}: only csv is supported`);
  const { dataDir, load } = dataCliConfig(values['data-dir']);
  const { data } = await loadDataset(dataDir, { ...load, allowEmptySales: true });
  const csv = salesToCsv(data.sales);
  if (values.out) {
    await writeFileAtomic(values.out, csv);
    process.stderr.write(`Wrote ${data.sales.length.toLocaleString('en-US')} figures to ${values.out}\n`);
  } else process.stdout.write(csv);
}

main().catch(exitOnError);
