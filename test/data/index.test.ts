import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCollections } from '../../bench/generate.js';
import { DatasetIndex } from '../../src/data/index.js';
import { loadDataset } from '../../src/data/load.js';
import { normalizeName } from '../../src/data/normalize.js';
import { BUNDLED_DATA, dataDirWith, removeDataDirs } from '../support/data-dir.js';

let data: DatasetIndex;
beforeAll(async () => {
  data = await DatasetIndex.load(BUNDLED_DATA);
});

const found = (q: string) => {
  const r = data.resolve(q);
  return r.kind === 'found' ? r.value.id : r.kind;
};

describe('normalisation', () => {
  it('folds case, punctuation, whitespace and full-width forms', () => {
    expect(normalizeName('Xiaomi Corp.')).toBe('xiaomicorp');
    expect(normalizeName('ＸＩＡＯＭＩ　ｃｏｒｐ')).toBe('xiaomicorp');
    expect(normalizeName(' BAIC  Blue-Park ')).toBe('baicbluepark');
    expect(normalizeName('问界 M8')).toBe('问界m8');
  });
});

describe('name resolution', () => {
  it.each([
    ['xiaomi', 'xiaomi'], ['XIAOMI', 'xiaomi'], ['Xiaomi Corp.', 'xiaomi'], ['ｘｉａｏｍｉ', 'xiaomi'],
    ['huawei', 'huawei'], ['HIMA', 'hima'], ['Harmony Intelligent Mobility Alliance', 'hima'],
    ['seres group', 'seres'], ['BAIC BluePark', 'baic-bluepark'], ['Jianghuai', 'jac'], ['SAIC Motor', 'saic'],
    ['Shenzhen Yinwang', 'yinwang'], ['Aito', 'aito'], ['luxeed', 'luxeed'], ['stelato', 'stelato'], ['Maextro', 'maextro'],
    ['shangjie', 'shangjie'], ['SU7', 'su7'], ['Aito M8', 'aito-m8'], ['Richard Yu', 'richard-yu'],
  ])('exact alias %s → %s', (q, id) => {
    expect(data.resolve(q)).toMatchObject({ kind: 'found', via: 'exact', value: { id } });
  });

  it.each([
    ['华为', 'huawei'], ['小米', 'xiaomi'], ['鸿蒙智行', 'hima'], ['问界', 'aito'], ['智界', 'luxeed'], ['享界', 'stelato'],
    ['尊界', 'maextro'], ['尚界', 'shangjie'], ['赛力斯', 'seres'], ['奇瑞', 'chery'], ['北汽蓝谷', 'baic-bluepark'],
    ['江淮', 'jac'], ['上汽', 'saic'], ['引望', 'yinwang'],
  ])('Chinese alias %s → %s', (q, id) => {
    expect(found(q)).toBe(id);
  });

  it.each([
    ['xiomi', 'xiaomi'], ['xiaomo', 'xiaomi'], ['hauwei', 'huawei'], ['huawie', 'huawei'], ['chrey', 'chery'],
    ['luxed', 'luxeed'], ['stelatto', 'stelato'], ['seress', 'seres'], ['yinwnag', 'yinwang'],
  ])('typo %s → %s (fuzzy)', (q, id) => {
    expect(data.resolve(q)).toMatchObject({ kind: 'found', via: 'fuzzy', value: { id } });
  });

  it.each(['tesla', 'qwerty', 'asdfgh', 'byd', 'nio', 'apple', 'hello', '', '   ', '!!!', 'x'.repeat(5000)])(
    'nonsense stays unknown: %s', (q) => {
      expect(data.resolve(q).kind).toBe('unknown');
    },
  );

  it('offers both candidates when a typo is equally close to two names', () => {
    const ix = new DatasetIndex({
      ...data.data,
      companies: [...data.data.companies, { ...data.data.companies[1]!, id: 'xiaomo', name: 'Xiaomo', aliases: ['Xiaomo'] }],
    });
    const r = ix.resolve('xiaomu');
    expect(r.kind).toBe('ambiguous');
    expect(r.kind === 'ambiguous' && r.candidates.map((c) => c.id).sort()).toEqual(['xiaomi', 'xiaomo']);
  });
});

