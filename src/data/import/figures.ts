/**
 * Turns spreadsheet rows (one per seller and month) into sales records, and plans what an import changes.
 *
 * Columns (headers matched case-, space- and underscore-insensitively; order free):
 *   seller, month, units, qualifier, source   required
 *   reported_as, as_of, note, up_to, margin    optional
 * `source` holds one or more source ids separated by ";" (a "," works too: ids contain neither).
 *
 * Every cell is checked against the target dataset: sellers through the same aliases as questions
 * (`小米` → xiaomi), sources by id. The record is then validated by `saleSchema`, the single definition of a
 * valid figure. Every problem is collected, with its row, column, value and the fix.
 */
import { formatMonth, parseMonth } from '../../sales/months.js';
import type { DatasetIndex, Entity } from '../index.js';
import { editDistance } from '../names/edit-distance.js';
import { partialDate, saleSchema, type Sale } from '../schema.js';
import type { Cell, Table } from './table.js';

export const COLUMNS = ['seller', 'month', 'units', 'qualifier', 'reported_as', 'source', 'as_of', 'note', 'up_to', 'margin'] as const;
export type Column = (typeof COLUMNS)[number];
const REQUIRED: readonly Column[] = ['seller', 'month', 'units', 'qualifier', 'source'];
/** The record field each column fills (the reverse maps zod's issue paths back to columns). */
const FIELD: Record<Column, keyof Sale> = {
  seller: 'seller', month: 'month', units: 'units', qualifier: 'qualifier', reported_as: 'reportedAs',
  source: 'sources', as_of: 'asOf', note: 'note', up_to: 'upTo', margin: 'margin',
};
const COLUMN_OF = Object.fromEntries(Object.entries(FIELD).map(([c, f]) => [f, c])) as Record<keyof Sale, Column>;

const headerKey = (text: string) => text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
/** Header spellings accepted for each column, by key: "Reported as", "reportedAs", "REPORTED_AS" are one. */
const HEADER_KEYS = new Map<string, Column>([
  ...COLUMNS.map((c): [string, Column] => [headerKey(c), c]),
  ['sources', 'source'], ['asof', 'as_of'], ['upto', 'up_to'], ['qualifiers', 'qualifier'],
]);

export interface Problem {
  row?: number;
  column?: Column | string;
  message: string;
}

/** A figure read from a row, ready to merge. */
export interface RowFigure {
  row: number;
  sale: Sale;
  /** The seller as written, when it resolved to another entity ("Huawei" → HIMA). */
  via?: string;
}

const describe = (cell: Cell) => (cell instanceof Date ? cell.toISOString().slice(0, 10) : JSON.stringify(cell));

function text(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return String(cell).trim();
}

/** `28,585`, `28 585`, `28'585`, `２８５８５`, or a spreadsheet number; never `28k`, `28.5` or `-3`. */
function parseUnits(cell: Cell): number | undefined {
  if (typeof cell === 'number') return cell;
  const t = text(cell).normalize('NFKC').replace(/[\u00a0\u202f\u2009]/g, ' ');
  if (/^\d+$/.test(t)) return Number(t);
  if (/^\d{1,3}([, '_]\d{3})+$/.test(t)) return Number(t.replace(/[, '_]/g, ''));
  return undefined;
}

function parseQualifier(cell: Cell): Sale['qualifier'] | undefined {
  const t = text(cell).toLowerCase().replace(/[\s-]+/g, '_');
  if (t === 'exact') return 'exact';
  if (t === 'at_least' || t === 'atleast' || t === 'lower_bound') return 'at_least';
  if (t === 'approximate' || t === 'approx' || t === 'about') return 'approximate';
  return undefined;
}

function closest(word: string, pool: Iterable<string>, limit = 3): string[] {
  const scored: [string, number][] = [];
  const budget = Math.max(2, Math.floor(word.length / 3));
  for (const candidate of pool) {
    const d = editDistance(word, candidate);
    if (d <= budget) scored.push([candidate, d]);
  }
  return scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, limit).map(([c]) => c);
}

