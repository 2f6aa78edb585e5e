import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import writeXlsxFile from 'write-excel-file/node';
import { afterAll, describe, expect, it } from 'vitest';
import { importFigures, type ImportReport } from '../../src/data/import/run.js';
import { salesToCsv } from '../../src/data/import/write.js';
import { DatasetIndex } from '../../src/data/index.js';
import { loadCollections } from '../../src/data/load.js';
import type { Sale } from '../../src/data/schema.js';
import { generateCollections } from '../../bench/generate.js';
import { dataDirWith, removeDataDirs } from '../support/data-dir.js';

afterAll(removeDataDirs);

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/import');
const scratch = mkdtempSync(path.join(tmpdir(), 'salesbot-import-'));
const sales = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'sales.json'), 'utf8')) as Sale[];
const run = (file: string, dataDir: string, extra: { dryRun?: boolean; replace?: boolean } = {}): Promise<ImportReport> =>
  importFigures({ file, dataDir, ...extra });

describe('importing a CSV of monthly figures', () => {
  it('adds figures named in Chinese or English, with any month form, separators and a BOM, and says what changed', async () => {
    const dir = dataDirWith();
    const r = await run(path.join(FIXTURES, 'good.csv'), dir);
    expect(r.problems).toEqual([]);
    expect(r.lines[0]).toBe('good.csv: added 3, unchanged 1, replaced 0');
    expect(r.lines).toContain('  months: June 2025, July 2025');
    expect(r.lines).toContain('  sellers: HIMA, Xiaomi');
    expect(r.lines.join('\n')).toContain('Huawei → HIMA');
    const added = sales(dir).slice(4);
    expect(added).toEqual([
      { seller: 'xiaomi', month: '2025-06', units: 30123, qualifier: 'exact', asOf: '2025-07-01', sources: ['cpca', 'caixin-2025-06'] },
      { seller: 'hima', month: '2025-06', units: 52747, qualifier: 'at_least', reportedAs: 'over 52,000', note: '分析师估计', asOf: '2025-07', sources: ['cpca'] },
      { seller: 'hima', month: '2025-07', units: 41000, qualifier: 'approximate', reportedAs: 'about 41,000', sources: ['cpca'] },
    ]);
    // The bot serves what was imported.
    const index = new DatasetIndex(await loadCollections(dir));
    expect(index.sale('hima', '2025-06')).toMatchObject({ units: 52747, qualifier: 'at_least' });
  });

  it('is idempotent: the same file twice changes nothing and does not touch sales.json', async () => {
    const dir = dataDirWith();
    await run(path.join(FIXTURES, 'good.csv'), dir);
    const before = readFileSync(path.join(dir, 'sales.json'));
    const mtime = statSync(path.join(dir, 'sales.json')).mtimeMs;
    const again = await run(path.join(FIXTURES, 'good.csv'), dir);
    expect(again.lines[0]).toBe('good.csv: added 0, unchanged 4, replaced 0');
    expect(again.written).toBe(false);
    expect(readFileSync(path.join(dir, 'sales.json'))).toEqual(before);
    expect(statSync(path.join(dir, 'sales.json')).mtimeMs).toBe(mtime);
  });

  it('reports every bad row at once, with row, column, value and fix, and writes nothing', async () => {
    const dir = dataDirWith();
    const before = readFileSync(path.join(dir, 'sales.json'), 'utf8');
    const r = await run(path.join(FIXTURES, 'bad.csv'), dir);
    expect(r.ok).toBe(false);
    expect(r.written).toBe(false);
    expect(readFileSync(path.join(dir, 'sales.json'), 'utf8')).toBe(before);
    const p = r.problems;
    const expected = [
      'bad.csv, row 2, column seller: "Xiaomi Auto" is not a known seller — did you mean Xiaomi',
      'bad.csv, row 3, column seller: "xiomi" is not a known seller — did you mean Xiaomi?',
      'bad.csv, row 4, column seller: "SU7" is a model (Xiaomi SU7), not a seller; figures belong to a company, alliance or brand — did you mean Xiaomi?',
      'bad.csv, row 5, column seller: empty; write the company, alliance or brand',
      'bad.csv, row 6, column month: "April" is not a month with its year; write e.g. 2025-04, Apr 2025 or 2025年4月',
      'bad.csv, row 7, column month: "2025-13" is not a month with its year',
      'bad.csv, row 8, column units: "28k" is not a whole number of vehicles; write e.g. 28585 or 28,585',
      'bad.csv, row 9, column units: "-5" is not a whole number of vehicles',
      'bad.csv, row 10, column units: "1.5" is not a whole number of vehicles',
      'bad.csv, row 11, column qualifier: "roughly" is not a qualifier; write exact, at_least',
      'bad.csv, row 12, column source: "cpac" is not a known source — did you mean cpca?',
      'bad.csv, row 13, column source: empty; name at least one source id from sources.json',
      'bad.csv, row 14, column as_of: "yesterday" is not a date; write 2025-06-01, 2025-06 or 2025',
      'bad.csv, row 15: Xiaomi, April 2025 is already 28,585 (exact; sources cpca, caixin-2025-06); the file says 29,000 (exact; sources cpca). Run again with --replace to overwrite it',
      'bad.csv, row 17: a second figure for HIMA in March 2026: row 16 says 100 (exact; sources cpca), this row 200 (exact; sources cpca); keep one row per seller and month',
    ];
    for (const e of expected) expect(p.some((x) => x.startsWith(e)), `${e}\n--- got:\n${p.join('\n')}`).toBe(true);
    expect(p).toHaveLength(expected.length);
    expect(r.lines).toEqual([`bad.csv: ${expected.length} problems found; nothing was written. Fix the rows above and run the import again.`]);
  });

  it('refuses a changed figure with old and new side by side, and replaces it with --replace', async () => {
    const dir = dataDirWith();
    const file = path.join(scratch, 'revised.csv');
    writeFileSync(file, 'seller,month,units,qualifier,source\nXiaomi,2025-05,28634,exact,xiaomi-announcement-2025-05\n');
    const refused = await run(file, dir);
    expect(refused.problems).toEqual([
      'revised.csv, row 2: Xiaomi, May 2025 is already 28,000 (at_least, "over 28,000"; sources xiaomi-announcement-2025-05, caixin-2025-06); the file says 28,634 (exact; sources xiaomi-announcement-2025-05). Run again with --replace to overwrite it, or fix the row',
    ]);
    const replaced = await run(file, dir, { replace: true });
    expect(replaced.lines[0]).toBe('revised.csv: added 0, unchanged 0, replaced 1');
    expect(replaced.lines.join('\n')).toContain('~ row 2: Xiaomi, May 2025: 28,000 (at_least, "over 28,000"; sources xiaomi-announcement-2025-05, caixin-2025-06) → 28,634 (exact; sources xiaomi-announcement-2025-05)');
    expect(sales(dir)[3]).toEqual({ seller: 'xiaomi', month: '2025-05', units: 28634, qualifier: 'exact', sources: ['xiaomi-announcement-2025-05'] });
    expect(sales(dir)).toHaveLength(4);
  });

  it('counts a repeated identical row once', async () => {
    const dir = dataDirWith();
    const file = path.join(scratch, 'twice.csv');
    writeFileSync(file, 'seller,month,units,qualifier,source\nXiaomi,2025-06,100,exact,cpca\n小米,2025-06,100,exact,cpca\n');
    const r = await run(file, dir);
    expect(r.lines[0]).toBe('twice.csv: added 1, unchanged 0, replaced 0 (1 repeated row counted once: row 3 = row 2)');
    expect(sales(dir)).toHaveLength(5);
  });

  it('--dry-run prints what would change and writes nothing', async () => {
    const dir = dataDirWith();
    const before = readFileSync(path.join(dir, 'sales.json'), 'utf8');
    const r = await run(path.join(FIXTURES, 'good.csv'), dir, { dryRun: true });
    expect(r.lines[0]).toBe('good.csv: would add 3, unchanged 1, would replace 0');
    expect(r.lines).toContain('  + row 2: Xiaomi, June 2025: 30,123 (exact, as of 2025-07-01; sources cpca, caixin-2025-06)');
    expect(r.lines.at(-1)).toBe('Dry run: nothing was written. Run again without --dry-run to apply.');
    expect(readFileSync(path.join(dir, 'sales.json'), 'utf8')).toBe(before);
  });

  it('names a missing or unknown column', async () => {
    const file = path.join(scratch, 'columns.csv');
    writeFileSync(file, 'seller,month,unit,qualifier\nXiaomi,2025-06,100,exact\n');
    const r = await run(file, dataDirWith());
    expect(r.problems).toEqual([
      'columns.csv, row 1, column unit: unknown column "unit" — did you mean units?; the columns are seller, month, units, qualifier, reported_as, source, as_of, note, up_to, margin',
      'columns.csv, row 1: columns.csv has no units or source column (headers found: seller, month, unit, qualifier); the first row must name the columns seller, month, units, qualifier, source',
    ]);
  });
});

