/**
 * The core's reply document as a Discord message: one embed (title, description, inline fields,
 * footer with sources), or plain `content` where embeds cannot be shown. Everything is cut to
 * Discord's limits with a visible "…and N more", because an over-long payload is rejected whole.
 */
import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed, APIEmbedField, MessageMentionOptions } from 'discord.js';
import { drawBars } from '../../core/bars.js';
import { chartBars, renderTable } from '../../core/render-text.js';
import type { Block, Reply } from '../../core/reply.js';
import { DISCORD_LIMITS as L } from './limits.js';
import { codeSafe, moreLine, sourcesLine } from '../shared/fit.js';

/** Nothing a reply says may ping anyone; sent with every message, beside the Client-wide default. */
export const NO_MENTIONS: Readonly<MessageMentionOptions> = Object.freeze({ parse: [] });

/** Embeds in one message (Discord's limit); each extra chart image takes one. */
const EMBEDS_PER_MESSAGE = 10;

const COLORS: Record<Reply['kind'], number> = { answer: 0x5865f2, notice: 0xfee75c, error: 0xed4245 };

/**
 * A run of lines: plain core text (escaped), markdown written here (`md`: the tip and "Try:" line),
 * or monospace (tables, bars) shown in a ``` code block.
 */
interface Segment {
  code?: boolean;
  md?: boolean;
  lines: string[];
}

/** Cuts to `max` characters, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/**
 * Second line of defence after `allowed_mentions` (which is what actually prevents pings): breaks
 * `@everyone`, `@here` and `<@…>` / `<@&…>` with a zero-width space so they are not even shown as mentions.
 */
export function neutraliseMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, '@\u200b$1').replace(/<@(?!\u200b)/g, '<@\u200b');
}

/**
 * Core text is plain text (no markup): its `*`, `_`, `|`, `~`, `` ` `` show as typed, a typed `[text](url)`
 * never becomes a disguised link, and a line starting like a heading or quote stays a line. Linear on purpose: discord.js's escapeMarkdown takes ~0.5 s on 10 kB.
 */
export function escapePlain(text: string): string {
  return text.replace(/[\\`*_~|[\]]/g, '\\$&').replace(/^(#{1,3} |-# |>)/, '\\$1');
}

/** Plain core text, escaped and unable to mention anyone. */
function plain(text: string): string {
  return neutraliseMentions(escapePlain(text));
}


/** Suggestions as inline code; a backtick in one would end the span. */
function trySegment(reply: Reply): Segment[] {
  const out: Segment[] = [];
  if (reply.tip) out.push({ md: true, lines: [reply.tip] });
  if (reply.suggestions.length > 0) {
    out.push({ md: true, lines: [`Try: ${reply.suggestions.map((s) => `\`${s.replace(/`/g, 'ˋ')}\``).join('  ·  ')}`] });
  }
  return out;
}

function blockSegment(block: Exclude<Block, { type: 'fields' }>): Segment {
  switch (block.type) {
    case 'text':
      return { lines: block.lines };
    case 'table':
      return { code: true, lines: renderTable(block.columns, block.rows, block.align) };
    case 'bars':
      return { code: true, lines: drawBars(block.bars) };
    case 'chart':
      return { code: true, lines: drawBars(chartBars(block.chart)) };
  }
}

const moreLines = (n: number) => moreLine(n, 'line');

function renderLine(seg: Segment, line: string): string {
  return seg.code ? codeSafe(line) : seg.md ? neutraliseMentions(line) : plain(line);
}

function wrap(seg: Segment, body: string): string {
  return seg.code ? `\`\`\`\n${body}\n\`\`\`` : body;
}

/**
 * Joins segments (blank line between) within `limit` characters. When they do not fit, whole lines
 * are kept while they fit, an open code block is closed, and "…and N more lines" says what was cut.
 */
export function fitSegments(segments: readonly Segment[], limit: number): string {
  const segs = segments.filter((s) => s.lines.length > 0).map((seg) => ({ seg, lines: seg.lines.map((l) => renderLine(seg, l)) }));
  const full = segs.map(({ seg, lines }) => wrap(seg, lines.join('\n'))).join('\n\n');
  if (full.length <= limit) return full;

  const total = segs.reduce((n, s) => n + s.lines.length, 0);
  // Room kept for a code fence's close and the cut notice; a single line never takes more than the rest.
  const budget = limit - `\n\`\`\`\n${moreLines(total)}`.length;
  const longest = Math.max(1, budget - 10);
  let out = '';
  let shown = 0;
  for (const { seg, lines } of segs) {
    const sep = out ? '\n\n' : '';
    const overhead = sep.length + wrap(seg, '').length;
    let body = '';
    let kept = 0;
    for (const rendered of lines) {
      const line = clip(rendered, longest);
      if (out.length + overhead + body.length + (kept ? 1 : 0) + line.length > budget) break;
      body += (kept ? '\n' : '') + line;
      kept++;
    }
    if (kept > 0) out += sep + wrap(seg, body);
    shown += kept;
    if (kept < lines.length) break;
  }
  return `${out}${out ? '\n' : ''}${moreLines(total - shown)}`;
}

