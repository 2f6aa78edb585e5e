/**
 * A reply's chart (data) as an SVG drawing, with ECharts' server-side renderer (no browser, no canvas).
 * Only adapters and CLIs use this (through png.ts); the core stays free of pixels.
 *
 * A lower bound is drawn open: a pale bar with a dashed outline (a hollow upward triangle on a line) and its label
 * reads "≥ 28,000"; an estimate's label reads "~ 25,000"; a month without a figure is a gap, never a zero.
 */
import * as echarts from 'echarts';
import type { Chart, ChartValue } from '../core/reply.js';

/**
 * Latin text in Noto Sans (small, quick to shape); Chinese characters fall back to Noto Sans SC, whose 10 MB face
 * is only read for text that needs it (a chart of Latin names renders ten times faster than with SC alone).
 */
export const CHART_FONT_FAMILY = 'Noto Sans, Noto Sans SC';
export const CHART_SIZE = { width: 800, height: 420 } as const;

const PALETTE = ['#3b6fd8', '#e0803a', '#3a9a5b', '#9b59b6', '#c0392b', '#16a085'];

const fmt = new Intl.NumberFormat('en-US');

/** The words drawn beside a value: "44,454", "≥ 28,000", "~ 25,000". */
export function valueLabel(v: ChartValue): string {
  if (v.bound === 'lower') return `≥ ${fmt.format(v.value)}`;
  if (v.bound === 'approximate') return `~ ${fmt.format(v.value)}`;
  return fmt.format(v.value);
}

function pale(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, 0.18)`;
}

/** The ECharts option for a chart: plain data in, no callbacks (labels are computed here). */
export function chartOption(chart: Chart): echarts.EChartsCoreOption {
  const many = chart.series.length > 1;
  const all = chart.series.flatMap((s) => s.values).filter((v): v is ChartValue => v !== null);
  const notes = [
    all.some((v) => v.bound === 'lower') ? '≥  lower bound: the true figure may be higher (drawn open)' : '',
    all.some((v) => v.bound === 'approximate') ? '~  approximate' : '',
  ].filter(Boolean);
  const series = chart.series.map((s, n) => {
    const color = PALETTE[n % PALETTE.length]!;
    const data = s.values.map((v) => {
      if (!v) return null;
      const label = { show: true, formatter: valueLabel(v), position: 'top' as const, color: '#333', fontSize: 12 };
      if (chart.kind === 'bar') {
        return {
          value: v.value,
          label,
          itemStyle: v.bound === 'exact'
            ? { color }
            : { color: pale(color), borderColor: color, borderWidth: 2, borderType: 'dashed' as const },
        };
      }
      return {
        value: v.value,
        label,
        symbol: v.bound === 'lower' ? 'triangle' : 'circle',
        symbolSize: v.bound === 'lower' ? 14 : 8,
        itemStyle: v.bound === 'exact' ? { color } : { color: '#ffffff', borderColor: color, borderWidth: 2 },
      };
    });
    return chart.kind === 'bar'
      ? { type: 'bar' as const, name: s.name, data, barMaxWidth: 80, itemStyle: { color } }
      : { type: 'line' as const, name: s.name, data, connectNulls: false, labelLayout: { moveOverlap: 'shiftY' as const }, lineStyle: { color, width: 2 }, itemStyle: { color } };
  });
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: CHART_FONT_FAMILY },
    color: PALETTE,
    title: { text: chart.title, left: 'center', top: 8, textStyle: { fontFamily: CHART_FONT_FAMILY, fontSize: 16, fontWeight: 'normal', color: '#222' } },
    ...(many ? { legend: { top: 36, textStyle: { fontFamily: CHART_FONT_FAMILY } } } : {}),
    grid: { left: 70, right: 30, top: many ? 76 : 56, bottom: notes.length ? 70 : 44 },
    xAxis: { type: 'category', data: chart.categories, axisLabel: { fontFamily: CHART_FONT_FAMILY, fontSize: 12, interval: 0, hideOverlap: true } },
    yAxis: { type: 'value', name: chart.unit, min: 0, axisLabel: { fontFamily: CHART_FONT_FAMILY } },
    series,
    ...(notes.length ? { graphic: [{ type: 'text', left: 16, bottom: 10, style: { text: notes.join('     '), fontFamily: CHART_FONT_FAMILY, fontSize: 12, fill: '#555' } }] } : {}),
  };
}

/** The chart as an SVG document. */
export function chartSvg(chart: Chart, size: { width: number; height: number } = CHART_SIZE): string {
  const instance = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    instance.setOption(chartOption(chart));
    return instance.renderToSVGString();
  } finally {
    instance.dispose();
  }
}
