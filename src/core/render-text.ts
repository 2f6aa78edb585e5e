/** Plain-text rendering of a reply: the console, `npm run ask`, and every platform's fallback text. */
import { drawBars } from './bars.js';
import type { Bar, Block, Chart, Reply } from './reply.js';

/**
 * A chart in words, for notifications, screen readers and the plain-text fallback: the title, then each
 * category's values as the reply states them ("Xiaomi over 28,000"), never a drawing.
 */
export function chartText(chart: Chart): string[] {
  const many = chart.series.length > 1;
  const parts = chart.categories.map((category, i) => {
    const values = chart.series.flatMap((s) => {
      const v = s.values[i];
      return v ? [many ? `${s.name} ${v.display}` : v.display] : [];
    });
    return values.length ? `${category}: ${values.join(', ')}` : `${category}: not on record`;
  });
  return [`Chart, ${chart.title} (${chart.unit}): ${parts.join('; ')}.`];
}

/** A chart as text bars (a monospace drawing): one per category and series, a lower bound open-ended. */
export function chartBars(chart: Chart): Bar[] {
  const many = chart.series.length > 1;
  return chart.categories.flatMap((category, i) => chart.series.flatMap((s) => {
    const v = s.values[i];
    return v ? [{ label: many ? `${category} ${s.name}` : category, value: v.value, display: v.display, lowerBound: v.bound === 'lower' }] : [];
  }));
}

export function renderTable(columns: readonly string[], rows: readonly string[][], align: readonly ('left' | 'right')[] = []): string[] {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (align[i] === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

export function renderBlockText(block: Block): string[] {
  switch (block.type) {
    case 'text':
      return block.lines;
    case 'fields':
      return block.fields.map((f) => `${f.label}: ${f.value}`);
    case 'table':
      return renderTable(block.columns, block.rows, block.align);
    case 'bars':
      return drawBars(block.bars);
    case 'chart':
      return block.chart.inTable ? [] : chartText(block.chart);
  }
}

/**
 * The sources line: each source as "title (publisher)", without parentheses inside parentheses. When the title
 * already names the publisher ("China Passenger Car Association monthly figures…" by "China Passenger Car
 * Association (CPCA)"), the publisher's full name goes in the title's place instead of after it:
 * "China Passenger Car Association (CPCA) monthly figures…". A publisher with a parenthesis the title does not
 * name follows after a dash.
 */
export function renderSourcesLine(reply: Reply): string | undefined {
  if (reply.sources.length === 0) return undefined;
  const label = ({ title, publisher }: { title: string; publisher: string }): string => {
    if (!publisher || publisher === title) return title;
    const bare = publisher.replace(/\s*\([^)]*\)\s*$/, '').trim();
    const at = bare ? title.toLowerCase().indexOf(bare.toLowerCase()) : -1;
    if (at >= 0) return title.includes(publisher) ? title : `${title.slice(0, at)}${publisher}${title.slice(at + bare.length)}`;
    return /[()]/.test(publisher) || /\)$/.test(title) ? `${title} — ${publisher}` : `${title} (${publisher})`;
  };
  return `Sources: ${reply.sources.map(label).join('; ')}`;
}

export function renderText(reply: Reply): string {
  const parts: string[] = [reply.title];
  for (const block of reply.blocks) {
    const lines = renderBlockText(block);
    if (lines.length > 0) parts.push(lines.join('\n'));
  }
  const sources = renderSourcesLine(reply);
  if (sources) parts.push(sources);
  if (reply.tip) parts.push(reply.tip);
  if (reply.suggestions.length > 0) parts.push(`Try: ${reply.suggestions.join('  ·  ')}`);
  return parts.join('\n\n');
}
