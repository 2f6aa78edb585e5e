/**
 * A reply's figures as a CSV file, the same on every platform (Slack upload, Discord attachment, a file from the
 * console or `npm run ask -- --csv`): one row per stated figure with its qualifier and its sources spelled out, so
 * the file still says what the chat said once it is opened in a spreadsheet. A lower bound stays the bound with
 * its qualifier (`at_least`, reported as "over 28,000"): never turned into an exact number.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { notice, type Reply, type StatedFigure } from '../../core/reply.js';

export const CSV_COLUMNS = ['seller', 'month', 'units', 'qualifier', 'reported_as', 'sources'] as const;

/** A file to attach or write. */
export interface CsvFile {
  name: string;
  data: Buffer;
  /** Figures in it (rows after the header). */
  rows: number;
}

/** What a user is told when the answer has no figures to put in a file. */
export function nothingToExport(reply: Reply): Reply {
  return notice('Nothing to export', [`"${reply.title}" states no sales figures, so there is no CSV to make. Try it with /sales, /compare or /digest.`]);
}

/** A reply asked for with `csv` that has no figures: the reply as it is, saying there is no file, in one message. */
export function withNothingToExport(reply: Reply): Reply {
  if (hasFigures(reply) || reply.silent) return reply;
  return { ...reply, blocks: [...reply.blocks, { type: 'text', lines: ['Nothing to export: this reply states no sales figures, so no CSV file comes with it.'] }] };
}

export function hasFigures(reply: Reply): boolean {
  return reply.kind === 'answer' && !reply.silent && (reply.figures?.length ?? 0) > 0;
}


/** The reply's figures as CSV (UTF-8 with a byte-order mark, so spreadsheets read "—" and CJK names right). */
export function figuresCsv(reply: Reply): CsvFile | undefined {
  if (!hasFigures(reply)) return undefined;
  const figures = reply.figures!;
  const sources = new Map(reply.sources.map((s) => [s.id, s.publisher && s.publisher !== s.title ? `${s.title} — ${s.publisher}` : s.title]));
  const rows = figures.map((f) => [f.seller, f.month, f.units, f.qualifier, f.reportedAs ?? '', f.sources.map((id) => sources.get(id) ?? id).join('; ')]);
  const text = stringify([[...CSV_COLUMNS], ...rows], {
    bom: true,
    record_delimiter: 'windows',
    // A cell starting with = + - @ is a formula to a spreadsheet: shown as text instead (OWASP's CSV injection advice).
    cast: { string: (value) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value) },
  });
  return { name: csvFileName(figures), data: Buffer.from(text, 'utf8'), rows: rows.length };
}

/** `sales-xiaomi-2025-05.csv`; several sellers and months: `sales-hima-xiaomi-2025-04-to-2025-05.csv`. */
export function csvFileName(figures: readonly StatedFigure[]): string {
  const sellers = [...new Set(figures.map((f) => f.seller))];
  const months = [...new Set(figures.map((f) => f.month))].sort();
  const who = sellers.length > 3 ? [...sellers.slice(0, 3), 'more'] : sellers;
  const when = months.length > 1 ? `${months[0]}-to-${months.at(-1)}` : (months[0] ?? '');
  const slug = ['sales', ...who, when].join('-').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-{2,}/g, '-').replace(/-$/, '');
  return `${slug.slice(0, 100)}.csv`;
}

/**
 * The console and `npm run ask`: writes the figures to `file`, or to `./<name>.csv` in the current directory.
 * Returns the path written, or undefined when the reply has no figures (nothing is written).
 */
export async function writeCsvFile(reply: Reply, file?: string): Promise<string | undefined> {
  const csv = figuresCsv(reply);
  if (!csv) return undefined;
  const path = resolve(file ?? csv.name);
  await writeFile(path, csv.data);
  return path;
}
