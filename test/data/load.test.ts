import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError, loadCollections, loadDataset, type LoadOptions } from '../../src/data/load.js';
import { BUNDLED_DATA, dataDirWith, removeDataDirs, writeRaw } from '../support/data-dir.js';

afterAll(removeDataDirs);

type Row = Record<string, unknown>;
const at = (i: number, patch: Row) => (rows: unknown[]) => rows.map((r, j) => (j === i ? { ...(r as Row), ...patch } : r));

async function problemsOf(dir: string, options: LoadOptions = {}): Promise<string[]> {
  try {
    await loadCollections(dir, options);
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return (err as DataError).problems.map((p) => p.replaceAll(dir, 'DIR'));
  }
  throw new Error('expected the data directory to be rejected');
}

describe('loading the bundled data', () => {
  it('loads every collection from the article', async () => {
    const data = await loadCollections(BUNDLED_DATA);
    expect(data.companies.map((c) => c.id).sort()).toEqual(['baic-bluepark', 'chery', 'huawei', 'jac', 'saic', 'seres', 'xiaomi', 'yinwang']);
    expect(data.brands.map((b) => [b.name, b.maker])).toEqual([['Aito', 'seres'], ['Luxeed', 'chery'], ['Stelato', 'baic-bluepark'], ['Maextro', 'jac'], ['Shangjie', 'saic']]);
    expect(data.sales).toHaveLength(4);
    expect(data.sales.find((s) => s.seller === 'xiaomi' && s.month === '2025-05')).toMatchObject({ units: 28000, qualifier: 'at_least' });
    expect(data.events.map((e) => e.date)).toEqual(['2021', '2024', '2025', '2025-04', '2025-04', '2025-05', '2025-05-30', '2025-06-01']);
    const tickers = Object.fromEntries(data.companies.filter((c) => c.ticker).map((c) => [c.id, c.ticker]));
    expect(tickers).toEqual({ seres: '601127.SH', 'baic-bluepark': '600733.SH', saic: '600104.SH' });
  });
});

describe('schema errors name the file, the JSON path and the problem', () => {
  it.each([
    ['units as text', 'sales.json', at(3, { units: '28k' }), 'DIR/sales.json: item 4, units: expected a positive integer, got "28k"'],
    ['negative units', 'sales.json', at(0, { units: -5 }), 'DIR/sales.json: item 1, units: expected a positive integer, got -5'],
    ['fractional units', 'sales.json', at(0, { units: 1.5 }), 'DIR/sales.json: item 1, units: expected a positive integer, got 1.5'],
    ['bad month', 'sales.json', at(1, { month: 'April' }), 'DIR/sales.json: item 2, month: expected a month as YYYY-MM, got "April"'],
    ['unknown qualifier', 'sales.json', at(0, { qualifier: 'roughly' }), 'DIR/sales.json: item 1, qualifier:'],
    ['missing sources', 'sales.json', at(0, { sources: [] }), 'DIR/sales.json: item 1, sources: expected at least one source id, got []'],
    ['bad event date', 'events.json', at(2, { date: '2025/04' }), 'DIR/events.json: item 3, date: expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got "2025/04"'],
    ['empty name', 'companies.json', at(0, { name: '' }), 'DIR/companies.json: item 1, name: expected a non-empty string, got ""'],
    ['unknown field', 'brands.json', at(0, { colour: 'red' }), 'DIR/brands.json: item 1: Unrecognized key: "colour"'],
  ])('%s', async (_name, file, edit, expected) => {
    const problems = await problemsOf(dataDirWith({ [file]: edit }));
    expect(problems.join('\n')).toContain(expected);
  });

  it('reports a file that is not JSON, and one that is not an array', async () => {
    const dir = dataDirWith();
    writeRaw(dir, 'sales.json', '[{"seller": "xiaomi",');
    writeRaw(dir, 'events.json', '{"events": []}');
    const problems = await problemsOf(dir);
    expect(problems).toContain('DIR/sales.json: line 1, column 22: not valid JSON (the file ends in the middle of a value); check the brackets, commas and quotes there');
    expect(problems).toContain('DIR/events.json: (root): expected a JSON array of events, got {"events":[]}');
  });

  it('reports a missing required file', async () => {
    const dir = dataDirWith();
    const { rmSync } = await import('node:fs');
    rmSync(`${dir}/sources.json`);
    expect(await problemsOf(dir)).toContain('DIR/sources.json: file not found (every dataset needs it)');
  });
});

