/**
 * `npm run data:import -- <file.csv|file.xlsx> [--dry-run] [--replace] [--data-dir DIR | --database]`
 * Adds monthly figures from a spreadsheet to the dataset's sales.json (see README, "Add a month of figures").
 */
import { parseArgs } from 'node:util';
import { dataCliConfig, exitOnError, usageError } from '../data/import/cli-support.js';
import { importFigures } from '../data/import/run.js';

const USAGE = `Usage: npm run data:import -- <file.csv|file.xlsx> [--dry-run] [--replace] [--data-dir DIR | --database]

  One row per seller and month, with the columns seller, month, units, qualifier, source
  (and optionally reported_as, as_of, note). Several sources: separate them with ";".
  --dry-run     check the file and print what would change; write nothing
  --replace     overwrite figures already on record for the same seller and month
  --data-dir    the dataset to import into (default: DATA_DIR, or ./data)
  --database    import into the dataset in DATABASE_URL (shared mode); every instance reloads it`;

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        'dry-run': { type: 'boolean', default: false },
        replace: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        database: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    usageError(USAGE, (err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length !== 1) usageError(USAGE, positionals.length === 0 ? 'Which file? Give one .csv or .xlsx file.' : 'Give one file at a time.');
  if (values.database) {
    if (values['data-dir'] !== undefined) usageError(USAGE, '--database and --data-dir name two different targets; give one.');
    const { importIntoDatabase } = await import('../shared/import.js');
    process.exitCode = await importIntoDatabase({ file: positionals[0]!, dryRun: values['dry-run'], replace: values.replace });
    return;
  }
  const { dataDir, load } = dataCliConfig(values['data-dir']);
  const report = await importFigures({ ...load, file: positionals[0]!, dataDir, dryRun: values['dry-run'], replace: values.replace });
  for (const p of report.problems) process.stderr.write(`${p}\n`);
  for (const line of report.lines) (report.ok ? process.stdout : process.stderr).write(`${line}\n`);
  process.exitCode = report.ok ? 0 : 1;
}

main().catch(exitOnError);
