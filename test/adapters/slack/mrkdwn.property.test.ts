/**
 * `fromSlackText` over generated messages: whatever Slack markup surrounds the words a user typed, the core gets
 * the words and no markup (no `<@…>`, `<#…>`, `<!…>`, link markup, user/channel ids or emoji shortcodes).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeSlack, fromSlackText } from '../../../src/adapters/slack/mrkdwn.js';

const id = (prefix: string) => fc.stringMatching(/^[A-Z0-9]{6,11}$/).map((s) => `${prefix}${s}`);
const label = fc.stringMatching(/^[a-z][a-z ]{0,12}[a-z]$/);

/** A piece of markup and the plain text it must become ('' when it must vanish). */
const markup: fc.Arbitrary<[string, string]> = fc.oneof(
  id('U').map((u): [string, string] => [`<@${u}>`, '']),
  fc.tuple(id('U'), label).map(([u, l]): [string, string] => [`<@${u}|${l}>`, '']),
  fc.tuple(id('C'), label).map(([c, l]): [string, string] => [`<#${c}|${l}>`, '']),
  id('C').map((c): [string, string] => [`<#${c}>`, '']),
  fc.tuple(id('S'), label).map(([s, l]): [string, string] => [`<!subteam^${s}|@${l}>`, '']),
  fc.constantFrom<[string, string]>(['<!here>', '@here'], ['<!channel>', '@channel'], ['<!everyone>', '@everyone']),
  fc.tuple(fc.webUrl(), label).map(([u, l]): [string, string] => [`<${u}|${l}>`, l]),
  fc.webUrl().map((u): [string, string] => [`<${u}>`, '']),
  fc.tuple(fc.integer({ min: 0, max: 2 ** 31 }), label).map(([t, l]): [string, string] => [`<!date^${t}^{date_short}|${l}>`, l]),
  fc.stringMatching(/^[a-z0-9_+-]{1,20}$/).map((e): [string, string] => [`:${e}:`, '']),
  fc.constantFrom<[string, string]>([':wave::skin-tone-3:', '']),
);

/** What a user types: words in any script, digits, punctuation Slack escapes (& < >), but no colons. */
const word = fc.stringMatching(/^[\p{L}\p{N}&<>?.,'/-]{1,12}$/u);

const piece: fc.Arbitrary<{ raw: string; plain: string }> = fc.oneof(
  markup.map(([raw, plain]) => ({ raw, plain })),
  word.map((w) => ({ raw: escapeSlack(w), plain: w })),
);

const normal = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('fromSlackText (property)', () => {
  it('keeps every typed word and label, in order, and nothing else', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.map((p) => p.raw).join(' ');
        expect(fromSlackText(text)).toBe(normal(pieces.map((p) => p.plain).join(' ')));
      }),
      { numRuns: 500 },
    );
  });

  it('never lets markup or an id through', () => {
    fc.assert(
      fc.property(fc.array(markup, { maxLength: 8 }), fc.array(word, { maxLength: 4 }), (marks, words) => {
        const out = fromSlackText([...marks.map(([raw]) => raw), ...words.map(escapeSlack)].join(' '));
        const typed = words.join(' ');
        if (!/[<>]/.test(typed)) expect(out).not.toMatch(/[<>]/);
        for (const [raw] of marks) {
          const ids = raw.match(/[UCS][A-Z0-9]{6,11}/g) ?? [];
          for (const i of ids) if (!typed.includes(i)) expect(out).not.toContain(i);
        }
        expect(out).not.toMatch(/(^|\s):[a-z0-9_+-]+:(\s|$)/);
      }),
      { numRuns: 500 },
    );
  });

  it('reads any text typed without markup back exactly (Slack escapes &, < and >)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes(':')), (typed) => {
        expect(fromSlackText(escapeSlack(typed))).toBe(normal(typed));
      }),
      { numRuns: 500 },
    );
  });
});
