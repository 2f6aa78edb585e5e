/**
 * SLACK_COMMAND_PREFIX (`ev-` registers `/ev-sales`) for workspaces where a name is taken. Replies name commands
 * as the core knows them (`/sales xiaomi april`); in such a workspace they must read `/ev-sales xiaomi april`.
 */
import type { Block, Reply } from '../../core/reply.js';

/** Rewrites `/name` to `/<prefix>name` for the given command names, wherever a reply mentions one. */
export function withCommandPrefix(reply: Reply, prefix: string, names: readonly string[]): Reply {
  if (!prefix || names.length === 0) return reply;
  const alternatives = [...names].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
  // A command starts a word (after a space, quote or bracket) and ends one: "/sales" but not "km/sales".
  const pattern = new RegExp(`(^|[\\s\`"'(“‘])/(${alternatives})(?![\\p{L}\\p{N}_-])`, 'gu');
  const fix = (s: string) => s.replace(pattern, `$1/${prefix}$2`);
  const block = (b: Block): Block => {
    switch (b.type) {
      case 'text':
        return { ...b, lines: b.lines.map(fix) };
      case 'fields':
        return { ...b, fields: b.fields.map((f) => ({ label: fix(f.label), value: fix(f.value) })) };
      case 'table':
        return { ...b, columns: b.columns.map(fix), rows: b.rows.map((r) => r.map(fix)) };
      case 'bars':
      case 'chart':
        return b;
    }
  };
  return {
    ...reply,
    title: fix(reply.title),
    blocks: reply.blocks.map(block),
    suggestions: reply.suggestions.map(fix),
    ...(reply.tip !== undefined ? { tip: fix(reply.tip) } : {}),
  };
}

/** Undoes the prefix in text typed to the bot: "/ev-sales xiaomi" → "/sales xiaomi". */
export function withoutCommandPrefix(line: string, prefix: string): string {
  return prefix && line.startsWith(`/${prefix}`) ? `/${line.slice(prefix.length + 1)}` : line;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
