/**
 * Charts and rankings as Slack's native blocks: `data_visualization` (bar, line) and `data_table`, within the
 * limits Slack documents for them. What does not fit a limit is cut visibly or drawn as text instead.
 * https://docs.slack.dev/reference/block-kit/blocks/data-visualization-block
 * https://docs.slack.dev/reference/block-kit/blocks/data-table-block
 *
 * A lower bound is never drawn as an exact value: its category is marked "≥" (and "~" for an estimate), a series
 * holding one is marked the same way, and the value axis says what the marks mean. A point the data does not have
 * is never drawn as zero: a category some series has no figure for is left out of the chart (the table and the
 * text still show it), and the axis says so.
 */
import type { Block, Chart, ChartValue } from '../../core/reply.js';

export const SLACK_CHART_LIMITS = {
  /** data_visualization blocks in one message. */
  chartsPerMessage: 2,
  /** Characters in a chart's title. */
  title: 50,
  /** Series in a bar, line or area chart. */
  series: 6,
  /** Characters in a series name (the legend). */
  seriesName: 20,
  /** Data points in one series (and so categories on the x axis). */
  points: 20,
  /** Characters in one x-axis category. */
  category: 20,
  /** Characters in an axis label. */
  axisLabel: 50,
} as const;

export const SLACK_TABLE_LIMITS = {
  /** Rows, the header row included (so 1 to 100 data rows). */
  minRows: 2,
  maxRows: 101,
  columns: 20,
  /** Characters across all cells of one table, and of all data tables in one message. */
  cellChars: 10_000,
  maxPageSize: 100,
} as const;

export interface SlackDataPoint {
  label: string;
  value: number;
}

export interface SlackDataVisualizationBlock {
  type: 'data_visualization';
  title: string;
  chart: {
    type: 'bar' | 'line';
    series: { name: string; data: SlackDataPoint[] }[];
    axis_config: { categories: string[]; x_label?: string; y_label?: string };
  };
}

export type SlackTableCell = { type: 'raw_text'; text: string };

export interface SlackDataTableBlock {
  type: 'data_table';
  caption: string;
  rows: SlackTableCell[][];
  page_size?: number;
  row_header_column_index?: number;
}

/** Cuts to `max` characters with "…" (plain strings: no escapes to keep whole). */
export function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/** Cuts `base` so that `base + mark` fits in `max`, the mark always kept. */
function withMark(base: string, mark: string, max: number): string {
  return mark ? `${cut(base, max - mark.length)}${mark}` : cut(base, max);
}

const markOf = (values: readonly (ChartValue | null | undefined)[]): string => {
  const lower = values.some((v) => v?.bound === 'lower');
  const approx = values.some((v) => v?.bound === 'approximate');
  return `${lower ? ' ≥' : ''}${approx ? ' ~' : ''}`;
};

/** The chart as a data_visualization block, or undefined when nothing of it can be drawn. */
export function dataVisualization(chart: Chart): SlackDataVisualizationBlock | undefined {
  const series = chart.series.slice(0, SLACK_CHART_LIMITS.series);
  // Only categories every series has a figure for: a missing figure is never drawn as zero.
  let keep = chart.categories.map((_, i) => i).filter((i) => series.every((s) => s.values[i] != null));
  const dropped = chart.categories.length - keep.length;
  // A trend keeps its newest months (the end); a ranking its first rows.
  keep = chart.kind === 'line' ? keep.slice(-SLACK_CHART_LIMITS.points) : keep.slice(0, SLACK_CHART_LIMITS.points);
  if (keep.length === 0 || series.length === 0) return undefined;
  const many = series.length > 1;
  const categories = uniqueLabels(keep.map((i) => withMark(chart.categories[i]!, markOf(series.map((s) => s.values[i])), SLACK_CHART_LIMITS.category)));
  const names = uniqueLabels(series.map((s) => withMark(s.name, many ? markOf(keep.map((i) => s.values[i])) : '', SLACK_CHART_LIMITS.seriesName)));
  const all = series.flatMap((s) => keep.map((i) => s.values[i]));
  const marks = [all.some((v) => v?.bound === 'lower') ? '≥ lower bound' : '', all.some((v) => v?.bound === 'approximate') ? '~ approximate' : ''].filter(Boolean);
  const unit = chart.unit.charAt(0).toUpperCase() + chart.unit.slice(1);
  const xNote = dropped > 0 ? ` (${dropped} not on record for all left out)` : '';
  return {
    type: 'data_visualization',
    title: cut(chart.title, SLACK_CHART_LIMITS.title),
    chart: {
      type: chart.kind,
      series: series.map((s, n) => ({
        name: names[n]!,
        data: keep.map((i, k) => ({ label: categories[k]!, value: s.values[i]!.value })),
      })),
      axis_config: {
        categories,
        x_label: cut(`${chart.kind === 'line' || many ? 'Month' : 'Seller'}${xNote}`, SLACK_CHART_LIMITS.axisLabel),
        y_label: cut(marks.length ? `${unit} (${marks.join(', ')})` : unit, SLACK_CHART_LIMITS.axisLabel),
      },
    },
  };
}

/** Labels made unique after cutting ("Xiaomi Auto…" twice becomes "Xiaomi Auto…", "Xiaomi Aut…2"). */
function uniqueLabels(labels: readonly string[]): string[] {
  const seen = new Set<string>();
  return labels.map((label) => {
    let out = label;
    for (let n = 2; seen.has(out); n++) out = `${cut(label, SLACK_CHART_LIMITS.category - String(n).length)}${n}`;
    seen.add(out);
    return out;
  });
}

/** Characters a data table's cells hold, as Slack counts them toward its 10,000. */
export function tableChars(block: SlackDataTableBlock): number {
  return block.rows.reduce((n, row) => n + row.reduce((m, c) => m + c.text.length, 0), 0);
}

/**
 * A captioned table (a ranking) as a data_table block within `budget` cell characters, rows cut from the end;
 * undefined when even one row would not fit, or the table has more columns than Slack shows.
 */
export function dataTable(table: Extract<Block, { type: 'table' }>, budget: number = SLACK_TABLE_LIMITS.cellChars): { block: SlackDataTableBlock; cutRows: number } | undefined {
  if (!table.caption || table.columns.length === 0 || table.columns.length > SLACK_TABLE_LIMITS.columns || table.rows.length === 0) return undefined;
  const cell = (text: string | undefined): SlackTableCell => ({ type: 'raw_text', text: text?.trim() ? text : '—' });
  const header = table.columns.map(cell);
  const rows = table.rows.slice(0, SLACK_TABLE_LIMITS.maxRows - 1).map((r) => table.columns.map((_, i) => cell(r[i])));
  let used = header.reduce((n, c) => n + c.text.length, 0);
  let kept = 0;
  for (const row of rows) {
    const size = row.reduce((n, c) => n + c.text.length, 0);
    if (used + size > budget) break;
    used += size;
    kept++;
  }
  if (kept === 0) return undefined;
  return {
    block: {
      type: 'data_table',
      caption: table.caption,
      rows: [header, ...rows.slice(0, kept)],
      page_size: Math.min(kept, 20, SLACK_TABLE_LIMITS.maxPageSize),
      row_header_column_index: Math.max(0, table.columns.findIndex((c) => /seller|month|name/i.test(c))),
    },
    cutRows: table.rows.length - kept,
  };
}