describe('importing an .xlsx workbook', () => {
  it('reads dates, numbers and text cells, with the same checks and row numbers as Excel shows', async () => {
    const file = path.join(scratch, 'figures.xlsx');
    await writeXlsxFile([
      ['Seller', 'Month', 'Units', 'Qualifier', 'Source', 'As of'],
      ['小米', { value: new Date(Date.UTC(2025, 5, 1)), type: Date, format: 'mmm yyyy' }, 30123, 'exact', 'cpca', { value: new Date(Date.UTC(2025, 6, 1)), type: Date, format: 'yyyy-mm-dd' }],
      ['问界', '2025年6月', '12,000', 'approximate', 'cpca', null],
      ['Xiaomi Auto', '2025-07', 'many', 'exact', 'nowhere', null],
    ]).toFile(file);
    const dir = dataDirWith();
    const bad = await run(file, dir);
    expect(bad.problems).toEqual([
      expect.stringMatching(/^figures\.xlsx, row 4, column seller: "Xiaomi Auto" is not a known seller — did you mean Xiaomi/),
      'figures.xlsx, row 4, column units: "many" is not a whole number of vehicles; write e.g. 28585 or 28,585 (no "k", no decimals)',
      'figures.xlsx, row 4, column source: "nowhere" is not a known source; use a source id from sources.json (several separated by ";"), or add the source there first',
    ]);
    await writeXlsxFile([
      ['Seller', 'Month', 'Units', 'Qualifier', 'Source', 'As of'],
      ['小米', { value: new Date(Date.UTC(2025, 5, 1)), type: Date, format: 'mmm yyyy' }, 30123, 'exact', 'cpca', { value: new Date(Date.UTC(2025, 6, 1)), type: Date, format: 'yyyy-mm-dd' }],
      ['问界', '2025年6月', '12,000', 'approximate', 'cpca', null],
    ]).toFile(file);
    const good = await run(file, dir);
    expect(good.lines[0]).toBe('figures.xlsx: added 2, unchanged 0, replaced 0');
    expect(sales(dir).slice(4)).toEqual([
      { seller: 'xiaomi', month: '2025-06', units: 30123, qualifier: 'exact', asOf: '2025-07-01', sources: ['cpca'] },
      { seller: 'aito', month: '2025-06', units: 12000, qualifier: 'approximate', sources: ['cpca'] },
    ]);
  });
});