describe('cross-reference errors', () => {
  it.each([
    ["a sale's seller", 'sales.json', at(0, { seller: 'tesla' }), 'DIR/sales.json: item 1, seller: unknown seller (company, alliance or brand) "tesla"'],
    ["a sale's source", 'sales.json', at(2, { sources: ['nowhere'] }), 'DIR/sales.json: item 3, sources #1: unknown source "nowhere"; add it to DIR/sources.json or fix the id'],
    ["a brand's maker", 'brands.json', at(1, { maker: 'geely' }), 'DIR/brands.json: item 2, maker: unknown company "geely"'],
    ["a brand's alliance", 'brands.json', at(1, { alliance: 'nope' }), 'DIR/brands.json: item 2, alliance: unknown alliance "nope"'],
    ["an event's entity", 'events.json', at(0, { entities: ['huawei', 'ghost'] }), 'DIR/events.json: item 1, entities #2: unknown entity "ghost"'],
    ["a model's brand", 'models.json', at(1, { brand: 'xpeng' }), 'DIR/models.json: item 2, brand: unknown brand "xpeng"'],
    ["a person's affiliation", 'people.json', at(0, { affiliation: 'apple' }), 'DIR/people.json: item 1, affiliation: unknown company "apple"'],
    ["an alliance's leader", 'alliances.json', at(0, { leader: 'nobody' }), 'DIR/alliances.json: item 1, leader: unknown company "nobody"'],
    ["a company's salesVia", 'companies.json', at(0, { salesVia: 'xiaomi' }), 'DIR/companies.json: item 1, salesVia: unknown alliance "xiaomi"'],
  ])('%s must exist', async (_name, file, edit, expected) => {
    expect((await problemsOf(dataDirWith({ [file]: edit }))).join('\n')).toContain(expected);
  });

  it('an alias may belong to one entity only, after normalisation', async () => {
    const problems = await problemsOf(dataDirWith({ 'brands.json': at(0, { aliases: ['Aito', 'XIAOMI'] }) }));
    expect(problems).toContain('DIR/brands.json: item 1, aliases #2: alias "XIAOMI" already belongs to "xiaomi"; an alias may name one entity only');
  });

  it('ids are unique across collections, and one figure per seller and month', async () => {
    const problems = await problemsOf(dataDirWith({
      'brands.json': at(0, { id: 'seres' }),
      'sales.json': (rows) => [...rows, { ...(rows[0] as Row), units: 1 }],
    }));
    expect(problems.join('\n')).toContain('DIR/brands.json: item 1, id: id "seres" is already used in DIR/companies.json');
    expect(problems.join('\n')).toContain('DIR/sales.json: item 5: a second figure for "xiaomi" in 2025-04');
  });

  it('lists every problem at once', async () => {
    const problems = await problemsOf(dataDirWith({ 'sales.json': (rows) => rows.map((r) => ({ ...(r as Row), units: 'many' })) }));
    expect(problems).toHaveLength(4);
  });
});

describe('files as people save them', () => {
  it('accepts a UTF-8 byte order mark', async () => {
    const dir = dataDirWith();
    const text = JSON.stringify(JSON.parse(readBundled('sales.json')), null, 2);
    writeRaw(dir, 'sales.json', `\uFEFF${text}`);
    expect((await loadCollections(dir)).sales).toHaveLength(4);
  });

  it('gives the line and column of a JSON syntax error, not a byte position', async () => {
    const dir = dataDirWith();
    writeRaw(dir, 'sales.json', '[\n  {"seller": "xiaomi", "month": "2025-04"}\n  {"seller": "hima"}\n]');
    writeRaw(dir, 'events.json', '[1,]');
    const problems = await problemsOf(dir);
    expect(problems).toContain("DIR/sales.json: line 3, column 3: not valid JSON (Expected ',' or ']' after array element); check the brackets, commas and quotes there");
    expect(problems).toContain("DIR/events.json: line 1, column 4: not valid JSON (Unexpected token ']'); check the brackets, commas and quotes there");
    expect(problems.join('\n')).not.toMatch(/position \d+/);
  });

  it('lists the first 50 problems and counts the rest', async () => {
    const dir = dataDirWith();
    writeRaw(dir, 'sales.json', JSON.stringify(Array.from({ length: 5000 }, () => ({ seller: 'xiaomi', month: 'soon', units: 'many', qualifier: 'exact', sources: ['cpca'] }))));
    try {
      await loadCollections(dir);
      throw new Error('expected a DataError');
    } catch (err) {
      const e = err as DataError;
      expect(e.problems).toHaveLength(50);
      expect(e.more).toBe(9950);
      expect(e.message).toContain('…and 9,950 more');
      expect(e.message.length).toBeLessThan(10_000);
    }
  });

  it('refuses a file over DATA_MAX_BYTES, naming the file, its size and the variable', async () => {
    const problems = await problemsOf(dataDirWith(), { maxBytes: 1000 });
    expect(problems.find((p) => p.startsWith('DIR/companies.json'))).toMatch(/^DIR\/companies\.json: the file is [\d.]+ KiB \([\d,]+ bytes\), over DATA_MAX_BYTES \(1000 bytes\); raise DATA_MAX_BYTES or split the data$/);
  });

  it('refuses a named pipe at once instead of blocking on it', async () => {
    const dir = dataDirWith();
    rmSync(path.join(dir, 'events.json'));
    execFileSync('mkfifo', [path.join(dir, 'events.json')]);
    expect(await problemsOf(dir, { readTimeoutMs: 60_000 })).toContain('DIR/events.json: is a named pipe (FIFO); replace it with a regular JSON file');
  });

  it('refuses an empty sales file unless it is allowed', async () => {
    const dir = dataDirWith({ 'sales.json': () => [] });
    expect(await problemsOf(dir, { allowEmptySales: false })).toContain('DIR/sales.json: holds no figures ([]); restore the figures, or set DATA_ALLOW_EMPTY_SALES=true if an empty dataset is intended');
    expect((await loadCollections(dir, { allowEmptySales: true })).sales).toEqual([]);
  });

  it('follows a DATA_DIR that is a symbolic link, and names the link in messages', async () => {
    const target = dataDirWith({ 'sales.json': at(0, { units: 'x' }) });
    const link = `${target}-link`;
    symlinkSync(target, link);
    try {
      const problems = await problemsOf(link);
      // problemsOf writes the directory it was given (the link) as DIR.
      expect(problems.join('\n')).toContain('DIR/sales.json: item 1, units: expected a positive integer');
      writeFileSync(path.join(target, 'sales.json'), readBundled('sales.json'));
      expect((await loadDataset(link)).realDir).toBe(target);
    } finally {
      rmSync(link);
    }
  });
});

function readBundled(file: string): string {
  return readFileSync(path.join(BUNDLED_DATA, file), 'utf8');
}
