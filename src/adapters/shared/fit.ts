/**
 * Fitting a reply into a platform's limits, the same way everywhere: what does not fit is cut visibly, with
 * "…and N more", never silently and never by having the platform reject the whole message.
 */
import { renderSourcesLine } from '../../core/render-text.js';
import type { Reply, SourceRef } from '../../core/reply.js';

/** "…and 1,204 more rows". */
export function moreLine(n: number, unit: string): string {
  return `…and ${n.toLocaleString('en-US')} more ${unit}${n === 1 ? '' : 's'}`;
}

/** What cuts one over-long text to `max` characters (each platform marks and escapes its own way). */
export type Cut = (text: string, max: number) => string;

/** The longest prefix of `lines` that fits in `max` characters (joined by newlines), plus "…and N more". */
export function fitLines(lines: readonly string[], max: number, unit: string, cut: Cut): string[] {
  if (lines.join('\n').length <= max) return [...lines];
  let used = 0;
  for (let n = 0; n < lines.length; n++) {
    const next = used + (n > 0 ? 1 : 0) + lines[n]!.length;
    if (next + 1 + moreLine(lines.length - (n + 1), unit).length > max) {
      if (n > 0) return [...lines.slice(0, n), moreLine(lines.length - n, unit)];
      // The first line alone is longer than the whole budget: cut the line itself.
      if (lines.length === 1) return [cut(lines[0]!, max)];
      const rest = moreLine(lines.length - 1, unit);
      return [cut(lines[0]!, max - 1 - rest.length), rest];
    }
    used = next;
  }
  return [...lines];
}

/** `prefix` and as many `items` as fit in `max`, joined by `sep`, ending "…and N more <unit>s" when some had to go. */
export function fitItems(prefix: string, items: readonly string[], sep: string, max: number, unit: string, cut: Cut): string {
  const all = prefix + items.join(sep);
  if (all.length <= max) return all;
  for (let n = items.length - 1; n >= 1; n--) {
    const text = `${prefix}${items.slice(0, n).join(sep)}${sep}${moreLine(items.length - n, unit)}`;
    if (text.length <= max) return text;
  }
  return cut(all, max);
}

/** The sources line within `max`, each source labelled as the plain-text reply labels it; `markup` escapes for the platform. */
export function sourcesLine(reply: Reply, max: number, markup: (text: string) => string, cut: Cut): string | undefined {
  if (reply.sources.length === 0) return undefined;
  const label = (s: SourceRef) => markup(renderSourcesLine({ ...reply, sources: [s] })!.slice('Sources: '.length));
  return fitItems('Sources: ', reply.sources.map(label), '; ', max, 'source', cut);
}

/** A ``` inside a code block would close it early (a table cell can hold typed text): broken with zero-width spaces. */
export function codeSafe(line: string): string {
  return line.replace(/```/g, '`\u200b`\u200b`');
}
