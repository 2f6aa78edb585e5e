/** The Discord renderer on its own: Discord's limits hold for any reply, and cuts are visible. */
import fc from 'fast-check';
import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS as L } from '../../../src/adapters/discord/limits.js';
import { fitSegments, neutraliseMentions, renderContent, renderEmbed } from '../../../src/adapters/discord/render.js';
import { answer, type Block, type Reply } from '../../../src/core/reply.js';

const embedLength = (e: APIEmbed) =>
  (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
const fences = (text = '') => (text.match(/```/g) ?? []).length;

const text = fc.string({ maxLength: 300 });
const block: fc.Arbitrary<Block> = fc.oneof(
  fc.record({ type: fc.constant('text' as const), lines: fc.array(fc.string({ maxLength: 2000 }), { maxLength: 40 }) }),
  fc.record({ type: fc.constant('fields' as const), fields: fc.array(fc.record({ label: text, value: fc.string({ maxLength: 1500 }) }), { maxLength: 40 }) }),
  fc.record({ type: fc.constant('table' as const), columns: fc.array(text, { minLength: 1, maxLength: 4 }), rows: fc.array(fc.array(fc.string({ maxLength: 60 }), { maxLength: 4 }), { maxLength: 200 }) }),
);
const reply: fc.Arbitrary<Reply> = fc.record({
  kind: fc.constantFrom('answer' as const, 'notice' as const, 'error' as const),
  title: fc.string({ maxLength: 600 }),
  blocks: fc.array(block, { maxLength: 6 }),
  sources: fc.array(fc.record({ id: text, title: text, publisher: text }), { maxLength: 40 }),
  suggestions: fc.array(fc.string({ maxLength: 80 }), { maxLength: 5 }),
});

describe('renderEmbed', () => {
  it('stays within every embed limit, with balanced code fences, for any reply', () => {
    fc.assert(
      fc.property(reply, (r) => {
        const e = renderEmbed(r);
        expect(e.title!.length).toBeLessThanOrEqual(L.embedTitle);
        expect(e.description?.length ?? 0).toBeLessThanOrEqual(L.embedDescription);
        expect(e.fields?.length ?? 0).toBeLessThanOrEqual(L.embedFields);
        for (const f of e.fields ?? []) {
          expect(f.name.length).toBeGreaterThan(0);
          expect(f.name.length).toBeLessThanOrEqual(L.fieldName);
          expect(f.value.length).toBeGreaterThan(0);
          expect(f.value.length).toBeLessThanOrEqual(L.fieldValue);
        }
        expect(e.footer?.text.length ?? 0).toBeLessThanOrEqual(L.footer);
        expect(embedLength(e)).toBeLessThanOrEqual(L.embedTotal);
        expect(fences(e.description) % 2).toBe(0);
      }),
      { numRuns: 150 },
    );
  });

  it('shows fields past the 25th in the description instead of dropping them', () => {
    const fields = Array.from({ length: 30 }, (_, i) => ({ label: `F${i + 1}`, value: String(i + 1) }));
    const e = renderEmbed(answer('t', [{ type: 'fields', fields }]));
    expect(e.fields).toHaveLength(25);
    expect(e.description).toContain('F26: 26');
    expect(e.description).toContain('F30: 30');
  });

  it('cuts a long table inside a closed code block and says how many lines are missing', () => {
    const rows = Array.from({ length: 500 }, (_, i) => [`seller ${i + 1}`, String(i)]);
    const e = renderEmbed(answer('t', [{ type: 'table', columns: ['Seller', 'Units'], rows }]));
    const hidden = Number(e.description!.match(/…and (\d+) more lines$/)?.[1]);
    const shown = e.description!.split('\n').filter((l) => l.startsWith('seller ')).length;
    expect(shown + hidden).toBe(rows.length);
    expect(e.description).toMatch(/```\n…and \d+ more lines$/);
  });

  it('shows core text as typed: markdown characters are escaped outside code blocks only', () => {
    const e = renderEmbed(answer('t', [
      { type: 'text', lines: ['a_b *c* ||d|| [click](http://example.invalid)', '# not a heading'] },
      { type: 'table', columns: ['x'], rows: [['a_b ``` *c*']] },
    ]));
    expect(e.description).toContain('a\\_b \\*c\\* \\|\\|d\\|\\| \\[click\\](http://example.invalid)');
    expect(e.description).toContain('\n\\# not a heading');
    expect(e.description).toMatch(/```\nx\n-+\na_b `\u200b`\u200b` \*c\*\n```/);
    expect(fences(e.description)).toBe(2);
  });

  it('colours by kind and lists sources in the footer', () => {
    const r: Reply = { ...answer('t', [], [{ id: 's', title: 'Report', publisher: 'Agency' }]), kind: 'error' };
    const e = renderEmbed(r);
    expect(e.color).toBe(0xed4245);
    expect(e.footer?.text).toBe('Sources: Report (Agency)');
  });
});

describe('renderContent (the plain fallback)', () => {
  it('stays within 2,000 characters for any reply, keeping the title', () => {
    fc.assert(
      fc.property(reply, (r) => {
        const c = renderContent(r);
        expect(c.length).toBeLessThanOrEqual(L.content);
        expect(c.startsWith('**')).toBe(true);
        expect(fences(c) % 2).toBe(0);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps sources and suggestions when the body is cut', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i + 1} ${'x'.repeat(40)}`);
    const c = renderContent(answer('Title', [{ type: 'text', lines }], [{ id: 's', title: 'Report', publisher: 'Agency' }], ['/sales xiaomi']));
    expect(c).toMatch(/…and \d+ more lines/);
    expect(c).toContain('Sources: Report (Agency)');
    expect(c).toContain('`/sales xiaomi`');
  });
});

describe('mentions', () => {
  it('breaks @everyone, @here and <@…> mentions, and is idempotent', () => {
    const once = neutraliseMentions('@everyone @HERE <@123> <@!4> <@&5>');
    expect(once).not.toMatch(/@everyone|@here|<@\d|<@!|<@&/i);
    expect(neutraliseMentions(once)).toBe(once);
  });

  it('never lets a line longer than the limit through', () => {
    const out = fitSegments([{ lines: ['y'.repeat(10_000)] }], 500);
    expect(out.length).toBeLessThanOrEqual(500);
    expect(out).toContain('…');
  });
});
