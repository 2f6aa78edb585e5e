/** What people sprinkle into a Discord question, shared by the unit properties and the loopback ones. */
import fc from 'fast-check';

/** Markup that only addresses or decorates: user, nickname, role and channel mentions, custom emoji, pings. */
const snowflakeId = fc.stringMatching(/^[1-9]\d{16,18}$/);
const emojiName = fc.stringMatching(/^[A-Za-z0-9_]{2,20}$/);
export const discordMention: fc.Arbitrary<string> = fc.oneof(
  snowflakeId.map((id) => `<@${id}>`),
  snowflakeId.map((id) => `<@!${id}>`),
  snowflakeId.map((id) => `<@&${id}>`),
  snowflakeId.map((id) => `<#${id}>`),
  fc.tuple(emojiName, snowflakeId).map(([name, id]) => `<:${name}:${id}>`),
  fc.tuple(emojiName, snowflakeId).map(([name, id]) => `<a:${name}:${id}>`),
  fc.constantFrom('@everyone', '@here'),
);

/** `text` with `mentions` put between its words (and at either end), the way a user sprinkles them in. */
export function sprinkle(text: string, mentions: readonly (readonly [number, string])[]): string {
  const words = text.split(' ');
  for (const [at, mention] of mentions) words.splice(at % (words.length + 1), 0, mention);
  return words.join(' ');
}
export const sprinkles = fc.array(fc.tuple(fc.nat(), discordMention), { minLength: 1, maxLength: 6 });

/** Questions and commands as people type them, each answered by the bundled data. */
export const QUESTIONS = [
  'who sold more in May?',
  'who sold more in april, xiaomi or huawei?',
  '/sales xiaomi april',
  '/compare xiaomi huawei may',
  '/partners huawei',
  'who makes the Luxeed?',
  'is Chery a Huawei partner?',
  'what did HIMA deliver last month',
  '小米4月卖了多少',
  '/timeline 2025',
];
