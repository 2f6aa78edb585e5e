/**
 * Strips what carries no meaning for the bot in any text, whatever the platform: links, and the words that would
 * ping a whole channel (they are never echoed as pings). Platform markup — Slack's `<@U123>`, Discord's `<:emoji:1>` —
 * is turned into plain text by each adapter's own text function before the core sees it.
 */

const NOISE: readonly RegExp[] = [
  /\b(?:https?|ftp):\/\/\S*/gi,
  /\bwww\.\S*/gi,
  /(?:^|\s)[@＠](?:everyone|here|channel)\b/gi,
];

/** The text without links and pings; never longer than its input. */
export function stripNoise(text: string): string {
  let out = text;
  for (const pattern of NOISE) out = out.replace(pattern, ' ');
  return out;
}
