/**
 * A reply's suggestions as Discord buttons (a click runs that command line for whoever clicks) and "Export CSV"
 * (the line that gave the answer, run again for the clicker, with the figures attached). A button hands back only
 * its custom_id (at most 100 characters), so the line rides in it; a line too long for that is kept here, in a
 * bounded map, under a short hash, and a click after it was forgotten is told the button has expired.
 */
import { createHash } from 'node:crypto';
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponentWithCustomId } from 'discord.js';
import { LRUCache } from 'lru-cache';
import type { Reply } from '../../core/reply.js';
import { hasFigures } from '../shared/csv.js';
import { CSV_COMMANDS, takeTrailingWords } from '../shared/trailing-words.js';
import { clip } from './render.js';

/** Discord's limits for buttons (discord.com/developers/docs/components/reference#button). */
export const BUTTON_LIMITS = { customId: 100, label: 80, perRow: 5, rows: 5 } as const;

/** What a click asks: run a line, or run it and attach its figures as CSV. */
export interface ButtonAction {
  kind: 'run' | 'csv';
  line: string;
}

/** `sb:<r|c>:<line>` carries the line itself; `sb:<R|C>:<hash>` names a line kept in memory. */
const PREFIX = 'sb:';
const INLINE = { run: 'r', csv: 'c' } as const;
const KEPT = { run: 'R', csv: 'C' } as const;

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

export class ButtonLines {
  private readonly kept: LRUCache<string, string>;

  constructor(max = 5000) {
    this.kept = new LRUCache({ max });
  }

  /** The custom_id for a button that runs `line` (`csv`: and exports its figures). */
  encode(kind: ButtonAction['kind'], line: string): string {
    const inline = `${PREFIX}${INLINE[kind]}:${line}`;
    if (inline.length <= BUTTON_LIMITS.customId) return inline;
    const key = createHash('sha256').update(line).digest('base64url').slice(0, 22);
    this.kept.set(key, line);
    return `${PREFIX}${KEPT[kind]}:${key}`;
  }

  /** A clicked custom_id back as its action; `expired` when its line is no longer kept; undefined when not ours. */
  decode(customId: string): ButtonAction | 'expired' | undefined {
    const m = /^sb:([rcRC]):([\s\S]+)$/.exec(customId);
    if (!m) return undefined;
    const kind = m[1]!.toLowerCase() === 'r' ? 'run' : 'csv';
    if (m[1] === 'r' || m[1] === 'c') return { kind, line: m[2]! };
    const line = this.kept.get(m[2]!);
    return line === undefined ? 'expired' : { kind, line };
  }
}

/**
 * Action rows for a reply: one secondary button per suggestion, then a primary "Export CSV" when the reply states
 * figures and `exportLine` (the line that gave it) is known. At most 5 rows of 5 buttons; the export button is
 * kept when suggestions must be dropped.
 */
export function replyComponents(reply: Reply, lines: ButtonLines, exportLine?: string): ButtonRow[] {
  if (reply.silent) return [];
  const max = BUTTON_LIMITS.perRow * BUTTON_LIMITS.rows;
  const canExport = exportLine !== undefined && exportLine.trim() !== '' && hasFigures(reply);
  const suggestions = [...new Set(reply.suggestions.filter((s) => s.trim() !== ''))].slice(0, max - (canExport ? 1 : 0));
  const buttons: APIButtonComponentWithCustomId[] = suggestions.map((line) => ({
    type: ComponentType.Button, style: ButtonStyle.Secondary, label: clip(line, BUTTON_LIMITS.label), custom_id: lines.encode('run', line),
  }));
  if (canExport) buttons.push({ type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Export CSV', custom_id: lines.encode('csv', exportLine) });
  const rows: ButtonRow[] = [];
  for (let i = 0; i < buttons.length; i += BUTTON_LIMITS.perRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + BUTTON_LIMITS.perRow) });
  }
  return rows;
}

/** A slash command's options as the line a button runs again, in the command's declared order: "/compare xiaomi huawei may". */
export function optionsLine(name: string, declared: readonly string[], options: Readonly<Record<string, string | undefined>>): string {
  const values = declared.map((o) => options[o]?.trim()).filter((v): v is string => Boolean(v));
  return [`/${name}`, ...values].join(' ');
}

/**
 * A trailing `csv` typed into a slash command's last option ("/digest month: may csv"; slash commands have no
 * free text to end with it), for the commands that export figures: taken out, and reported.
 */
export function splitCsvOption(name: string, declared: readonly string[], options: Readonly<Record<string, string | undefined>>): { options: Record<string, string | undefined>; csv: boolean } {
  const last = [...declared].reverse().find((o) => options[o]?.trim());
  if (!CSV_COMMANDS.has(name) || last === undefined) return { options: { ...options }, csv: false };
  const { text, found } = takeTrailingWords(options[last]!, ['csv']);
  return found.has('csv') ? { options: { ...options, [last]: text || undefined }, csv: true } : { options: { ...options }, csv: false };
}
