/**
 * Property test over the whole request path, command text and questions alike: whatever a user types (any Unicode,
 * control characters, huge input, either platform's mention syntax), the bot answers without throwing, within each
 * platform's limits, with no live mention and no control character echoed.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DISCORD_LIMITS } from '../../src/adapters/discord/limits.js';
import { embedMessage, renderContent } from '../../src/adapters/discord/render.js';
import { SLACK_LIMITS } from '../../src/adapters/slack/limits.js';
import { renderSlack } from '../../src/adapters/slack/render.js';
import type { Bot } from '../../src/core/bot.js';
import { renderText } from '../../src/core/render-text.js';
import type { Request } from '../../src/core/request.js';
import { makeBot } from '../support/bot.js';

let bot: Bot;
beforeAll(async () => {
  bot = await makeBot();
});

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this pattern is for
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const mention = fc.constantFrom('<!channel>', '<!here>', '<!everyone>', '<@U123ABC>', '<#C1|general>', '<!subteam^S1>', '@everyone', '@here', '<@&123456789>', '<@!987654321>', '<@987654321>');
const fragment = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('xiaomi', 'huawei', '小米', 'april', '2025-05', 'who sold more', '/', '\u0000', '\u001b[31m', '\r\n'),
  mention,
);
const text = fc.oneof(
  fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join(' ')),
  fc.tuple(fragment, fc.integer({ min: 1000, max: 50_000 })).map(([f, n]) => f.repeat(Math.ceil(n / Math.max(1, f.length))).slice(0, n)),
);
const request = fc.oneof(
  fc.record({ name: fc.constantFrom('sales', 'compare', 'partners', 'company', 'timeline', 'digest', 'help', 'nope'), text }).map(({ name, text: t }): Request => ({ kind: 'command', name, text: t, platform: 'slack', user: 'U1' })),
  text.map((t): Request => ({ kind: 'question', text: t, platform: 'discord', user: 'D1' })),
);

/** Every piece of text a Slack message shows. */
function slackTexts(msg: ReturnType<typeof renderSlack>): string[] {
  return [msg.text, ...msg.blocks.flatMap((b) => JSON.stringify(b).match(/"text":"(?:[^"\\]|\\.)*"/g) ?? [])];
}

describe('any input, either platform', () => {
  it('never throws, stays within limits, pings nobody and echoes no control character', () => {
    fc.assert(
      fc.property(request, (req) => {
        const reply = bot.handle(req);
        const plain = renderText(reply);
        expect(plain).not.toMatch(CONTROL);

        const slack = renderSlack(reply);
        expect(slack.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
        for (const b of slack.blocks) {
          if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
          if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
        }
        for (const t of slackTexts(slack)) {
          // Slack only notifies for <!…> and <@…> / <#…> markup; escaped text (&lt;) is shown, not acted on.
          expect(t).not.toMatch(/<[!@#]/);
          expect(t).not.toMatch(CONTROL);
        }

        const discord = embedMessage(reply);
        expect(discord.allowedMentions).toEqual({ parse: [] });
        for (const embed of discord.embeds) {
          expect((embed.description ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
          expect((embed.fields ?? []).length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFields);
        }
        const content = renderContent(reply);
        expect(content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
        for (const t of [content, JSON.stringify(discord.embeds)]) {
          expect(t).not.toMatch(/@(everyone|here)\b/);
          expect(t).not.toMatch(/<@[!&]?\d+>/);
        }
      }),
      { numRuns: 300 },
    );
  });
});
