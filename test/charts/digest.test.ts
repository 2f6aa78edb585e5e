/**
 * The digest as a leader reads it, checked against the bundled data itself (sales.json, read here, not through
 * the bot): the headline, every number in the text, and every value the charts draw, bounds included.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../src/core/bot.js';
import { renderText } from '../../src/core/render-text.js';
import type { Chart, Reply } from '../../src/core/reply.js';
import { digestReply } from '../../src/schedule/run.js';
import { makeBot } from '../support/bot.js';
import { BUNDLED_DATA } from '../support/data-dir.js';

interface RawSale { seller: string; month: string; units: number; qualifier: 'exact' | 'at_least' | 'approximate' }
const sales = JSON.parse(readFileSync(path.join(BUNDLED_DATA, 'sales.json'), 'utf8')) as RawSale[];
const sale = (seller: string, month: string) => sales.find((s) => s.seller === seller && s.month === month)!;

let bot: Bot;
beforeAll(async () => {
  bot = await makeBot();
});

const digest = (month: string): Reply => bot.handleLine(`/digest ${month}`, { platform: 'cli' });
const headline = (r: Reply) => (r.blocks[0]?.type === 'text' ? r.blocks[0].lines[0] : undefined);
const charts = (r: Reply): Chart[] => r.blocks.flatMap((b) => (b.type === 'chart' ? [b.chart] : []));

/** Every number the data can account for: figures, differences between them, their percentages, dates. */
function traceable(): Set<string> {
  const out = new Set<string>(['2021', '2024', '2025', '1', '2', '30']);
  const add = (n: number) => out.add(String(Math.abs(n)));
  for (const a of sales) {
    add(a.units);
    for (const b of sales) {
      if (a.month === b.month) add(a.units - b.units);
      if (a.seller === b.seller && a.month !== b.month) {
        add(a.units - b.units);
        out.add((Math.round((Math.abs(a.units - b.units) / b.units) * 1000) / 10).toFixed(1));
      }
    }
  }
  return out;
}

describe('the May 2025 digest', () => {
  it('opens with the news: who took the lead, both figures as reported, the gap as a bound', () => {
    const hima = sale('hima', '2025-05');
    const xiaomi = sale('xiaomi', '2025-05');
    expect(xiaomi.qualifier).toBe('at_least');
    const gap = hima.units - xiaomi.units; // at most: Xiaomi's true figure may be larger
    expect(headline(digest('may'))).toBe(`Huawei (HIMA) took the lead from Xiaomi in May 2025: 44,454 vs Xiaomi's over 28,000 — a gap of at most ${gap.toLocaleString('en-US')}.`);
  });

  it('states only numbers the data accounts for, and never "over 28,000" as exact', () => {
    const text = renderText(digest('may'));
    const allowed = traceable();
    // Month ids in commands (2025-05) are dates, not figures.
    const numbers = [...text.replace(/\b\d{4}-\d{2}\b/g, '').matchAll(/\d[\d,]*(?:\.\d+)?/g)].map((m) => m[0].replace(/,/g, ''));
    expect(numbers.filter((n) => !allowed.has(n))).toEqual([]);
    // 28,000 appears only with its bound ("over", "≥" or "at most" for what follows from it).
    for (const m of text.matchAll(/(\S+ )28,000/g)) expect(m[1]).toMatch(/^\W*(over|≥) $/);
    expect(text).not.toMatch(/a gap of 16,454/);
    expect(text).toContain('down at most 585 (at most −2.0%)');
  });

  it('the charts draw the data: the ranking at each figure, the lower bound marked as one', () => {
    const [ranking, trend] = charts(digest('may'));
    expect(ranking!.categories).toEqual(['Huawei (HIMA)', 'Xiaomi']);
    expect(ranking!.series[0]!.values).toEqual([
      { value: sale('hima', '2025-05').units, display: '44,454', bound: 'exact' },
      { value: sale('xiaomi', '2025-05').units, display: 'over 28,000', bound: 'lower' },
    ]);
    expect(trend!.kind).toBe('line');
    expect(trend!.categories).toEqual(['Apr 2025', 'May 2025']);
    expect(trend!.series.map((s) => [s.name, s.values.map((v) => v && [v.value, v.bound])])).toEqual([
      ['Huawei (HIMA)', [[sale('hima', '2025-04').units, 'exact'], [sale('hima', '2025-05').units, 'exact']]],
      ['Xiaomi', [[sale('xiaomi', '2025-04').units, 'exact'], [sale('xiaomi', '2025-05').units, 'lower']]],
    ]);
  });

  it('gives the context: the events with their source, what is due later, and one footnote for the bound', () => {
    const text = renderText(digest('may'));
    expect(text).toContain('Events in May 2025:\nMay 2025: Huawei reclaims the EV sales top spot (Caixin Global)');
    expect(text).toMatch(/Due later \(the source gives no exact date\):\nShangjie's first model is due: "This fall".*\(Caixin Global\)/);
    expect(text.match(/lower bound \("over 28,000"\)/g)).toHaveLength(1);
    expect(text).not.toContain('A figure shown as a lower bound or estimate keeps its bound');
  });

  it('the reply to /digest keeps its hints; the scheduled post has none', () => {
    expect(renderText(digest('may'))).toContain('Try: /compare hima xiaomi 2025-05');
    const posted = digestReply(bot, '2025-05');
    expect(posted.suggestions).toEqual([]);
    expect(renderText(posted)).not.toContain('Try:');
  });
});

describe('the April 2025 digest', () => {
  it('has no previous month: says who led, leaves the change column out (no dashes), and no footnote', () => {
    const r = digest('april');
    expect(headline(r)).toBe(`Xiaomi led in April 2025: 28,585 vs Huawei (HIMA)'s 27,555 — a gap of ${(sale('xiaomi', '2025-04').units - sale('hima', '2025-04').units).toLocaleString('en-US')}.`);
    const table = r.blocks.find((b) => b.type === 'table');
    expect(table?.type === 'table' && table.columns).toEqual(['#', 'Seller', 'Units']);
    const text = renderText(r);
    expect(text).not.toContain('—\n');
    expect(text).not.toContain('Note (');
    expect(charts(r).map((c) => c.kind)).toEqual(['bar']);
  });
});
