/** The Discord renderer on its own: Discord's limits hold for any reply, and cuts are visible. */
import fc from 'fast-check';
import { ButtonStyle, type APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS as L } from '../../../src/adapters/discord/limits.js';
import { ButtonLines, replyComponents } from '../../../src/adapters/discord/components.js';
import { embedMessage, fitSegments, neutraliseMentions, renderContent, renderEmbed } from '../../../src/adapters/discord/render.js';
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

describe('buttons (message components)', () => {
  const figure = { seller: 'xiaomi', month: '2025-05', units: 28000, qualifier: 'at_least', reportedAs: 'over 28,000', sources: [] };
  const withFigures: Reply = { ...answer('Xiaomi sales, May 2025', [], [], ['/compare xiaomi hima 2025-05', '/digest 2025-05']), figures: [figure] };

  it('each suggestion is a button whose custom_id gives back its line; "Export CSV" gives back the line that answered', () => {
    const lines = new ButtonLines();
    const rows = replyComponents(withFigures, lines, '/sales xiaomi may');
    const buttons = rows.flatMap((r) => r.components);
    expect(buttons.map((b) => [b.label, b.style])).toEqual([
      ['/compare xiaomi hima 2025-05', ButtonStyle.Secondary], ['/digest 2025-05', ButtonStyle.Secondary], ['Export CSV', ButtonStyle.Primary],
    ]);
    expect(buttons.map((b) => lines.decode(b.custom_id))).toEqual([
      { kind: 'run', line: '/compare xiaomi hima 2025-05' }, { kind: 'run', line: '/digest 2025-05' }, { kind: 'csv', line: '/sales xiaomi may' },
    ]);
    // With buttons, the embed no longer repeats the suggestions as a "Try:" line.
    const message = embedMessage(withFigures, [], rows);
    expect(message.components).toEqual(rows);
    expect(message.embeds[0]!.description ?? '').not.toContain('Try:');
    expect(embedMessage(withFigures).embeds[0]!.description).toContain('Try:');
  });

  it('no Export button without figures or without the line; nothing at all for a silent reply', () => {
    const lines = new ButtonLines();
    const labels = (r: Reply, line?: string) => replyComponents(r, lines, line).flatMap((row) => row.components.map((b) => b.label));
    expect(labels({ ...withFigures, figures: [] }, '/sales x')).not.toContain('Export CSV');
    expect(labels(withFigures)).not.toContain('Export CSV');
    expect(labels({ ...withFigures, kind: 'notice' }, '/sales x')).not.toContain('Export CSV');
    expect(replyComponents({ ...withFigures, silent: true }, lines, '/sales x')).toEqual([]);
  });

  it('at most 5 rows of 5, labels within 80 and custom_ids within 100 characters, each unique; Export kept', () => {
    const lines = new ButtonLines();
    const suggestions = Array.from({ length: 40 }, (_, i) => `/sales seller-${i} ${'x'.repeat(i % 2 ? 10 : 150)}`);
    const rows = replyComponents({ ...withFigures, suggestions }, lines, `/sales ${'y'.repeat(300)}`);
    expect(rows.length).toBeLessThanOrEqual(5);
    const buttons = rows.flatMap((r) => r.components);
    for (const r of rows) expect(r.components.length).toBeLessThanOrEqual(5);
    expect(buttons).toHaveLength(25);
    expect(buttons.at(-1)!.label).toBe('Export CSV');
    for (const b of buttons) {
      expect(b.label!.length).toBeLessThanOrEqual(80);
      expect(b.custom_id.length).toBeLessThanOrEqual(100);
    }
    expect(new Set(buttons.map((b) => b.custom_id)).size).toBe(25);
    // A long line is kept in memory and comes back whole.
    expect(lines.decode(buttons[0]!.custom_id)).toEqual({ kind: 'run', line: suggestions[0] });
    expect(lines.decode(buttons.at(-1)!.custom_id)).toEqual({ kind: 'csv', line: `/sales ${'y'.repeat(300)}` });
  });

  it('a long line forgotten (another process, or pushed out of the bounded map) is "expired"; a foreign custom_id is not ours', () => {
    const mine = new ButtonLines(1);
    const first = mine.encode('run', `/sales ${'a'.repeat(120)}`);
    mine.encode('run', `/sales ${'b'.repeat(120)}`);
    expect(mine.decode(first)).toBe('expired');
    expect(new ButtonLines().decode(first)).toBe('expired');
    expect(mine.decode('someone-elses-button')).toBeUndefined();
  });
});
