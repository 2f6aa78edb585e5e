/**
 * Text in and out of Slack. Outgoing: `&`, `<` and `>` are escaped everywhere, so nothing we echo can become
 * `<!channel>`, `<!here>`, `<@U…>`, `<#C…>` or a link. Incoming: Slack's markup is turned back into what the
 * user saw, so the core reads plain text.
 */

/** Escapes the three characters Slack treats as control characters; all else stays as typed. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Slack's message markup to plain text: `<@U1|ann>` → `@ann`, `<!here>` → `@here`, `<#C1|general>` → `#general`,
 * `<https://x|label>` → `label`, then `&lt;` `&gt;` `&amp;` back to characters. `<@botUserId>` (the mention
 * that addressed the bot) is dropped.
 */
export function fromSlackText(text: string, botUserId?: string): string {
  const decoded = text.replace(/<([^<>]*)>/g, (_all, inner: string) => {
    const [target = '', label] = splitLabel(inner);
    if (target.startsWith('@')) return botUserId && target === `@${botUserId}` ? ' ' : `@${label ?? target.slice(1)}`;
    if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
    if (target.startsWith('!subteam^')) return label ?? '@group';
    if (target.startsWith('!date^')) return label ?? '';
    if (target.startsWith('!')) return `@${label ?? target.slice(1)}`;
    return label ?? target;
  });
  return decoded.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
}

function splitLabel(inner: string): [string, string | undefined] {
  const bar = inner.indexOf('|');
  return bar < 0 ? [inner, undefined] : [inner.slice(0, bar), inner.slice(bar + 1)];
}

/** A trailing `public` word asks for an in-channel answer: "xiaomi april public" → text "xiaomi april". */
export function splitVisibility(text: string): { text: string; public: boolean } {
  const m = text.match(/^(.*?)(?:^|\s+)public\s*$/is);
  return m ? { text: (m[1] ?? '').trim(), public: true } : { text: text.trim(), public: false };
}
