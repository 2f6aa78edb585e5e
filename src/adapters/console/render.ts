/**
 * Plain text for a terminal of a given width (80 columns when the output is not a terminal): the same reply as
 * `renderText`, with long lines word-wrapped and a table wider than the terminal turned into a list of
 * "label: value" lines under each row's first cell.
 */
import { drawBars } from '../../core/bars.js';
import { chartBars, renderBlockText, renderSourcesLine, renderTable } from '../../core/render-text.js';
import type { Block, Reply } from '../../core/reply.js';

export const DEFAULT_WIDTH = 80;
/** Narrower than this and wrapping helps nobody: lay out for this width anyway. */
const MIN_WIDTH = 40;

/** Columns a character takes in a terminal: 2 for East Asian wide characters (Chinese names), else 1. */
function charWidth(code: number): number {
  return (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x20000 && code <= 0x3fffd)
    ? 2
    : 1;
}

export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch.codePointAt(0)!);
  return w;
}

/**
 * Word-wraps one line to `width` columns; continuation lines are indented by `indent` spaces. A word longer than
 * the line is cut. Leading spaces of the line are kept.
 */
export function wrapLine(line: string, width: number, indent = 0): string[] {
  if (displayWidth(line) <= width) return [line];
  const lead = line.match(/^\s*/)![0];
  const pad = ' '.repeat(Math.min(lead.length + indent, Math.floor(width / 2)));
  const out: string[] = [];
  let current = lead;
  let empty = true;
  const push = () => {
    out.push(current.trimEnd());
    current = pad;
    empty = true;
  };
  for (let word of line.slice(lead.length).split(/ +/).filter(Boolean)) {
    if (!empty && displayWidth(current) + 1 + displayWidth(word) > width) push();
    // On a fresh line and still too wide: cut the word.
    while (displayWidth(current) + displayWidth(word) > width) {
      const room = width - displayWidth(current);
      let cut = '';
      for (const ch of word) {
        if (displayWidth(cut + ch) > room) break;
        cut += ch;
      }
      if (!cut) cut = [...word][0]!;
      current += cut;
      word = word.slice(cut.length);
      push();
    }
    if (word) {
      current += (empty ? '' : ' ') + word;
      empty = false;
    }
  }
  if (!empty) out.push(current.trimEnd());
  return out;
}

/** A table as "first cell" then "  Column: value" for every other cell, one row after another. */
function tableAsList(columns: readonly string[], rows: readonly string[][], width: number): string[] {
  const out: string[] = [];
  rows.forEach((row, r) => {
    if (r > 0 && columns.length > 2) out.push('');
    const [first = '', ...rest] = row;
    if (columns.length <= 2) {
      // Two columns read best as "label: value" on one line.
      out.push(...wrapLine(`${first}: ${rest[0] ?? ''}`, width, 2));
      return;
    }
    out.push(...wrapLine(first, width, 2));
    rest.forEach((cell, i) => {
      if (cell) out.push(...wrapLine(`  ${columns[i + 1] ?? ''}: ${cell}`, width, 2));
    });
  });
  return out;
}

function blockLines(block: Block, width: number): string[] {
  if (block.type === 'table') {
    const table = renderTable(block.columns, block.rows, block.align);
    return table.some((l) => displayWidth(l) > width) ? tableAsList(block.columns, block.rows, width) : table;
  }
  // A chart in a terminal is drawn as text bars (`--chart FILE` writes it as a PNG); a drawing is never wrapped.
  if (block.type === 'chart') return drawBars(chartBars(block.chart));
  const lines = renderBlockText(block);
  if (block.type === 'bars') return lines;
  return lines.flatMap((l) => wrapLine(l, width, 2));
}

/** The reply for a terminal `width` columns wide. */
export function renderConsole(reply: Reply, width = DEFAULT_WIDTH): string {
  const w = Math.max(MIN_WIDTH, width);
  const parts: string[] = [wrapLine(reply.title, w).join('\n')];
  for (const block of reply.blocks) parts.push(blockLines(block, w).join('\n'));
  const sources = renderSourcesLine(reply);
  if (sources) parts.push(wrapLine(sources, w, 2).join('\n'));
  if (reply.tip) parts.push(wrapLine(reply.tip, w, 2).join('\n'));
  if (reply.suggestions.length > 0) parts.push(wrapLine(`Try: ${reply.suggestions.join('  ·  ')}`, w, 5).join('\n'));
  return parts.join('\n\n');
}
