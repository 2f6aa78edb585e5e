/** Reads an exported CSV back (as a spreadsheet would) and states what a reply's figures should look like in it. */
import { parse } from 'csv-parse/sync';
import type { Reply } from '../../src/core/reply.js';

export type CsvRow = Record<'seller' | 'month' | 'units' | 'qualifier' | 'reported_as' | 'sources', string>;

export function readCsv(data: Buffer | string): CsvRow[] {
  return parse(data, { bom: true, columns: true, skip_empty_lines: true }) as CsvRow[];
}

/** The rows a reply's figures must come back as: values, qualifiers and every source by title and publisher. */
export function expectedRows(reply: Reply): CsvRow[] {
  const label = new Map(reply.sources.map((s) => [s.id, `${s.title} — ${s.publisher}`]));
  return (reply.figures ?? []).map((f) => ({
    seller: f.seller,
    month: f.month,
    units: String(f.units),
    qualifier: f.qualifier,
    reported_as: f.reportedAs ?? '',
    sources: f.sources.map((id) => label.get(id)).join('; '),
  }));
}
