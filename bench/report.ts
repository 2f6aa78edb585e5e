/** The results table (stdout) and the machine-readable results (bench/results.json). */

export interface Line {
  section: string;
  measure: string;
  result: string;
  /** What the result is compared with, measured in the same run. */
  baseline?: string;
  ratio?: string;
  target?: string;
  /** Whether the target is met; undefined when the line has no target. */
  ok?: boolean;
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value < 1) return `${(value * 1000).toFixed(value < 0.01 ? 1 : 0)} µs`;
  if (value < 10) return `${value.toFixed(2)} ms`;
  if (value < 1000) return `${value.toFixed(1)} ms`;
  return `${(value / 1000).toFixed(2)} s`;
}

export function pct(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

export function times(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return value >= 100 ? `${Math.round(value)}×` : `${value.toFixed(value >= 10 ? 1 : 2)}×`;
}

export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function table(lines: readonly Line[]): string {
  const header = ['Section', 'Measure', 'Result', 'Baseline (same run)', 'Ratio', 'Target', ''];
  const rows = lines.map((l) => [l.section, l.measure, l.result, l.baseline ?? '', l.ratio ?? '', l.target ?? '', l.ok === undefined ? '' : l.ok ? 'ok' : 'MISSED']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ').trimEnd();
  const out = [fmt(header), widths.map((w) => '-'.repeat(w)).join('-|-')];
  let section = '';
  for (const r of rows) {
    out.push(fmt(r[0] === section ? ['', ...r.slice(1)] : r));
    section = r[0]!;
  }
  return out.join('\n');
}
