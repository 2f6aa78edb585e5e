/**
 * The core's reply document as a Slack message: Block Kit blocks plus the plain `text` fallback that
 * notifications and screen readers use. Every string is escaped (see mrkdwn.ts) and every Slack limit
 * (limits.ts) is respected; what does not fit is cut with a visible "…and N more".
 */
import type { types } from '@slack/bolt';
import { drawBars } from '../../core/bars.js';
import { chartBars, renderTable, renderText } from '../../core/render-text.js';
import type { Block, Reply } from '../../core/reply.js';
import { hasFigures } from '../shared/csv.js';
import { codeSafe, fitLines as fitLinesWithin, moreLine, sourcesLine } from '../shared/fit.js';
import {
  dataTable, dataVisualization, SLACK_CHART_LIMITS, SLACK_TABLE_LIMITS, tableChars, type SlackDataTableBlock, type SlackDataVisualizationBlock,
} from './charts.js';
import { SLACK_BUTTON_LIMITS, SLACK_LIMITS } from './limits.js';
import { escapeSlack } from './mrkdwn.js';

export type SlackBlock = types.HeaderBlock | types.SectionBlock | types.ContextBlock | types.ActionsBlock | SlackDataVisualizationBlock | SlackDataTableBlock;

/**
 * Our buttons' action ids: `run` buttons carry a suggestion's command line as their value, the export button the
 * line that gave the answer. Slack wants action ids unique within a block, so each run button is numbered.
 */
export const ACTION_PREFIX = 'salesbot:';
export const RUN_ACTION = `${ACTION_PREFIX}run:`;
export const CSV_ACTION = `${ACTION_PREFIX}csv`;

export interface SlackRenderOptions {
  /**
   * The line that gave this answer ("/sales xiaomi may", or the question as asked): with it, a reply with figures
   * gets an "Export CSV" button that runs the line again for whoever clicks and attaches the figures.
   */
  exportLine?: string;
}

/** What one message has used of the limits Slack counts per message (charts, data-table characters). */
interface Budget {
  charts: number;
  tableChars: number;
}

export interface SlackMessage {
  /** Plain fallback (escaped), at most SLACK_LIMITS.fallbackText characters. */
  text: string;
  blocks: SlackBlock[];
}

const FENCE = '```';

export function renderSlack(reply: Reply, options: SlackRenderOptions = {}): SlackMessage {
  const header: SlackBlock = {
    type: 'header',
    text: { type: 'plain_text', text: truncate(escapeSlack(reply.title.trim()) || 'Answer', SLACK_LIMITS.headerText), emoji: true },
  };
  const trailer = trailerBlocks(reply, options);
  const budget: Budget = { charts: 0, tableChars: 0 };
  const body = reply.blocks.flatMap((b) => bodyBlocks(b, budget));
  // Whatever does not fit under the block cap is dropped whole, and the reader is told how much.
  const room = SLACK_LIMITS.blocks - 1 - trailer.length;
  const kept = body.length <= room ? body : [...body.slice(0, room - 1), mrkdwnSection(moreLine(body.length - (room - 1), 'section'))];
  return { text: fallbackText(reply), blocks: [header, ...kept, ...trailer] };
}

function bodyBlocks(block: Block, budget: Budget): SlackBlock[] {
  switch (block.type) {
    case 'text': {
      const lines = block.lines.map(escapeSlack);
      // Slack rejects an empty section text.
      return lines.join('').trim() ? [mrkdwnSection(fitLines(lines, SLACK_LIMITS.sectionText, 'line').join('\n'))] : [];
    }
    case 'fields':
      return chunk(block.fields, SLACK_LIMITS.sectionFields).map((fields) => ({
        type: 'section',
        fields: fields.map((f) => mrkdwn(truncate(`*${escapeSlack(f.label)}*\n${escapeSlack(f.value)}`, SLACK_LIMITS.fieldText))),
      }));
    case 'table': {
      // A ranking (a captioned table) is a native data table while the message's cell budget lasts.
      const native = block.caption ? dataTable(block, SLACK_TABLE_LIMITS.cellChars - budget.tableChars) : undefined;
      if (native) {
        budget.tableChars += tableChars(native.block);
        return native.cutRows > 0 ? [native.block, context(moreLine(native.cutRows, 'row'))] : [native.block];
      }
      // Any other table: a monospace block keeps the columns aligned.
      return [preformatted(renderTable(block.columns, block.rows, block.align), 2, 'row')];
    }
    case 'bars':
      return block.bars.length ? [preformatted(drawBars(block.bars), 0, 'bar')] : [];
    case 'chart': {
      // Slack draws at most two charts in a message: a third is drawn as text bars.
      const native = budget.charts < SLACK_CHART_LIMITS.chartsPerMessage ? dataVisualization(block.chart) : undefined;
      if (native) {
        budget.charts += 1;
        return [native];
      }
      const bars = chartBars(block.chart);
      return bars.length ? [preformatted(drawBars(bars), 0, 'bar')] : [];
    }
  }
}


