import { beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../src/core/bot.js';
import type { Block } from '../../src/core/reply.js';
import { ask, makeBot } from '../support/bot.js';

let bot: Bot;
beforeAll(async () => {
  bot = await makeBot();
});

const fields = (blocks: Block[]) => Object.fromEntries(blocks.flatMap((b) => (b.type === 'fields' ? b.fields.map((f) => [f.label, f.value]) : [])));
const tables = (blocks: Block[]) => blocks.flatMap((b) => (b.type === 'table' ? [b] : []));

describe('/sales', () => {
  it('gives an exact figure with its month, qualifier and source', () => {
    const r = ask(bot, '/sales xiaomi april');
    expect(r.kind).toBe('answer');
    expect(fields(r.blocks)).toEqual({ Units: '28,585', Month: 'April 2025', Qualifier: 'exact' });
    expect(r.sources.map((s) => s.id)).toContain('cpca');
    expect(r.text).toContain('Xiaomi sold 28,585 vehicles in April 2025.');
  });

  it('keeps "over 28,000" a lower bound', () => {
    const r = ask(bot, '/sales xiaomi may');
    expect(fields(r.blocks)).toMatchObject({ Units: 'over 28,000', Qualifier: 'lower bound' });
    expect(r.text).toContain('over 28,000 vehicles in May 2025 (a lower bound)');
    expect(r.text).not.toMatch(/(?<!over )28,000 vehicles/);
    expect(r.sources.map((s) => s.id)).toContain('xiaomi-announcement-2025-05');
  });

  it('answers Huawei with the HIMA figure and says so', () => {
    const r = ask(bot, '/sales huawei may');
    expect(fields(r.blocks).Units).toBe('44,454');
    expect(r.text).toContain('Huawei (HIMA) sold 44,454');
    expect(r.text).toContain("Huawei's vehicle sales are reported through its alliance, HIMA");
  });

  it('lists every month newest first with the change, keeping bounds', () => {
    const r = ask(bot, '/sales xiaomi');
    const [table] = tables(r.blocks);
    expect(table?.rows).toEqual([
      ['May 2025', 'over 28,000', 'lower bound', 'down at most 585 (at most −2.0%)'],
      ['April 2025', '28,585', 'exact', '—'],
    ]);
  });

  it.each([
    ['/sales XIAOMI Apr', '28,585'], ['/sales 小米 4月', '28,585'], ['/sales xiomi april', '28,585'], ['/sales hima 2025-05', '44,454'],
    ['/sales 鸿蒙智行 2025年5月', '44,454'], ['/sales huawei 04/2025', '27,555'], ['/sales Xiaomi Corp. April 2025', '28,585'],
  ])('%s → %s', (line, units) => {
    expect(fields(ask(bot, line).blocks).Units).toBe(units);
  });

  it('is friendly about unknown names, months without data and missing arguments', () => {
    const tesla = ask(bot, '/sales tesla april');
    expect(tesla.kind).toBe('notice');
    expect(tesla.text).toContain('I don\'t know "tesla"');
    expect(tesla.text).toContain('Sales figures are on record for Xiaomi, HIMA');
    const july = ask(bot, '/sales xiaomi 2025-07');
    expect(july.title).toBe('No figure for Xiaomi in July 2025');
    expect(july.text).toContain('April 2025, May 2025');
    const none = ask(bot, '/sales aito');
    expect(none.title).toBe('No sales figures for Aito');
    const empty = ask(bot, '/sales');
    expect(empty.title).toBe('Usage: /sales <company|alliance|brand> [month]');
    expect(empty.text).toContain('Missing: company.');
    expect(empty.suggestions[0]).toBe('/sales xiaomi april');
  });
});

describe('/compare', () => {
  it('puts April side by side: Xiaomi ahead by 1,030', () => {
    const r = ask(bot, '/compare xiaomi huawei april');
    expect(r.title).toBe('Xiaomi vs Huawei (HIMA), April 2025');
    expect(r.text).toContain('Xiaomi is ahead by 1,030.');
  });

  it('keeps the gap a bound when a figure is a lower bound', () => {
    const r = ask(bot, '/compare xiaomi vs huawei may');
    expect(r.text).toContain("Huawei (HIMA) is ahead by at most 16,454 (Xiaomi's figure is a lower bound; the order is stated by the source: \"Huawei reclaimed the EV sales top spot\").");
    expect(r.text).not.toMatch(/by 16,454/);
  });

  it('defaults to the newest month both have, and splits multi-word names', () => {
    expect(ask(bot, '/compare hima xiaomi').title).toContain('May 2025');
    expect(ask(bot, '/compare Xiaomi Corp Harmony Intelligent Mobility Alliance april').text).toContain('Xiaomi is ahead by 1,030.');
  });

  it('explains what it cannot compare', () => {
    expect(ask(bot, '/compare huawei hima').title).toBe('Huawei and HIMA share one set of figures');
    expect(ask(bot, '/compare xiaomi tesla').text).toContain('I don\'t know "tesla"');
    expect(ask(bot, '/compare xiaomi aito').title).toBe('No month with figures for both Xiaomi and Aito');
  });
});

describe('commands read their text like questions do: any order, typos, Chinese months', () => {
  it.each([
    ['/sales april xiaomi', '28,585'], ['/sales xiomi aprl', '28,585'], ['/sales huwei mya', '44,454'], ['/sales xiaomi 五月', 'over 28,000'],
    ['/sales 小米 2025年四月', '28,585'], ['/sales xiaomi april 🚗!!', '28,585'], ['/sales 小米汽车 4月', '28,585'], ['/sales xiaomi 4', '28,585'],
    ['/sales APRIL, Xiaomi?', '28,585'],
  ])('%s → %s', (line, units) => {
    expect(fields(ask(bot, line).blocks).Units).toBe(units);
  });

  it.each([
    ['/compare may xiaomi huawei', 'Xiaomi vs Huawei (HIMA), May 2025'], ['/compare xiaomi huawei mya', 'Xiaomi vs Huawei (HIMA), May 2025'],
    ['/compare april xiaomi hima', 'Xiaomi vs HIMA, April 2025'],
  ])('%s', (line, title) => {
    expect(ask(bot, line).title.replace('Xiaomi vs Huawei (HIMA)', 'Xiaomi vs Huawei (HIMA)')).toBe(title.replace('Xiaomi vs HIMA', 'Xiaomi vs Huawei (HIMA)'));
  });

  it('never ignores a month it was given', () => {
    const y2024 = ask(bot, '/sales xiaomi 2024');
    expect(y2024.kind).toBe('notice');
    expect(y2024.title).toBe('No figures for Xiaomi in 2024');
    expect(y2024.text).toContain('April 2025, May 2025');
    expect(ask(bot, '/sales xiaomi 13/2025').title).toMatch(/can't read "13\/2025" as a month/);
  });

  it('names what it does not know instead of dropping it', () => {
    const r = ask(bot, '/sales xiaomi yu7');
    expect(r.kind).toBe('notice');
    expect(r.text).toMatch(/"yu7" is not on record/);
    expect(r.text).not.toContain('28,585');
  });

  it('answers changes, totals and trends from the same commands', () => {
    expect(ask(bot, '/sales hima april may').text).toContain('up 16,899 (+61.3%)');
    expect(ask(bot, '/sales hima total').text).toContain('72,009');
    expect(ask(bot, '/compare xiaomi huawei trend').title).toBe('Xiaomi vs Huawei, month by month');
    expect(ask(bot, '/company 601127').title).toBe('Seres Group Co. Ltd.');
    expect(ask(bot, '/company 600104.sh').title).toBe('SAIC Motor Corp. Ltd.');
  });
});

describe('/partners', () => {
  it('lists the five HIMA brands with their makers for Huawei', () => {
    const r = ask(bot, '/partners huawei');
    expect(tables(r.blocks)[0]?.rows.map((row) => [row[0], row[1]])).toEqual([
      ['Aito', 'Seres'], ['Luxeed', 'Chery'], ['Stelato', 'BAIC BluePark'], ['Maextro', 'JAC'], ['Shangjie', 'SAIC Motor'],
    ]);
    expect(ask(bot, '/partners hima').text).toContain('led by Huawei and has 5 brands');
  });

  it('gives a brand its maker and alliance', () => {
    const r = ask(bot, '/partners 问界');
    expect(fields(r.blocks)).toEqual({ Maker: 'Seres', Alliance: 'HIMA' });
    expect(ask(bot, '/partners shangjie').text).toContain('first model is due "this fall"');
    expect(ask(bot, '/partners seres').text).toContain('Seres makes Aito in HIMA, with Huawei.');
  });

  it('says so for a company without partners in the data', () => {
    const r = ask(bot, '/partners xiaomi');
    expect(r.kind).toBe('notice');
    expect(r.text).toContain('The data has no partner brands for Xiaomi.');
    expect(ask(bot, '/partners yinwang').text).toContain('Yinwang was spun off from Huawei.');
  });
});

describe('/company', () => {
  it('shows legal name, ticker, role, summary, related brands and events', () => {
    const r = ask(bot, '/company seres');
    expect(r.title).toBe('Seres Group Co. Ltd.');
    expect(fields(r.blocks)).toMatchObject({ Name: 'Seres Group Co. Ltd.', Ticker: '601127.SH', Role: "Automaker, Huawei's key HIMA partner" });
    expect(r.text).toContain('Related: makes Aito; model Aito M8');
    expect(r.text).toContain('April 2025: Aito M8 launched');
  });

  it.each([
    ['baic', '600733.SH'], ['上汽', '600104.SH'],
  ])('%s has ticker %s', (name, ticker) => {
    expect(fields(ask(bot, `/company ${name}`).blocks).Ticker).toBe(ticker);
  });

  it('describes Yinwang and people too', () => {
    expect(ask(bot, '/company yinwang').text).toContain('Spun off from Huawei.');
    expect(ask(bot, '/company richard yu').text).toContain("Chairman of Huawei's consumer business group");
  });
});

describe('/timeline', () => {
  const dates = (line: string) =>
    ask(bot, line).blocks.flatMap((b) => (b.type === 'text' ? b.lines : [])).filter((l) => !l.startsWith('…')).map((l) => l.split(': ')[0]);

  it('lists every event in date order, dates at their own precision', () => {
    expect(dates('/timeline')).toEqual(['2021', '2024', '"This fall" (the article\'s words; its date is not given, its latest dated event is June 1, 2025)', 'April 2025', 'April 2025', 'May 2025', 'May 30, 2025', 'As of June 1, 2025']);
  });

  it('filters by month, year, name and keyword', () => {
    expect(dates('/timeline april 2025')).toEqual(['April 2025', 'April 2025']);
    expect(dates('/timeline 2025-05')).toEqual(['May 2025', 'May 30, 2025']);
    expect(dates('/timeline 2024')).toEqual(['2024']);
    expect(dates('/timeline xiaomi 2025')).toEqual(['April 2025', 'May 2025', 'As of June 1, 2025']);
    expect(dates('/timeline richard yu')).toEqual(['May 30, 2025']);
    expect(dates('/timeline smart selection')).toEqual(['2021']);
    expect(ask(bot, '/timeline 1999').title).toBe('No events for 1999');
  });
});

describe('/digest', () => {
  it('summarises the newest month: ranks, bounded change, leader change, events, sources', () => {
    const r = ask(bot, '/digest');
    expect(r.title).toBe('Monthly digest: May 2025');
    expect(tables(r.blocks)[0]?.rows).toEqual([
      ['1', 'Huawei (HIMA)', '44,454', 'up 16,899 (+61.3%)'],
      ['2', 'Xiaomi', 'over 28,000', 'down at most 585 (at most −2.0%)'],
    ]);
    expect(r.text).toContain('The lead changed: Huawei (HIMA) took it from Xiaomi, who led in April 2025.');
    expect(r.text).toContain('May 30, 2025: Richard Yu speaks at a forum on competition and brand building');
    expect(r.blocks.filter((b) => b.type === 'chart').map((b) => b.type === 'chart' && b.chart.kind)).toEqual(['bar', 'line']);
    expect(r.text.split('\n\n')[1]).toBe("Huawei (HIMA) took the lead from Xiaomi in May 2025: 44,454 vs Xiaomi's over 28,000 — a gap of at most 16,454.");
    expect(r.sources.length).toBeGreaterThan(1);
  });

  it('summarises a given month and explains a month without data', () => {
    expect(ask(bot, '/digest april').text).toContain('Xiaomi is ahead by 1,030.');
    const r = ask(bot, '/digest 2024-01');
    expect(r.kind).toBe('notice');
    expect(r.text).toContain('Months with data: April 2025, May 2025.');
  });
});

describe('/help and unknown commands', () => {
  it('is generated from the declarations, with an example for each', () => {
    const r = ask(bot, '/help');
    for (const c of bot.commands) expect(r.text).toContain(`/${c.name}`);
    expect(ask(bot, '/help sales').text).toContain('company: Company, alliance or brand');
    expect(ask(bot, '/help nope').title).toBe('There is no command "nope"');
  });

  it('answers an unknown command without a stack trace', () => {
    const r = ask(bot, '/weather tomorrow');
    expect(r.kind).toBe('notice');
    expect(r.text).toContain('Commands: /sales, /compare');
  });

  it('never echoes control characters and bounds long input', () => {
    const r = ask(bot, `/sales xia\u0000omi\u0007 ${'z'.repeat(10_000)}`);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this pattern is for
    expect(r.text).not.toMatch(/[\u0000-\u0008]/);
    expect(r.text.length).toBeLessThan(1000);
  });
});
