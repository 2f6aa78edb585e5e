/**
 * The PNG a chart becomes (Discord's attachment, `--chart FILE`): decoded with pngjs and read pixel by pixel.
 * Its size, bars and lines in the plot area, a lower bound drawn open (pale, outlined) beside a solid exact bar,
 * and Chinese labels drawn as glyphs with the bundled font (two different names give two different drawings,
 * where missing glyphs would give the same empty boxes).
 */
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chartPng, chartPngSync } from '../../src/charts/png.js';
import { CHART_SIZE } from '../../src/charts/svg.js';
import type { Chart, Reply } from '../../src/core/reply.js';
import { makeBot } from '../support/bot.js';
import type { Bot } from '../../src/core/bot.js';

type Image = { width: number; height: number; data: Buffer };
const decode = (png: Buffer): Image => PNG.sync.read(png);
const pixel = (img: Image, x: number, y: number) => {
  const i = (img.width * y + x) * 4;
  return [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
};
const isInk = ([r, g, b]: number[]) => r! < 200 || g! < 200 || b! < 200;
/** Pixels in a box that are not the white background. */
function ink(img: Image, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (isInk(pixel(img, x, y))) n++;
  return n;
}
function region(img: Image, x0: number, y0: number, x1: number, y1: number): string {
  const out: number[] = [];
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) out.push(isInk(pixel(img, x, y)) ? 1 : 0);
  return out.join('');
}

const chartsOf = (reply: Reply): Chart[] => reply.blocks.flatMap((b) => (b.type === 'chart' ? [b.chart] : []));

let bot: Bot;
beforeAll(async () => {
  bot = await makeBot();
});

// The plot area: inside the grid (left 70, right 30, top 56 or more, bottom 44 or more).
const PLOT = { x0: 75, y0: 58, x1: CHART_SIZE.width - 35, y1: CHART_SIZE.height - 75 };

describe('the digest ranking as a PNG', () => {
  it('is 800×420, with bars in the plot area; the lower bound open (pale inside, outlined), the exact bar solid', async () => {
    const [ranking] = chartsOf(bot.handleLine('/digest may', { platform: 'cli' }));
    const img = decode(await chartPng(ranking!));
    expect([img.width, img.height]).toEqual([CHART_SIZE.width, CHART_SIZE.height]);
    expect(ink(img, PLOT.x0, PLOT.y0, PLOT.x1, PLOT.y1)).toBeGreaterThan(5000);
    // Two categories over the plot's 700 px: bar centres at a quarter and three quarters.
    const plotWidth = CHART_SIZE.width - 70 - 30;
    const hima = pixel(img, 70 + plotWidth / 4, 300);
    const xiaomi = pixel(img, 70 + (3 * plotWidth) / 4, 300);
    // HIMA's 44,454 is exact: a solid, saturated bar.
    expect(hima[0]!).toBeLessThan(120);
    // Xiaomi's "over 28,000" is a lower bound: a pale fill, never a solid bar of an exact height.
    expect(Math.min(...xiaomi)).toBeGreaterThan(180);
    expect(xiaomi).not.toEqual([255, 255, 255]);
  });

  it('the trend is a line chart with ink in the plot area, and the same chart is drawn once (cached)', async () => {
    const [, trend] = chartsOf(bot.handleLine('/digest may', { platform: 'cli' }));
    expect(trend?.kind).toBe('line');
    const first = chartPng(trend!);
    expect(chartPng(trend!)).toBe(first);
    const img = decode(await first);
    expect(ink(img, PLOT.x0, PLOT.y0, PLOT.x1, PLOT.y1)).toBeGreaterThan(1000);
  });
});

describe('charts of the other answers', () => {
  it.each(['/sales xiaomi', '/compare xiaomi huawei may', 'xiaomi vs huawei trend', 'who was number one in may'])('%s has a chart that draws', async (line) => {
    const charts = chartsOf(bot.handleLine(line, { platform: 'cli' }));
    expect(charts.length).toBeGreaterThan(0);
    const img = decode(await chartPng(charts[0]!));
    expect(ink(img, PLOT.x0, PLOT.y0, PLOT.x1, PLOT.y1)).toBeGreaterThan(500);
  });
});

describe('Chinese names', () => {
  const chart = (names: [string, string]): Chart => ({
    kind: 'bar', title: '销量', unit: 'vehicles', categories: names,
    series: [{ name: 'May', values: [{ value: 100, display: '100', bound: 'exact' }, { value: 80, display: '80', bound: 'exact' }] }],
  });
  // The first category's label sits under the first bar, below the plot (grid bottom 44 px).
  const plotWidth = CHART_SIZE.width - 70 - 30;
  const labelBox = [70 + plotWidth / 4 - 30, CHART_SIZE.height - 44 + 2, 70 + plotWidth / 4 + 30, CHART_SIZE.height - 44 + 26] as const;

  it('are drawn as glyphs with the bundled font: ink where the label is, and different names look different', () => {
    const a = decode(chartPngSync(chart(['小米', '华为'])));
    const b = decode(chartPngSync(chart(['米小', '华为'])));
    expect(ink(a, ...labelBox)).toBeGreaterThan(40);
    // Boxes for missing glyphs would be identical for 小米 and 米小; real glyphs are not.
    expect(region(a, ...labelBox)).not.toBe(region(b, ...labelBox));
    // The title 销量 is drawn too.
    expect(ink(a, CHART_SIZE.width / 2 - 30, 8, CHART_SIZE.width / 2 + 30, 32)).toBeGreaterThan(40);
  });
});