/** Sources come from the data files, not from users; neutralised all the same, as everything sent is. */
function sourcesText(reply: Reply, limit: number): string | undefined {
  return sourcesLine(reply, limit, neutraliseMentions, clip);
}

/**
 * The reply as one embed within every embed limit, including the 6,000-character total. `images` names the
 * attached PNG of each chart block, in order: the first is the embed's image and those charts are not drawn
 * again as text; a chart without an image is drawn as text bars.
 */
export function renderEmbed(reply: Reply, images: readonly string[] = []): APIEmbed {
  const title = clip(neutraliseMentions(reply.title), L.embedTitle);
  const footer = sourcesText(reply, L.footer);
  const fixed = title.length + (footer?.length ?? 0);

  // Fields blocks become inline embed fields while they fit; the rest is read as plain lines.
  const fields: APIEmbedField[] = [];
  let fieldChars = 0;
  const fieldBudget = L.embedTotal - fixed - 1500; // leaves the description a fair share
  const segments: Segment[] = [];
  let charts = 0;
  for (const block of reply.blocks) {
    if (block.type === 'chart' && charts++ < images.length) continue;
    if (block.type !== 'fields') {
      segments.push(blockSegment(block));
      continue;
    }
    const overflow: string[] = [];
    for (const f of block.fields) {
      const name = clip(neutraliseMentions(f.label) || '\u200b', L.fieldName);
      const value = clip(plain(f.value) || '\u200b', L.fieldValue);
      if (overflow.length === 0 && fields.length < L.embedFields && fieldChars + name.length + value.length <= fieldBudget) {
        fields.push({ name, value, inline: true });
        fieldChars += name.length + value.length;
      } else {
        overflow.push(`${f.label}: ${f.value}`);
      }
    }
    if (overflow.length > 0) segments.push({ lines: overflow });
  }
  segments.push(...trySegment(reply));

  const description = fitSegments(segments, Math.min(L.embedDescription, L.embedTotal - fixed - fieldChars));
  return {
    title,
    color: COLORS[reply.kind],
    ...(description ? { description } : {}),
    ...(fields.length > 0 ? { fields } : {}),
    ...(footer ? { footer: { text: footer } } : {}),
    ...(images[0] ? { image: { url: `attachment://${images[0]}` } } : {}),
  };
}

/** A chart drawn as a PNG, attached to the message under `name`. */
export interface ChartFile {
  name: string;
  data: Buffer;
}

/**
 * The reply's embeds: the main one, then one more per further chart image (Discord shows one image per embed).
 * Each extra embed has only an image, so the 6,000-character total is unchanged.
 */
export function renderEmbeds(reply: Reply, files: readonly ChartFile[] = []): APIEmbed[] {
  const names = files.map((f) => f.name);
  const main = renderEmbed(reply, names);
  return [main, ...names.slice(1, EMBEDS_PER_MESSAGE).map((name) => ({ color: COLORS[reply.kind], image: { url: `attachment://${name}` } }))];
}

/**
 * The reply as message `content` alone (≤ 2,000 characters): for channels where the bot may not embed
 * links, and anywhere an embed was refused. Sources and suggestions are kept; the body is cut first.
 */
export function renderContent(reply: Reply): string {
  const head = `**${clip(plain(reply.title), 200)}**`;
  const sources = sourcesText(reply, 600);
  const tailParts = [sources && neutraliseMentions(sources), ...trySegment(reply).map((s) => s.lines.map(neutraliseMentions).join('\n'))].filter((p): p is string => Boolean(p));
  const tail = clip(tailParts.join('\n'), 900);
  const body = reply.blocks.map((b): Segment => (b.type === 'fields' ? { lines: b.fields.map((f) => `${f.label}: ${f.value}`) } : blockSegment(b)));
  const room = L.content - head.length - tail.length - 4;
  const text = fitSegments(body, room);
  return [head, text, tail].filter(Boolean).join('\n\n');
}

/**
 * Message options with the embed; discord.js turns `allowedMentions` into `allowed_mentions`. With `components`
 * (the suggestions as buttons, see components.ts) the "Try:" line is left out: the buttons say it.
 */
export function embedMessage(reply: Reply, files: readonly ChartFile[] = [], components: readonly APIActionRowComponent<APIComponentInMessageActionRow>[] = []): {
  embeds: APIEmbed[]; allowedMentions: MessageMentionOptions; files?: { attachment: Buffer; name: string }[]; components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
} {
  const shown = files.slice(0, EMBEDS_PER_MESSAGE);
  return {
    embeds: renderEmbeds(components.length ? { ...reply, suggestions: [] } : reply, shown),
    allowedMentions: NO_MENTIONS,
    ...(shown.length ? { files: shown.map((f) => ({ attachment: f.data, name: f.name })) } : {}),
    ...(components.length ? { components: [...components] } : {}),
  };
}

export function contentMessage(reply: Reply, components: readonly APIActionRowComponent<APIComponentInMessageActionRow>[] = []): {
  content: string; allowedMentions: MessageMentionOptions; components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
} {
  return {
    content: renderContent(components.length ? { ...reply, suggestions: [] } : reply),
    allowedMentions: NO_MENTIONS,
    ...(components.length ? { components: [...components] } : {}),
  };
}