const orList = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`);
const isSeller = (e: Entity) => e.kind === 'company' || e.kind === 'alliance' || e.kind === 'brand';

/**
 * A seller as written: an id, a name or an alias (English or Chinese, any case), as questions resolve it.
 * A company that reports through an alliance (Huawei → HIMA) files under the alliance, unless it has
 * figures of its own already. Typos are never accepted: they are suggested.
 */
function resolveSeller(index: DatasetIndex, written: string): { ok: true; id: string; via?: string } | { ok: false; message: string } {
  const entity = index.entity(written) ?? index.lookupExact(written);
  if (entity) {
    if (!isSeller(entity)) {
      const owner = entity.kind === 'model' ? index.entity(entity.record.brand ?? entity.record.maker) : undefined;
      return { ok: false, message: `"${written}" is a ${entity.kind} (${entity.name}), not a seller; figures belong to a company, alliance or brand${owner ? ` — did you mean ${owner.name}?` : ''}` };
    }
    const seller = index.sellerFor(entity);
    if (seller.id !== entity.id && index.salesOf(entity.id).length === 0) return { ok: true, id: seller.id, via: `${written} → ${seller.name}` };
    return { ok: true, id: entity.id };
  }
  const r = index.resolve(written);
  let names: string[] = [];
  if (r.kind === 'found') names = [r.value.name];
  else if (r.kind === 'ambiguous') names = r.candidates.map((c) => c.name);
  else names = index.complete(written, 3).filter(isSeller).map((e) => e.name);
  const hint = names.length > 0 ? ` — did you mean ${orList([...new Set(names)].slice(0, 3))}? Write` : '; write';
  return { ok: false, message: `"${written}" is not a known seller${hint} a name or alias the bot knows, or add the company, alliance or brand to the dataset first` };
}

/** Maps the header row to columns; problems for missing, unknown or repeated columns. */
function mapHeader(header: string[], file: string, problems: Problem[]): Map<Column, number> {
  const at = new Map<Column, number>();
  header.forEach((h, i) => {
    const title = h.replace(/^\uFEFF/, '').trim();
    if (title === '') return;
    const column = HEADER_KEYS.get(headerKey(title));
    if (!column) {
      const near = closest(headerKey(title), COLUMNS.map(headerKey), 1)[0];
      const suggestion = near ? COLUMNS.find((c) => headerKey(c) === near) : undefined;
      problems.push({ row: 1, column: title, message: `unknown column "${title}"${suggestion ? ` — did you mean ${suggestion}?` : ''}; the columns are ${COLUMNS.join(', ')}` });
    } else if (at.has(column)) problems.push({ row: 1, column: title, message: `column ${column} appears twice; keep one` });
    else at.set(column, i);
  });
  const missing = REQUIRED.filter((c) => !at.has(c));
  if (missing.length > 0) {
    problems.push({ row: 1, message: `${file} has no ${orList(missing)} column (headers found: ${header.filter(Boolean).join(', ') || 'none'}); the first row must name the columns ${REQUIRED.join(', ')}` });
  }
  return at;
}

/** Reads every row into a figure, or problems; never stops at the first. */
export function readFigures(table: Table, file: string, index: DatasetIndex): { figures: RowFigure[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const at = mapHeader(table.header, file, problems);
  if (REQUIRED.some((c) => !at.has(c))) return { figures: [], problems };
  const sourceIds = [...index.sources.keys()];
  const figures: RowFigure[] = [];

  for (const { row, cells } of table.rows) {
    const cell = (c: Column): Cell => {
      const i = at.get(c);
      return i === undefined ? null : (cells[i] ?? null);
    };
    const bad = (column: Column, message: string) => problems.push({ row, column, message });
    const before = problems.length;

    const sellerText = text(cell('seller'));
    let seller: string | undefined;
    let via: string | undefined;
    if (!sellerText) bad('seller', 'empty; write the company, alliance or brand, e.g. Xiaomi or 小米');
    else {
      const r = resolveSeller(index, sellerText);
      if (r.ok) ({ id: seller, via } = r);
      else bad('seller', r.message);
    }

    let month: string | undefined;
    const monthCell = cell('month');
    if (monthCell instanceof Date) month = monthCell.toISOString().slice(0, 7);
    else {
      const parsed = parseMonth(text(monthCell), []);
      if (parsed.ok && parsed.yearGiven) month = parsed.month;
      else if (text(monthCell) === '') bad('month', 'empty; write the month with its year, e.g. 2025-04, Apr 2025 or 2025年4月');
      else bad('month', `${describe(monthCell)} is not a month with its year; write e.g. 2025-04, Apr 2025 or 2025年4月`);
    }

    const units = parseUnits(cell('units'));
    if (units === undefined || !Number.isInteger(units) || units <= 0) {
      bad('units', cell('units') === null ? 'empty; write the number of vehicles, e.g. 28585 or 28,585' : `${describe(cell('units'))} is not a whole number of vehicles; write e.g. 28585 or 28,585 (no "k", no decimals)`);
    }

    const qualifier = parseQualifier(cell('qualifier'));
    if (!qualifier) {
      bad('qualifier', `${cell('qualifier') === null ? 'empty' : `${describe(cell('qualifier'))} is not a qualifier`}; write exact, at_least (the source gives a lower bound, e.g. "over 28,000") or approximate`);
    }

    const sources: string[] = [];
    const sourceText = text(cell('source'));
    if (!sourceText) bad('source', `empty; name at least one source id from sources.json (several separated by ";"), e.g. ${sourceIds.slice(0, 2).join('; ')}`);
    for (const part of sourceText.split(/[;,]/).map((s) => s.trim()).filter(Boolean)) {
      const id = part.toLowerCase();
      if (index.sources.has(id)) {
        if (!sources.includes(id)) sources.push(id);
        continue;
      }
      const near = closest(id, sourceIds);
      bad('source', `"${part}" is not a known source${near.length ? ` — did you mean ${orList(near)}? Use` : '; use'} a source id from sources.json (several separated by ";"), or add the source there first`);
    }

    const optionalText = (c: Column) => text(cell(c)) || undefined;
    let asOf: string | undefined;
    const asOfCell = cell('as_of');
    if (asOfCell instanceof Date) asOf = asOfCell.toISOString().slice(0, 10);
    else if (asOfCell !== null) {
      const t = text(asOfCell);
      const m = parseMonth(t, []);
      if (partialDate.safeParse(t).success) asOf = t;
      else if (m.ok && m.yearGiven) asOf = m.month;
      else bad('as_of', `${describe(asOfCell)} is not a date; write 2025-06-01, 2025-06 or 2025`);
    }
    const optionalInt = (c: Column): number | undefined => {
      if (cell(c) === null) return undefined;
      const n = parseUnits(cell(c));
      if (n === undefined || !Number.isInteger(n)) {
        bad(c, `${describe(cell(c))} is not a whole number; write e.g. 30000`);
        return undefined;
      }
      return n;
    };
    const upTo = optionalInt('up_to');
    const margin = optionalInt('margin');

    if (problems.length > before) continue;
    // Keys in the schema's order, so a written file reads like the bundled one.
    const record: Record<string, unknown> = { seller, month, units, qualifier };
    if (upTo !== undefined) record.upTo = upTo;
    if (margin !== undefined) record.margin = margin;
    const reportedAs = optionalText('reported_as');
    if (reportedAs) record.reportedAs = reportedAs;
    const note = optionalText('note');
    if (note) record.note = note;
    if (asOf) record.asOf = asOf;
    record.sources = sources;
    const parsed = saleSchema.safeParse(record);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = COLUMN_OF[issue.path[0] as keyof Sale] ?? String(issue.path[0] ?? '');
        problems.push({ row, column, message: `${issue.message}, got ${JSON.stringify(record[String(issue.path[0])])}` });
      }
      continue;
    }
    figures.push({ row, sale: parsed.data, ...(via ? { via } : {}) });
  }
  return { figures, problems };
}

export const sameSale = (a: Sale, b: Sale): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

function canonical(s: Sale): unknown[] {
  return [s.seller, s.month, s.units, s.qualifier, s.upTo, s.margin, s.reportedAs, s.note, s.asOf, s.sources];
}

/** "28,585 (exact; sources cpca, caixin-2025-06)": a figure as a person compares two of them. */
export function describeSale(s: Sale): string {
  const extra = [s.qualifier, ...(s.reportedAs ? [`"${s.reportedAs}"`] : []), ...(s.asOf ? [`as of ${s.asOf}`] : [])];
  return `${s.units.toLocaleString('en-US')} (${extra.join(', ')}; sources ${s.sources.join(', ')})`;
}

export interface ImportPlan {
  /** The whole new sales list: existing order kept, replacements in place, additions at the end. */
  sales: Sale[];
  added: RowFigure[];
  replaced: { figure: RowFigure; old: Sale }[];
  unchanged: RowFigure[];
  /** Rows that repeat an earlier row of the same file exactly. */
  duplicates: { row: number; of: number }[];
  problems: Problem[];
}

/** Compares the file's figures with the dataset's: added, unchanged, replaced (with `replace`) or refused. */
export function planImport(existing: readonly Sale[], figures: RowFigure[], index: DatasetIndex, replace: boolean): ImportPlan {
  const key = (s: Sale) => `${s.seller}\u0000${s.month}`;
  const position = new Map<string, number>();
  existing.forEach((s, i) => position.set(key(s), i));
  const sales = existing.slice();
  const plan: ImportPlan = { sales, added: [], replaced: [], unchanged: [], duplicates: [], problems: [] };
  const seen = new Map<string, RowFigure>();
  const name = (id: string) => index.entity(id)?.name ?? id;

  for (const figure of figures) {
    const k = key(figure.sale);
    const earlier = seen.get(k);
    if (earlier) {
      if (sameSale(earlier.sale, figure.sale)) plan.duplicates.push({ row: figure.row, of: earlier.row });
      else {
        plan.problems.push({
          row: figure.row,
          message: `a second figure for ${name(figure.sale.seller)} in ${formatMonth(figure.sale.month)}: row ${earlier.row} says ${describeSale(earlier.sale)}, this row ${describeSale(figure.sale)}; keep one row per seller and month`,
        });
      }
      continue;
    }
    seen.set(k, figure);
    const at = position.get(k);
    if (at === undefined) {
      plan.added.push(figure);
      sales.push(figure.sale);
      continue;
    }
    const old = existing[at]!;
    if (sameSale(old, figure.sale)) plan.unchanged.push(figure);
    else if (replace) {
      plan.replaced.push({ figure, old });
      sales[at] = figure.sale;
    } else {
      plan.problems.push({
        row: figure.row,
        message: `${name(figure.sale.seller)}, ${formatMonth(figure.sale.month)} is already ${describeSale(old)}; the file says ${describeSale(figure.sale)}. Run again with --replace to overwrite it, or fix the row`,
      });
    }
  }
  return plan;
}

export function formatProblem(file: string, p: Problem): string {
  const where = [p.row !== undefined ? `row ${p.row}` : '', p.column ? `column ${p.column}` : ''].filter(Boolean).join(', ');
  return `${file}${where ? `, ${where}` : ''}: ${p.message}`;
}
