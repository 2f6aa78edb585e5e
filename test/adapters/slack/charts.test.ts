/**
 * Charts and rankings as Slack's own blocks, checked with the loopback stand-in's validator (its own copy of the
 * limits Slack documents): data_visualization titles, series, categories and at most two per message;
 * data_table rows, columns and characters. A lower bound is marked, never drawn as an exact value.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SlackDataTableBlock, SlackDataVisualizationBlock } from '../../../src/adapters/slack/charts.js';
import { renderSlack } from '../../../src/adapters/slack/render.js';
import type { Bot } from '../../../src/core/bot.js';
import { answer, type Chart, type ChartValue } from '../../../src/core/reply.js';
import { makeBot } from '../../support/bot.js';
import { slackBlockProblems } from '../../support/slack-standin.js';

type Viz = SlackDataVisualizationBlock;
type Table = SlackDataTableBlock;

let bot: Bot;
beforeAll(async () => {
  bot = await makeBot();
});

const slackOf = (line: string) => renderSlack(bot.handleLine(line, { platform: 'slack' }));
const vizOf = (blocks: readonly { type: string }[]) => blocks.filter((b): b is Viz => b.type === 'data_visualization');

describe('the digest in Slack', () => {
  it('is a ranking data table, a bar chart and a line chart, all within the documented limits', () => {
    const message = slackOf('/digest may');
    expect(slackBlockProblems(message.blocks)).toEqual([]);
    const table = message.blocks.find((b): b is Table => b.type === 'data_table')!;
    expect(table.caption).toBe('Ranking, May 2025');
    expect(table.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['#', 'Seller', 'Units', 'Change vs April 2025'],
      ['1', 'Huawei (HIMA)', '44,454', 'up 16,899 (+61.3%)'],
      ['2', 'Xiaomi', 'over 28,000', 'down at most 585 (at most −2.0%)'],
    ]);
    const [ranking, trend] = vizOf(message.blocks);
    expect(ranking!.chart.type).toBe('bar');
    expect(trend!.chart.type).toBe('line');
  });

  it('marks the lower bound on the axis and in the legend, and says what the mark means', () => {
    const [ranking, trend] = vizOf(slackOf('/digest may').blocks);
    expect(ranking!.chart.axis_config.categories).toEqual(['Huawei (HIMA)', 'Xiaomi ≥']);
    expect(ranking!.chart.axis_config.y_label).toBe('Vehicles (≥ lower bound)');
    expect(ranking!.chart.series[0]!.data.map((d) => d.value)).toEqual([44454, 28000]);
    // On the trend, Xiaomi's series and the month of the bound carry the mark.
    expect(trend!.chart.series.map((s) => s.name)).toEqual(['Huawei (HIMA)', 'Xiaomi ≥']);
    expect(trend!.chart.axis_config.categories).toEqual(['Apr 2025', 'May 2025 ≥']);
  });

  it('April has no lower bound and no mark', () => {
    const [ranking] = vizOf(slackOf('/digest april').blocks);
    expect(ranking!.chart.axis_config.categories).toEqual(['Xiaomi', 'Huawei (HIMA)']);
    expect(ranking!.chart.axis_config.y_label).toBe('Vehicles');
  });
});

describe('other answers with charts', () => {
  it.each(['/sales xiaomi', '/compare xiaomi huawei may', 'xiaomi vs huawei trend', 'who was number one in may'])('%s: one chart within the limits', (line) => {
    const message = slackOf(line);
    expect(slackBlockProblems(message.blocks)).toEqual([]);
    expect(vizOf(message.blocks)).toHaveLength(1);
  });
});

describe('limits', () => {
  const value = (n: number, bound: ChartValue['bound'] = 'exact'): ChartValue => ({ value: n, display: String(n), bound });
  const big: Chart = {
    kind: 'line',
    title: 'A title far longer than the fifty characters Slack allows for one',
    unit: 'vehicles',
    categories: Array.from({ length: 30 }, (_, i) => `Category number ${i + 1} with a long name`),
    series: Array.from({ length: 8 }, (_, s) => ({ name: `A seller with a very long name ${s}`, values: Array.from({ length: 30 }, (_, i) => value(1000 + i, i === 29 ? 'lower' : 'exact')) })),
  };

  it('a chart past every limit is cut to fit: title, categories (newest kept), series, names', () => {
    const message = renderSlack(answer('T', [{ type: 'chart', chart: big }]));
    expect(slackBlockProblems(message.blocks)).toEqual([]);
    const [viz] = vizOf(message.blocks);
    expect([...viz!.title].length).toBeLessThanOrEqual(50);
    expect(viz!.chart.series).toHaveLength(6);
    expect(viz!.chart.axis_config.categories).toHaveLength(20);
    // The newest category is the lower bound: its mark survives the cut.
    expect(viz!.chart.axis_config.categories.at(-1)).toMatch(/ ≥$/);
  });

  it('a third chart in one message is drawn as text bars; a month missing for one seller is left out, never drawn as 0', () => {
    const gap: Chart = { kind: 'bar', title: 'Gap', unit: 'vehicles', categories: ['Apr 2025', 'May 2025'], series: [{ name: 'A', values: [value(5), value(6)] }, { name: 'B', values: [null, value(7)] }] };
    const message = renderSlack(answer('T', [{ type: 'chart', chart: gap }, { type: 'chart', chart: big }, { type: 'chart', chart: big }]));
    expect(slackBlockProblems(message.blocks)).toEqual([]);
    const charts = vizOf(message.blocks);
    expect(charts).toHaveLength(2);
    expect(charts[0]!.chart.axis_config.categories).toEqual(['May 2025']);
    expect(charts[0]!.chart.axis_config.x_label).toContain('left out');
    expect(message.blocks.some((b) => b.type === 'section' && 'text' in b && b.text?.text.startsWith('```'))).toBe(true);
  });

  it('the stand-in refuses what Slack would: three charts, a long title, a table over 10,000 characters', () => {
    const viz = vizOf(renderSlack(answer('T', [{ type: 'chart', chart: big }])).blocks)[0]!;
    expect(slackBlockProblems([viz, viz, viz])).toEqual([expect.stringContaining('at most 2 per message')]);
    expect(slackBlockProblems([{ ...viz, title: 'x'.repeat(51) }])[0]).toContain('title');
    const cell = { type: 'raw_text', text: 'x'.repeat(200) };
    expect(slackBlockProblems([{ type: 'data_table', caption: 'c', rows: Array.from({ length: 60 }, () => [cell]) }]).join()).toContain('at most 10000');
  });

  it('a ranking over 100 rows is cut, and the cut is said', () => {
    const rows = Array.from({ length: 150 }, (_, i) => [String(i + 1), `Seller ${i + 1}`, '1,000']);
    const message = renderSlack(answer('T', [{ type: 'table', caption: 'Ranking', columns: ['#', 'Seller', 'Units'], rows }]));
    expect(slackBlockProblems(message.blocks)).toEqual([]);
    const table = message.blocks.find((b): b is Table => b.type === 'data_table')!;
    expect(table.rows).toHaveLength(101);
    expect(JSON.stringify(message.blocks)).toContain('…and 50 more rows');
  });
});
