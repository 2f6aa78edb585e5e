/**
 * Strips what chat platforms wrap around a question: mentions, channel links, special pings, URLs,
 * custom emoji. Their text ("U123", "general", "https") would otherwise read as words.
 */

const NOISE: readonly RegExp[] = [
  /<[@#!][^<>]{0,120}>/g, // Slack <@U123>, <#C1|general>, <!here>; Discord <@!123>, <@&123>, <#123>
  /<a?:[\w~-]{1,64}:\d{1,25}>/g, // Discord custom emoji <:tada:123>
  /<t:-?\d{1,20}(?::[a-z])?>/gi, // Discord timestamps
  /<(?:https?|mailto|ftp):[^<>]{0,2000}>/gi, // Slack link markup <https://x|label>
  /\b(?:https?|ftp):\/\/\S*/gi,
  /\bwww\.\S*/gi,
  /(?:^|\s)[@＠](?:everyone|here|channel)\b/gi,
  /:[a-z0-9_+-]{1,40}:/gi, // Slack emoji shortcodes :tada:
];

/** The question without platform markup; never longer than its input. */
export function stripNoise(text: string): string {
  let out = text;
  for (const pattern of NOISE) out = out.replace(pattern, ' ');
  return out;
}
