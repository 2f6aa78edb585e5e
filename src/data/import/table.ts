/**
 * Reads a spreadsheet of figures into rows of cells: CSV through csv-parse, .xlsx through read-excel-file.
 * Rows keep the number a person sees in Excel (the header is row 1), so every message can point at a cell.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import readXlsxFile from 'read-excel-file/node';

/** A cell as read: text from CSV; text, a number, a date or a boolean from .xlsx; null when empty. */
export type Cell = string | number | boolean | Date | null;

export interface TableRow {
  /** 1-based, as in the spreadsheet: the header is row 1. */
  row: number;
  cells: Cell[];
}

export interface Table {
  header: string[];
  rows: TableRow[];
  /** Things worth saying that are not errors ("only the first sheet is read"). */
  notes: string[];
}

/** A file that cannot be read as a table at all (not a cell-level problem). */
export class TableError extends Error {
  override name = 'TableError';
}

/** Excel in many locales writes `;`-separated CSV; tabs come from copy-paste. Decided from the header line. */
function delimiterOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}

function readCsv(text: string, shown: string): Table {
  let records: { info: { lines: number }; record: string[] }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      delimiter: delimiterOf(text.replace(/^\uFEFF/, '')),
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as unknown as { info: { lines: number }; record: string[] }[];
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new TableError(`${shown}${e.lines ? `: line ${e.lines}` : ''}: not a readable CSV file (${e.message.replace(/^Invalid [^:]*: /, '')}); check the quotes on that line`);
  }
  const [head, ...rest] = records;
  if (!head) throw new TableError(`${shown}: the file is empty; it needs a header row (seller, month, units, qualifier, source, …) and one row per figure`);
  return { header: head.record, rows: rest.map((r) => ({ row: r.info.lines, cells: r.record.map((c) => (c === '' ? null : c)) })), notes: [] };
}

async function readXlsx(file: string, shown: string): Promise<Table> {
  let sheets;
  try {
    sheets = await readXlsxFile(file);
  } catch (err) {
    throw new TableError(`${shown}: not a readable .xlsx workbook (${(err as Error).message}); save it from Excel as "Excel Workbook (.xlsx)" or export a CSV`);
  }
  const sheet = sheets[0];
  if (!sheet || sheet.data.length === 0) throw new TableError(`${shown}: the first sheet is empty; it needs a header row and one row per figure`);
  // Only the first sheet is read; say so rather than ignore the others silently.
  const notes = sheets.length > 1 ? [`${shown}: only the first sheet ("${sheet.sheet}") was read; the other ${sheets.length - 1} were ignored`] : [];
  const [head, ...rest] = sheet.data;
  const rows: TableRow[] = [];
  rest.forEach((cells, i) => {
    const row = cells.map((c) => (typeof c === 'string' && c.trim() === '' ? null : (c as Cell)));
    if (row.some((c) => c !== null)) rows.push({ row: i + 2, cells: row });
  });
  return { header: head!.map((c) => (c === null ? '' : String(c))), rows, notes };
}

/** Reads a .csv (or .txt/.tsv) or .xlsx file; throws `TableError` with the file and what to do. */
export async function readTable(file: string): Promise<Table> {
  const shown = path.basename(file);
  const ext = path.extname(file).toLowerCase();
  if (ext === '.xls') throw new TableError(`${shown}: old .xls workbooks are not read; save it as .xlsx or CSV`);
  if (ext === '.xlsx') return readXlsx(file, shown);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TableError(code === 'ENOENT' ? `${file}: file not found` : `${file}: could not be read (${(err as Error).message})`);
  }
  return readCsv(bytes.toString('utf8'), shown);
}
