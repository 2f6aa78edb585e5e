/**
 * Writing data files safely, and the sales as CSV.
 *
 * A data file is replaced atomically: the new text goes to a temporary file in the same directory, is flushed
 * to disk (fsync), and renamed over the old one, and the directory entry is flushed too. A running bot's hot
 * reload therefore reads either the old file or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Sale } from '../schema.js';
import { COLUMNS, type Column } from './figures.js';

export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const mode = await stat(file).then((s) => s.mode & 0o777, () => 0o644);
  const handle = await open(tmp, 'wx', mode);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  // The rename itself reaches the disk only when the directory is flushed (not possible on every platform).
  const d = await open(dir, 'r').catch(() => undefined);
  await d?.sync().catch(() => undefined);
  await d?.close();
}

/**
 * Sales as JSON text in the style of the file being replaced: one record a line (large generated files),
 * or two-space indented records with arrays on one line (the bundled, hand-edited style).
 */
export function formatSales(sales: readonly Sale[], previousText: string | undefined): string {
  if (sales.length === 0) return '[]\n';
  const compact = previousText !== undefined && /^\uFEFF?\[\s*\n\{/.test(previousText);
  if (compact) return `[\n${sales.map((s) => JSON.stringify(s)).join(',\n')}\n]\n`;
  const record = (s: Sale) => {
    const lines = Object.entries(s).map(([k, v]) => `    ${JSON.stringify(k)}: ${Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]` : JSON.stringify(v)}`);
    return `  {\n${lines.join(',\n')}\n  }`;
  };
  return `[\n${sales.map(record).join(',\n')}\n]\n`;
}

/** RFC 4180 quoting: only when a field needs it. */
function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * The sales in the import's columns, one row per seller and month, ids as sellers and sources (so a
 * re-import resolves every row exactly). Units are plain digits. `up_to` and `margin` appear only when used.
 */
export function salesToCsv(sales: readonly Sale[]): string {
  const optional: Column[] = ['up_to', 'margin'];
  const used = new Set(optional.filter((c) => sales.some((s) => (c === 'up_to' ? s.upTo : s.margin) !== undefined)));
  const columns = COLUMNS.filter((c) => !optional.includes(c) || used.has(c));
  const value = (s: Sale, c: Column): string => {
    switch (c) {
      case 'seller': return s.seller;
      case 'month': return s.month;
      case 'units': return String(s.units);
      case 'qualifier': return s.qualifier;
      case 'reported_as': return s.reportedAs ?? '';
      case 'source': return s.sources.join(';');
      case 'as_of': return s.asOf ?? '';
      case 'note': return s.note ?? '';
      case 'up_to': return s.upTo === undefined ? '' : String(s.upTo);
      case 'margin': return s.margin === undefined ? '' : String(s.margin);
    }
  };
  const lines = [columns.join(',')];
  for (const s of sales) lines.push(columns.map((c) => csvField(value(s, c))).join(','));
  return `${lines.join('\n')}\n`;
}
