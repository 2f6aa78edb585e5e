/**
 * Discord's markup out of user text, before it reaches the core: the one place that knows how Discord writes a
 * mention, an emoji or a timestamp inside a message or an option value. The core then reads plain words only.
 *
 * Modelled on vercel/chat `packages/adapter-discord/src/markdown.ts` (`toAst`), but towards plain text rather
 * than markdown: what carries no meaning for a question becomes nothing; what does becomes the words it shows.
 */

/** Upper bound on what is read at all (a Discord message is at most 4,000 characters); keeps every pass linear. */
const MAX_TEXT = 4000;

/**
 * `<…>` tokens Discord renders specially, one pattern with a named group per kind so a single pass handles them.
 * - user `<@123>`, legacy nickname `<@!123>`, role `<@&123>`, channel `<#123>`: who or where, not what is asked → nothing
 * - custom emoji `<:name:123>`, animated `<a:name:123>`: decoration; its name could read as a company → nothing
 * - slash command mention `</sales:123>`, `</group sub:123>`: shown as "/sales" → "/sales"
 * - timestamp `<t:1714521600>`, `<t:1714521600:R>`: shown as a date → that date, `2024-05-01` (UTC)
 * - guild navigation `<id:browse>`, `<id:customize>`, `<id:linked-roles:123>`: a link to a server page → nothing
 * - an unembedded link `<https://…>`: shown as the URL → the URL
 */
const TOKEN =
  /<(?:(?<mention>@[!&]?\d{1,25}|#\d{1,25})|(?<emoji>a?:[\w~-]{1,64}:\d{1,25})|\/(?<command>[\w-]{1,32}(?: [\w-]{1,32}){0,2}):\d{1,25}|t:(?<time>-?\d{1,16})(?::[a-zA-Z])?|(?<nav>id:[\w-]{1,32}(?::\d{1,25})?)|(?<url>https?:\/\/[^\s<>]{1,2000}))>/g;

/** `[shown text](url)` or `[shown text](<url> "title")`: the reader saw the text, so the core reads the text. */
const MASKED_LINK = /\[([^[\]\n]{0,256})\]\(\s*<?(?:https?:\/\/|mailto:)[^\s()<>]{0,2000}>?(?:\s+"[^"\n]{0,256}")?\s*\)/gi;

/** `@everyone` and `@here` (also with a full-width ＠): a ping, never part of a question. */
const MASS_MENTION = /[@＠](?:everyone|here)\b/gi;

/** Markdown that only styles words: spoilers, code spans and fences, bold, underline, strike-through, italics. */
const STYLE: readonly [RegExp, string][] = [
  [/```(?:[\w+-]{1,20}\n)?([\s\S]*?)```/g, '$1'], // a code block, with its optional language line
  [/`([^`\n]*)`/g, '$1'],
  [/\|\|([\s\S]*?)\|\|/g, '$1'],
  [/\*\*([^*\n]+)\*\*/g, '$1'],
  [/__([^_\n]+)__/g, '$1'],
  [/~~([^~\n]+)~~/g, '$1'],
  [/(^|[^\w*])\*([^*\n]+)\*(?![\w*])/g, '$1$2'],
  [/(^|[^\w])_([^_\n]+)_(?!\w)/g, '$1$2'],
];

/** Line prefixes that only style a line: headings, subtext, block quotes, multi-line quotes. */
const LINE_PREFIX = /^[^\S\n]*(?:#{1,3} |-# |>>> |> )/gm;

function isoDate(seconds: string): string | undefined {
  const date = new Date(Number(seconds) * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 10);
}

/**
 * Discord message or option text as plain text for the core: mentions, custom emoji, `@everyone`/`@here` and
 * server links removed; command mentions as `/name`, timestamps as their date, masked links as their text, and
 * styling markdown unwrapped. Spaces left behind are collapsed; line breaks are kept. Linear in the input.
 *
 * @example fromDiscordText('<@123> who sold more in **May**? <:tada:456>') // 'who sold more in May?'
 * @example fromDiscordText('</sales:1> xiaomi [april](https://example.com)') // '/sales xiaomi april'
 */
export function fromDiscordText(text: string): string {
  let out = text.slice(0, MAX_TEXT);
  out = out.replace(MASKED_LINK, '$1');
  out = out.replace(TOKEN, (_match, ...args: unknown[]) => {
    const groups = args.at(-1) as Record<string, string | undefined>;
    if (groups.command !== undefined) return `/${groups.command}`;
    if (groups.time !== undefined) return isoDate(groups.time) ?? ' ';
    if (groups.url !== undefined) return groups.url;
    return ' '; // mention, emoji, server navigation: a space, so the words either side stay apart
  });
  out = out.replace(MASS_MENTION, ' ');
  for (const [pattern, replacement] of STYLE) out = out.replace(pattern, replacement);
  out = out.replace(LINE_PREFIX, '');
  return out
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .trim();
}