describe('export and import are a lossless round trip', () => {
  it('on the bundled data: importing the export changes nothing', async () => {
    const dir = dataDirWith();
    const file = path.join(scratch, 'bundled.csv');
    writeFileSync(file, salesToCsv((await loadCollections(dir)).sales));
    const r = await run(file, dir);
    expect(r.lines[0]).toBe('bundled.csv: added 0, unchanged 4, replaced 0');
    // Into an empty sales file, it rebuilds the same figures.
    const empty = dataDirWith({ 'sales.json': () => [] });
    await run(file, empty);
    expect(sales(empty)).toEqual(sales(dir));
  });

  it('keeps an upper limit (up_to) and a margin', async () => {
    const dir = dataDirWith();
    const file = path.join(scratch, 'bounds.csv');
    writeFileSync(file, 'seller,month,units,qualifier,reported_as,source,up_to,margin\nXiaomi,2025-06,28000,at_least,"over 28,000 but under 30,000",cpca,"30,000",\nHIMA,2025-06,45000,approximate,about 45000,cpca,,500\n');
    await run(file, dir);
    expect(sales(dir).slice(4)).toEqual([
      { seller: 'xiaomi', month: '2025-06', units: 28000, qualifier: 'at_least', upTo: 30000, reportedAs: 'over 28,000 but under 30,000', sources: ['cpca'] },
      { seller: 'hima', month: '2025-06', units: 45000, qualifier: 'approximate', margin: 500, reportedAs: 'about 45000', sources: ['cpca'] },
    ]);
    const exported = path.join(scratch, 'bounds-export.csv');
    writeFileSync(exported, salesToCsv(sales(dir)));
    expect(readFileSync(exported, 'utf8').split('\n')[0]).toBe('seller,month,units,qualifier,reported_as,source,as_of,note,up_to,margin');
    expect((await run(exported, dir)).lines[0]).toBe('bounds-export.csv: added 0, unchanged 6, replaced 0');
  });

  it('on a generated market (every qualifier, notes, several sources, alliances as sellers)', async () => {
    const generated = generateCollections({ companies: 60, months: 6, seed: 3 });
    const dir = mkdtempSync(path.join(scratch, 'generated-'));
    for (const [name, rows] of Object.entries(generated)) writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(name === 'sales' ? [] : rows));
    const file = path.join(scratch, 'generated.csv');
    writeFileSync(file, salesToCsv(generated.sales));
    const r = await run(file, dir);
    expect(r.problems).toEqual([]);
    expect(r.lines[0]).toBe(`generated.csv: added ${generated.sales.length}, unchanged 0, replaced 0`);
    expect(sales(dir)).toEqual(generated.sales);
    writeFileSync(path.join(scratch, 'again.csv'), salesToCsv(sales(dir)));
    expect(readFileSync(path.join(scratch, 'again.csv'), 'utf8')).toBe(readFileSync(file, 'utf8'));
  });
});
