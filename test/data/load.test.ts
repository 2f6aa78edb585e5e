import { afterAll, describe, expect, it } from 'vitest';
import { DataError, loadCollections } from '../../src/data/load.js';
import { BUNDLED_DATA, dataDirWith, removeDataDirs, writeRaw } from '../support/data-dir.js';

afterAll(removeDataDirs);

type Row = Record<string, unknown>;
const at = (i: number, patch: Row) => (rows: unknown[]) => rows.map((r, j) => (j === i ? { ...(r as Row), ...patch } : r));

async function problemsOf(dir: string): Promise<string[]> {
  try {
    await loadCollections(dir);
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
    expect(data.events.map((e) => e.date)).toEqual(['2021', '2024', '2025-04', '2025-04', '2025-05', '2025-05-30', '2025-06-01']);
    const tickers = Object.fromEntries(data.companies.filter((c) => c.ticker).map((c) => [c.id, c.ticker]));
    expect(tickers).toEqual({ seres: '601127.SH', 'baic-bluepark': '600733.SH', saic: '600104.SH' });
  });
});

describe('schema errors name the file, the JSON path and the problem', () => {
  it.each([
    ['units as text', 'sales.json', at(3, { units: '28k' }), 'DIR/sales.json: [3].units: expected a positive integer, got "28k"'],
    ['negative units', 'sales.json', at(0, { units: -5 }), 'DIR/sales.json: [0].units: expected a positive integer, got -5'],
    ['fractional units', 'sales.json', at(0, { units: 1.5 }), 'DIR/sales.json: [0].units: expected a positive integer, got 1.5'],
    ['bad month', 'sales.json', at(1, { month: 'April' }), 'DIR/sales.json: [1].month: expected a month as YYYY-MM, got "April"'],
    ['unknown qualifier', 'sales.json', at(0, { qualifier: 'roughly' }), 'DIR/sales.json: [0].qualifier:'],
    ['missing sources', 'sales.json', at(0, { sources: [] }), 'DIR/sales.json: [0].sources: expected at least one source id, got []'],
    ['bad event date', 'events.json', at(2, { date: '2025/04' }), 'DIR/events.json: [2].date: expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got "2025/04"'],
    ['empty name', 'companies.json', at(0, { name: '' }), 'DIR/companies.json: [0].name: expected a non-empty string, got ""'],
    ['unknown field', 'brands.json', at(0, { colour: 'red' }), 'DIR/brands.json: [0]: Unrecognized key: "colour"'],
  ])('%s', async (_name, file, edit, expected) => {
    const problems = await problemsOf(dataDirWith({ [file]: edit }));
    expect(problems.join('\n')).toContain(expected);
  });

  it('reports a file that is not JSON, and one that is not an array', async () => {
    const dir = dataDirWith();
    writeRaw(dir, 'sales.json', '[{"seller": "xiaomi",');
    writeRaw(dir, 'events.json', '{"events": []}');
    const problems = await problemsOf(dir);
    expect(problems.some((p) => p.startsWith('DIR/sales.json: not valid JSON'))).toBe(true);
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
    ["a sale's seller", 'sales.json', at(0, { seller: 'tesla' }), 'DIR/sales.json: [0].seller: unknown seller (company, alliance or brand) "tesla"'],
    ["a sale's source", 'sales.json', at(2, { sources: ['nowhere'] }), 'DIR/sales.json: [2].sources[0]: unknown source "nowhere"; add it to DIR/sources.json or fix the id'],
    ["a brand's maker", 'brands.json', at(1, { maker: 'geely' }), 'DIR/brands.json: [1].maker: unknown company "geely"'],
    ["a brand's alliance", 'brands.json', at(1, { alliance: 'nope' }), 'DIR/brands.json: [1].alliance: unknown alliance "nope"'],
    ["an event's entity", 'events.json', at(0, { entities: ['huawei', 'ghost'] }), 'DIR/events.json: [0].entities[1]: unknown entity "ghost"'],
    ["a model's brand", 'models.json', at(1, { brand: 'xpeng' }), 'DIR/models.json: [1].brand: unknown brand "xpeng"'],
    ["a person's affiliation", 'people.json', at(0, { affiliation: 'apple' }), 'DIR/people.json: [0].affiliation: unknown company "apple"'],
    ["an alliance's leader", 'alliances.json', at(0, { leader: 'nobody' }), 'DIR/alliances.json: [0].leader: unknown company "nobody"'],
    ["a company's salesVia", 'companies.json', at(0, { salesVia: 'xiaomi' }), 'DIR/companies.json: [0].salesVia: unknown alliance "xiaomi"'],
  ])('%s must exist', async (_name, file, edit, expected) => {
    expect((await problemsOf(dataDirWith({ [file]: edit }))).join('\n')).toContain(expected);
  });

  it('an alias may belong to one entity only, after normalisation', async () => {
    const problems = await problemsOf(dataDirWith({ 'brands.json': at(0, { aliases: ['Aito', 'XIAOMI'] }) }));
    expect(problems).toContain('DIR/brands.json: [0].aliases[1]: alias "XIAOMI" already belongs to "xiaomi"; an alias may name one entity only');
  });

  it('ids are unique across collections, and one figure per seller and month', async () => {
    const problems = await problemsOf(dataDirWith({
      'brands.json': at(0, { id: 'seres' }),
      'sales.json': (rows) => [...rows, { ...(rows[0] as Row), units: 1 }],
    }));
    expect(problems.join('\n')).toContain('DIR/brands.json: [0].id: id "seres" is already used in DIR/companies.json');
    expect(problems.join('\n')).toContain('DIR/sales.json: [4]: a second figure for "xiaomi" in 2025-04');
  });

  it('lists every problem at once', async () => {
    const problems = await problemsOf(dataDirWith({ 'sales.json': (rows) => rows.map((r) => ({ ...(r as Row), units: 'many' })) }));
    expect(problems).toHaveLength(4);
  });
});