describe('index look-ups', () => {
  it('Huawei answers sales through its alliance', () => {
    expect(data.sellerFor(data.entity('huawei')!).id).toBe('hima');
    expect(data.sellerFor(data.entity('xiaomi')!).id).toBe('xiaomi');
  });

  it('knows the months with data and finds a figure by month', () => {
    expect(data.months).toEqual(['2025-04', '2025-05']);
    expect(data.sale('xiaomi', '2025-04')?.units).toBe(28585);
    expect(data.sale('xiaomi', '2025-03')).toBeUndefined();
    expect(data.salesIn('2025-05').map((s) => s.seller).sort()).toEqual(['hima', 'xiaomi']);
  });

  it('finds the events of a year or a month, days included, nothing from the next month', () => {
    expect(data.eventsDuring('2025-05').map((e) => e.date)).toEqual(['2025-05', '2025-05-30']);
    // "2025" is Shangjie's first model, due "this fall": the year is all the article gives.
    expect(data.eventsDuring('2025').map((e) => e.date)).toEqual(['2025', '2025-04', '2025-04', '2025-05', '2025-05-30', '2025-06-01']);
    expect(data.eventsDuring('2024').map((e) => e.id)).toEqual(['su7-launch']);
    expect(data.eventsDuring('2023')).toEqual([]);
  });

  it('relates brands, makers, models and events', () => {
    expect(data.brandsOfAlliance('hima').map((b) => b.id)).toEqual(['aito', 'luxeed', 'stelato', 'maextro', 'shangjie']);
    expect(data.brandsMadeBy('seres').map((b) => b.id)).toEqual(['aito']);
    expect(data.modelsOfBrand('aito').map((m) => m.id)).toEqual(['aito-m8']);
    expect(data.eventsOf('richard-yu').map((e) => e.date)).toEqual(['2025-05-30']);
  });

  it('completes names by prefix first, at most the limit, each entity once', () => {
    expect(data.complete('x', 25)[0]?.id).toBe('xiaomi');
    expect(data.complete('xiom', 25).map((e) => e.id)).toContain('xiaomi');
    expect(data.complete('', 3)).toHaveLength(3);
    const all = data.complete('', 25).map((e) => e.id);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('an index built for a reload', () => {
  afterAll(removeDataDirs);

  it('takes the names over when no entity file changed, and indexes the new figures', async () => {
    const before = await loadDataset(BUNDLED_DATA);
    const serving = DatasetIndex.fromLoaded(before);
    const dir = dataDirWith({ 'sales.json': (rows) => [...rows, { seller: 'xiaomi', month: '2025-06', units: 25000, qualifier: 'exact', sources: ['caixin-2025-06'] }] });
    const next = await DatasetIndex.build(await loadDataset(dir), serving);
    expect(next.sale('xiaomi', '2025-06')?.units).toBe(25000);
    expect(next.months.at(-1)).toBe('2025-06');
    expect(next.lookupExact('小米')?.id).toBe('xiaomi');
    expect(next.resolve('xiomi')).toMatchObject({ kind: 'found', value: { id: 'xiaomi' } });
  });

  it('indexes the names again when an entity file changed: a new alias is understood at once', async () => {
    const serving = DatasetIndex.fromLoaded(await loadDataset(BUNDLED_DATA));
    const dir = dataDirWith({ 'companies.json': (rows) => rows.map((r) => ((r as { id: string }).id === 'xiaomi' ? { ...(r as object), aliases: [...(r as { aliases: string[] }).aliases, 'Mi Auto'] } : r)) });
    const next = await DatasetIndex.build(await loadDataset(dir), serving);
    expect(next.lookupExact('mi auto')?.id).toBe('xiaomi');
    expect(serving.lookupExact('mi auto')).toBeUndefined();
  });

  it('groups a large set of figures the same way in steps as in one go', () => {
    const data = generateCollections({ companies: 300, months: 12, seed: 9 });
    const whole = new DatasetIndex(data);
    return DatasetIndex.build({ data, version: whole.version, present: {} as never, realDir: '', digests: {} as never }).then((stepped) => {
      expect(stepped.months).toEqual(whole.months);
      expect(stepped.sellers().map((e) => e.id)).toEqual(whole.sellers().map((e) => e.id));
      for (const id of whole.sellers().slice(0, 40).map((e) => e.id)) expect(stepped.salesOf(id)).toEqual(whole.salesOf(id));
    });
  });
});
