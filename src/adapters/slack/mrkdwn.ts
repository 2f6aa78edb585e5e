/**
 * Text in and out of Slack. Outgoing: `&`, `<` and `>` are escaped everywhere, so nothing we echo can become
 * `<!channel>`, `<!here>`, `<@U…>`, `<#C…>` or a link. Incoming: Slack's markup is turned back into what the
 * user saw, so the core reads plain text.
 */
import { takeTrailingWords } from '../shared/trailing-words.js';

/** Escapes the three characters Slack treats as control characters; all else stays as typed. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Slack's message markup to plain text, so the core never reads platform markup:
 * - user, channel and user-group mentions (`<@U1>`, `<@U1|ann>`, `<#C1|general>`, `<!subteam^S1|@sales>`) are
 *   dropped: they name people, not what is asked ("xiaomi april @someone" asks about xiaomi in April);
 * - special pings (`<!here>`, `<!channel>`, `<!everyone>`) read as the user saw them, `@here`, never live again;
 * - links read as their label (`<https://x|label>` → `label`); a bare link (`<https://x>`) is dropped;
 * - dates (`<!date^1392734382^{date_short}|Feb 18, 2014>`) read as their fallback text;
 * - emoji shortcodes (`:tada:`, `:wave::skin-tone-2:`) are dropped;
 * then `&lt;` `&gt;` `&amp;` become characters again (text typed literally, never markup) and spaces are collapsed.
 */
export function fromSlackText(text: string): string {
  if (typeof text !== 'string') return '';
  const plain = text
    .replace(/<([^<>]*)>/g, (_all, inner: string) => ` ${fromMarkup(inner)} `)
    .replace(EMOJI, ' ');
  return plain.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
}

/** `:name:` with an optional skin tone, not inside a word or a time (10:30:00 stays). */
const EMOJI = /(?<![\p{L}\p{N}:]):[a-z0-9_+'-]{1,100}:(?::skin-tone-[2-6]:)?(?![\p{L}\p{N}])/giu;

const SPECIAL_PINGS = new Set(['here', 'channel', 'everyone']);

function fromMarkup(inner: string): string {
  const [target = '', label] = splitLabel(inner);
  if (target.startsWith('@') || target.startsWith('#') || target.startsWith('!subteam^')) return '';
  if (target.startsWith('!date^')) return label ?? '';
  if (target.startsWith('!')) {
    const name = target.slice(1);
    return SPECIAL_PINGS.has(name) ? `@${name}` : '';
  }
  return label ?? '';
}

function splitLabel(inner: string): [string, string | undefined] {
  const bar = inner.indexOf('|');
  return bar < 0 ? [inner, undefined] : [inner.slice(0, bar), inner.slice(bar + 1)];
}

/** A trailing `public` word asks for an in-channel answer: "xiaomi april public" → text "xiaomi april". */
export function splitVisibility(text: string): { text: string; public: boolean } {
  const { text: rest, found } = takeTrailingWords(text, ['public']);
  return { text: rest, public: found.has('public') };
}
