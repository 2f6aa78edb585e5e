/** Plain-text rendering of a reply: the console, `npm run ask`, and every platform's fallback text. */
import { drawBars } from './bars.js';
import type { Block, Reply } from './reply.js';

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
  for (const block of reply.blocks) parts.push(renderBlockText(block).join('\n'));
  const sources = renderSourcesLine(reply);
  if (sources) parts.push(sources);
  if (reply.tip) parts.push(reply.tip);
  if (reply.suggestions.length > 0) parts.push(`Try: ${reply.suggestions.join('  ·  ')}`);
  return parts.join('\n\n');
}
