/**
 * Chart rendering: each chart the bot draws (digest ranking and trend, a seller's months, a comparison), from the
 * reply's chart data to the PNG Discord attaches and `--chart` writes (ECharts SVG, then resvg with the bundled
 * font). Cold renders (no cache) of different charts, then the cached path the adapters hit for a chart already
 * drawn. Target: p99 < 150 ms per chart.
 */
import { chartPng, chartPngUncached } from '../../src/charts/png.js';
import { chartSvg } from '../../src/charts/svg.js';
import type { Bot } from '../../src/core/bot.js';
import type { Chart } from '../../src/core/reply.js';
import { sellerNames } from '../queries.js';
import { ms, type Line } from '../report.js';
import type { Rng } from '../rng.js';
import { nowMs, summarize, type Summary } from '../stats.js';

const TARGET_MS = 150;

export type ChartResults = Record<string, { svg: Summary; png: Summary; cached: Summary; example: string }>;

export async function benchCharts(bot: Bot, rng: Rng, n: number): Promise<{ results: ChartResults; lines: Line[] }> {
  const data = bot.data;
  const chartsOf = (line: string): Chart[] => bot.handleLine(line, { platform: 'cli', user: 'bench' }).blocks.flatMap((b) => (b.type === 'chart' ? [b.chart] : []));
  const names = sellerNames(data, rng, 2 * n);
  const month = () => rng.pick(data.months);
  const kinds: Record<string, (i: number) => { line: string; pick: number }> = {
    'digest ranking (bar)': () => ({ line: `/digest ${month()}`, pick: 0 }),
    'digest trend (line)': () => ({ line: `/digest ${month()}`, pick: 1 }),
    'seller months (line)': (i) => ({ line: `/sales ${names[i]}`, pick: 0 }),
    'compare trend (bar)': (i) => ({ line: `${names[2 * i]} vs ${names[2 * i + 1]} trend`, pick: 0 }),
  };
  const results: ChartResults = {};
  const lines: Line[] = [];
  for (const [name, make] of Object.entries(kinds)) {
    const charts: Chart[] = [];
    let example = '';
    for (let i = 0; i < n * 3 && charts.length < n; i++) {
      const { line, pick } = make(i % n);
      const chart = chartsOf(line)[pick];
      if (chart) {
        charts.push(chart);
        example ||= line;
      }
    }
    if (charts.length === 0) continue;
    await chartPngUncached(charts[0]!); // warm up: modules, font file in the page cache
    const svg: number[] = [];
    const png: number[] = [];
    for (const chart of charts) {
      let t = nowMs();
      chartSvg(chart);
      svg.push(nowMs() - t);
      t = nowMs();
      await chartPngUncached(chart);
      png.push(nowMs() - t);
    }
    await chartPng(charts[0]!);
    const cached: number[] = [];
    for (let i = 0; i < charts.length; i++) {
      const t = nowMs();
      await chartPng(charts[0]!);
      cached.push(nowMs() - t);
    }
    const r = { svg: summarize(svg), png: summarize(png), cached: summarize(cached), example };
    results[name] = r;
    lines.push({
      section: 'Charts', measure: `${name}, chart data → PNG, p50 / p99 (n=${charts.length}, e.g. ${example})`,
      result: `${ms(r.png.p50)} / ${ms(r.png.p99)} (SVG alone ${ms(r.svg.p50)} / ${ms(r.svg.p99)})`,
      target: `p99 < ${TARGET_MS} ms`, ok: r.png.p99 < TARGET_MS,
    });
    lines.push({ section: 'Charts', measure: `${name}, drawn before (cache), p50 / p99`, result: `${ms(r.cached.p50)} / ${ms(r.cached.p99)}` });
  }
  return { results, lines };
}
