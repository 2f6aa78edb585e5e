/**
 * `npm run data:import`: a spreadsheet of monthly figures into `sales.json`, all or nothing.
 * The target dataset is loaded and validated first; the file's rows are resolved against it; nothing is
 * written when any row is bad or conflicts with a figure on record (unless `replace`).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatMonth } from '../../sales/months.js';
import { DatasetIndex } from '../index.js';
import { loadDataset, type LoadOptions } from '../load.js';
import { DATA_FILES } from '../schema.js';
import { describeSale, formatProblem, planImport, readFigures, type ImportPlan } from './figures.js';
import { readTable } from './table.js';
import { formatSales, writeFileAtomic } from './write.js';

export interface ImportOptions extends LoadOptions {
  file: string;
  dataDir: string;
  dryRun?: boolean;
  replace?: boolean;
}

export interface ImportReport {
  ok: boolean;
  /** True when sales.json was replaced. */
  written: boolean;
  /** Problems (when not ok), each naming the file, row, column, value and fix. */
  problems: string[];
  /** The summary a person reads. */
  lines: string[];
  plan?: ImportPlan;
}

/** At most this many changes are listed one by one; the summary counts them all. */
const LISTED = 20;

export async function importFigures(options: ImportOptions): Promise<ImportReport> {
  const shown = path.basename(options.file);
  const table = await readTable(options.file);
  // An empty sales file is a fine place to start an import.
  const loaded = await loadDataset(options.dataDir, { ...options, allowEmptySales: true });
  const index = new DatasetIndex(loaded.data, loaded.version);
  const { figures, problems } = readFigures(table, shown, index);
  const plan = planImport(loaded.data.sales, figures, index, options.replace ?? false);
  const all = [...problems, ...plan.problems].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  if (all.length > 0) {
    return {
      ok: false,
      written: false,
      problems: all.map((p) => formatProblem(shown, p)),
      lines: [`${shown}: ${all.length} problem${all.length === 1 ? '' : 's'} found; nothing was written. Fix the rows above and run the import again.`],
      plan,
    };
  }

  const changed = plan.added.length + plan.replaced.length;
  const touched = [...plan.added.map((f) => f.sale), ...plan.replaced.map((r) => r.figure.sale)];
  const months = [...new Set(touched.map((s) => s.month))].sort();
  const sellers = [...new Set(touched.map((s) => index.entity(s.seller)?.name ?? s.seller))].sort((a, b) => a.localeCompare(b));
  const verb = options.dryRun ? 'would add' : 'added';
  const lines = [
    `${shown}: ${verb} ${plan.added.length}, unchanged ${plan.unchanged.length}, ${options.dryRun ? 'would replace' : 'replaced'} ${plan.replaced.length}` +
      (plan.duplicates.length > 0 ? ` (${plan.duplicates.length} repeated row${plan.duplicates.length === 1 ? '' : 's'} counted once: ${plan.duplicates.map((d) => `row ${d.row} = row ${d.of}`).join(', ')})` : ''),
  ];
  if (changed > 0) {
    lines.push(`  months: ${months.map(formatMonth).join(', ')}`);
    lines.push(`  sellers: ${sellers.length > 12 ? `${sellers.slice(0, 12).join(', ')} and ${sellers.length - 12} more` : sellers.join(', ')}`);
    const name = (id: string) => index.entity(id)?.name ?? id;
    const changes = [
      ...plan.added.map((f) => `  + row ${f.row}: ${name(f.sale.seller)}, ${formatMonth(f.sale.month)}: ${describeSale(f.sale)}`),
      ...plan.replaced.map(({ figure: f, old }) => `  ~ row ${f.row}: ${name(f.sale.seller)}, ${formatMonth(f.sale.month)}: ${describeSale(old)} → ${describeSale(f.sale)}`),
    ];
    lines.push(...changes.slice(0, LISTED));
    if (changes.length > LISTED) lines.push(`  …and ${changes.length - LISTED} more`);
  }
  const vias = [...new Set([...plan.added, ...plan.replaced.map((r) => r.figure)].flatMap((f) => (f.via ? [f.via] : [])))];
  if (vias.length > 0) lines.push(`  filed under the alliance the company reports through: ${vias.join(', ')}`);
  lines.push(...table.notes.map((n) => `  note: ${n}`));

  let written = false;
  if (changed === 0) lines.push('Nothing to change; sales.json was not touched.');
  else if (options.dryRun) lines.push('Dry run: nothing was written. Run again without --dry-run to apply.');
  else {
    // Written where the data really is: through a DATA_DIR link, into its target, so the rename stays atomic.
    const target = path.join(loaded.realDir, DATA_FILES.sales.file);
    const previous = await readFile(target, 'utf8').catch(() => undefined);
    await writeFileAtomic(target, formatSales(plan.sales, previous));
    written = true;
    lines.push(`Wrote ${path.join(options.dataDir, DATA_FILES.sales.file)} (${plan.sales.length.toLocaleString('en-US')} figures). A running bot picks it up by itself.`);
  }
  return { ok: true, written, problems: [], lines, plan };
}