/** Lines in a ``` block; the first `keep` lines (a table's heading) always stay, rows are cut from the end. */
function preformatted(raw: readonly string[], keep: number, unit: string): SlackBlock {
  // A ``` inside the content would close the block early.
  const lines = raw.map((l) => codeSafe(escapeSlack(l)));
  const wrap = (inner: readonly string[]) => `${FENCE}\n${inner.join('\n')}\n${FENCE}`;
  if (wrap(lines).length <= SLACK_LIMITS.sectionText) return mrkdwnSection(wrap(lines));
  const head = lines.slice(0, keep);
  const rows = lines.slice(keep);
  for (let n = rows.length - 1; n >= 0; n--) {
    const text = `${wrap([...head, ...rows.slice(0, n)])}\n${moreLine(rows.length - n, unit)}`;
    if (text.length <= SLACK_LIMITS.sectionText) return mrkdwnSection(text);
  }
  // Even the heading is too wide: fall back to cutting plain lines.
  return mrkdwnSection(fitLines(lines, SLACK_LIMITS.sectionText, 'line').join('\n'));
}

function trailerBlocks(reply: Reply, options: SlackRenderOptions): SlackBlock[] {
  const out: SlackBlock[] = [];
  const sources = sourcesLine(reply, SLACK_LIMITS.contextText, escapeSlack, truncate);
  if (sources) out.push(context(sources));
  if (reply.tip) out.push(context(truncate(escapeSlack(reply.tip), SLACK_LIMITS.contextText)));
  const actions = actionsBlock(reply, options);
  if (actions) out.push(actions);
  return out;
}

/**
 * The suggestions as buttons (a click runs that command for whoever clicks), then "Export CSV" when the reply has
 * figures and the line that gave it is known. Within Slack's limits: 25 elements, 75 characters of button text,
 * 2,000 of value; a suggestion too long for a value is left out rather than cut into another command.
 */
function actionsBlock(reply: Reply, { exportLine }: SlackRenderOptions): types.ActionsBlock | undefined {
  const fits = (line: string) => line.trim() !== '' && escapeSlack(line).length <= SLACK_BUTTON_LIMITS.value;
  const canExport = exportLine !== undefined && fits(exportLine) && hasFigures(reply);
  const room = SLACK_BUTTON_LIMITS.elements - (canExport ? 1 : 0);
  const runs = reply.suggestions.filter(fits).slice(0, room);
  const elements: types.Button[] = runs.map((line, i) => button(line, `${RUN_ACTION}${i}`, line));
  if (canExport) elements.push({ ...button('Export CSV', CSV_ACTION, exportLine), style: 'primary' });
  return elements.length ? { type: 'actions', elements } : undefined;
}

/** The value is escaped like every other string we send (read back with `buttonLine`), so no markup rides in it. */
function button(label: string, actionId: string, line: string): types.Button {
  return { type: 'button', text: { type: 'plain_text', text: truncate(escapeSlack(label), SLACK_BUTTON_LIMITS.text), emoji: false }, action_id: actionId, value: escapeSlack(line) };
}

/** A clicked button's value back as the line it stands for. */
export function buttonLine(value: string): string {
  return value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function fallbackText(reply: Reply): string {
  const lines = escapeSlack(renderText(reply)).split('\n');
  return fitLines(lines, SLACK_LIMITS.fallbackText, 'line').join('\n');
}

// ---- limits ----------------------------------------------------------------------------------------------------

/** Slack's fitting: lines cut with `truncate`, so no half escape is left. */
export function fitLines(lines: readonly string[], max: number, unit: string): string[] {
  return fitLinesWithin(lines, max, unit, truncate);
}

/** Cuts to at most `max` characters with "…", never leaving half an escape such as `&am`. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1).replace(/&[a-z]{0,4}$/, '')}…`;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ---- block builders --------------------------------------------------------------------------------------------

/** `verbatim`: Slack must not turn plain words such as "@here" or "#general" into mentions or links. */
function mrkdwn(text: string): types.MrkdwnElement {
  return { type: 'mrkdwn', text, verbatim: true };
}

function mrkdwnSection(text: string): SlackBlock {
  return { type: 'section', text: mrkdwn(text) };
}

function context(text: string): SlackBlock {
  return { type: 'context', elements: [mrkdwn(text)] };
}
