/**
 * `fromDiscordText`: Discord's markup out of what a user typed, before the core reads it. Examples of each kind of
 * markup, then properties: mentions, emoji and pings add nothing to a question, so a question with them is answered
 * exactly like the same question without them (the loopback version of this is in discord.test.ts).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromDiscordText } from '../../../src/adapters/discord/text.js';
import type { Bot } from '../../../src/core/bot.js';
import { makeBot } from '../../support/bot.js';
import { discordMention, QUESTIONS, sprinkle, sprinkles } from './mentions.js';

describe('fromDiscordText', () => {
  it.each([
    ['<@123456789012345678> who sold more in May?', 'who sold more in May?'],
    ['<@!123456789012345678> /sales xiaomi april', '/sales xiaomi april'],
    ['<@&223456789012345678> /partners huawei', '/partners huawei'],
    ['compare xiaomi <#323456789012345678> and huawei', 'compare xiaomi and huawei'],
    ['/sales xiaomi <:xiaomi:423456789012345678> <a:party_blob:523456789012345678>', '/sales xiaomi'],
    ['@everyone @here who leads? ＠everyone', 'who leads?'],
    ['</sales:623456789012345678> xiaomi april', '/sales xiaomi april'],
    ['</sales month:623456789012345678> xiaomi', '/sales month xiaomi'],
    ['sales on <t:1714521600:D>, <t:1714521600>', 'sales on 2024-05-01, 2024-05-01'],
    ['see <id:customize> and <id:linked-roles:1>', 'see and'],
    ['/company [seres](https://example.com/seres "Seres") please', '/company seres please'],
    ['/company [seres](<https://example.com/seres>)', '/company seres'],
    ['source <https://example.com/a>', 'source https://example.com/a'],
    ['**/sales** __xiaomi__ ~~may~~ *april* _2025_ ||huawei|| `hima`', '/sales xiaomi may april 2025 huawei hima'],
    ['```\n/sales xiaomi april\n```', '/sales xiaomi april'],
    ['# who sold more\n> in May?\n-# thanks', 'who sold more\nin May?\nthanks'],
    ['snake_case_name and 5*3*2 stay', 'snake_case_name and 5*3*2 stay'],
    ['email me@example.com, <not a mention>, <@abc>', 'email me@example.com, <not a mention>, <@abc>'],
    ['小米4月卖了多少 <@123456789012345678>', '小米4月卖了多少'],
  ])('%j → %j', (input, expected) => {
    expect(fromDiscordText(input)).toBe(expected);
  });

  it('reads a long message in linear time and bounded length', () => {
    const flood = '<@1'.repeat(20_000) + '||'.repeat(20_000) + '```'.repeat(20_000);
    expect(fromDiscordText(flood).length).toBeLessThanOrEqual(4000);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

/** Plain words: no markup characters at all, so the text is its own plain form. */
const plainWords = fc
  .array(fc.stringMatching(/^[\p{L}\p{N}?,.'-]{1,12}$/u), { minLength: 1, maxLength: 12 })
  .map((words) => words.join(' '));

let bot: Bot;
beforeAll(async () => {
  bot = await makeBot();
});

describe('fromDiscordText, properties', () => {
  it('plain words come through unchanged, and mentions among them add nothing', () => {
    fc.assert(
      fc.property(plainWords, sprinkles, (text, mentions) => {
        expect(fromDiscordText(text)).toBe(text);
        expect(fromDiscordText(sprinkle(text, mentions))).toBe(text);
      }),
    );
  });

  it('never leaves a mention, a ping or a custom emoji in what the core reads', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(discordMention, fc.string({ maxLength: 8 })), { maxLength: 20 }), (parts) => {
        const out = fromDiscordText(parts.join(''));
        expect(out).not.toMatch(/<@[!&]?\d+>|<#\d+>|<a?:\w+:\d+>/);
        expect(out).not.toMatch(/[@＠](everyone|here)\b/i);
      }),
    );
  });

  it('the bot answers a question with mentions exactly as the same question without them', () => {
    fc.assert(
      fc.property(fc.constantFrom(...QUESTIONS), sprinkles, (question, mentions) => {
        const origin = { platform: 'cli' as const };
        const without = bot.handleLine(fromDiscordText(question), origin);
        const withMentions = bot.handleLine(fromDiscordText(sprinkle(question, mentions)), origin);
        expect(without.kind).toBe('answer');
        expect(withMentions).toEqual(without);
      }),
      { numRuns: 200 },
    );
  });
});
