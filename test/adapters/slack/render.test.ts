/** The Block Kit renderer and the Slack text helpers, on reply documents built to break Slack's limits. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SLACK_LIMITS } from '../../../src/adapters/slack/limits.js';
import { escapeSlack, fromSlackText, splitVisibility } from '../../../src/adapters/slack/mrkdwn.js';
import { withCommandPrefix, withoutCommandPrefix } from '../../../src/adapters/slack/prefix.js';
import { buttonLine, CSV_ACTION, fitLines, renderSlack, truncate } from '../../../src/adapters/slack/render.js';
import type { Block, Reply } from '../../../src/core/reply.js';
import { answer } from '../../../src/core/reply.js';
import { blocksOf, buttonsOf, expectNoLiveMention, expectWithinSlackLimits, visibleTexts } from './harness.js';

const lines = (n: number, width = 60) => Array.from({ length: n }, (_, i) => `Line ${i + 1}: ${'x'.repeat(width)}`);

function sectionTexts(reply: Reply): string[] {
  return blocksOf(renderSlack(reply)).filter((b) => b.type === 'section' && b.text).map((b) => b.text!.text);
}

describe('renderSlack within Slack limits', () => {
  it('keeps a text block of exactly 3,000 characters whole and cuts one of 3,001 with "…and N more lines"', () => {
    const exact = ['a'.repeat(1499), 'b'.repeat(1500)]; // 1499 + newline + 1500
    expect(sectionTexts(answer('T', [{ type: 'text', lines: exact }]))).toEqual([exact.join('\n')]);
    const over = ['a'.repeat(1500), 'b'.repeat(1500)];
    expect(sectionTexts(answer('T', [{ type: 'text', lines: over }]))).toEqual([`${'a'.repeat(1500)}\n…and 1 more line`]);
  });

  it('cuts a long text block at a line boundary and counts every line left out', () => {
    const all = lines(200);
    const [text] = sectionTexts(answer('T', [{ type: 'text', lines: all }]));
    expect(text!.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    const shown = text!.split('\n');
    const more = Number(/^…and (\d+) more lines$/.exec(shown.at(-1)!)?.[1]);
    expect(shown.slice(0, -1)).toEqual(all.slice(0, shown.length - 1));
    expect(shown.length - 1 + more).toBe(200);
    // As much as fits: one more line would not have.
    expect([...shown.slice(0, -1), all[shown.length - 1], `…and ${more - 1} more lines`].join('\n').length).toBeGreaterThan(SLACK_LIMITS.sectionText);
  });

  it('cuts one line longer than a section with "…", never leaving half an escape', () => {
    const [text] = sectionTexts(answer('T', [{ type: 'text', lines: ['&'.repeat(5000)] }]));
    expect(text!.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(text).toMatch(/^(&amp;)+…$/);
  });

  it('cuts a table by rows, keeps its heading inside the ``` block and the count outside it', () => {
    const rows = Array.from({ length: 500 }, (_, i) => [`Row ${i + 1}`, String(i * 1000)]);
    const [text] = sectionTexts(answer('T', [{ type: 'table', columns: ['Name', 'Units'], rows, align: ['left', 'right'] }]));
    expect(text!.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(text).toMatch(/^```\nName +Units\n-+ +-+\nRow 1 +0\n/);
    const m = /\n```\n…and (\d+) more rows$/.exec(text!);
    expect(m).not.toBeNull();
    const shownRows = text!.split('\n').filter((l) => l.startsWith('Row ')).length;
    expect(shownRows + Number(m![1])).toBe(500);
  });

  it('splits more than 10 fields into sections and cuts a field past 2,000 characters', () => {
    const fields = Array.from({ length: 23 }, (_, i) => ({ label: `F${i + 1}`, value: i === 0 ? 'v'.repeat(2500) : 'v' }));
    const message = renderSlack(answer('T', [{ type: 'fields', fields }]));
    expectWithinSlackLimits(message);
    const sections = blocksOf(message).filter((b) => b.fields);
    expect(sections.map((b) => b.fields!.length)).toEqual([10, 10, 3]);
    expect(sections[0]!.fields![0]!.text).toMatch(/^\*F1\*\nv+…$/);
    expect(sections[2]!.fields!.at(-1)!.text).toBe('*F23*\nv');
  });

  it('never exceeds 50 blocks: the overflow is one "…and N more sections" block, sources and suggestions kept', () => {
    const blocks: Block[] = Array.from({ length: 80 }, (_, i) => ({ type: 'text', lines: [`Part ${i + 1}`] }));
    const reply: Reply = { ...answer('T', blocks, [{ id: 's', title: 'Source', publisher: 'Pub' }], ['/help']), tip: 'Tip: try it' };
    const message = renderSlack(reply);
    expectWithinSlackLimits(message);
    const all = blocksOf(message);
    expect(all).toHaveLength(50);
    const texts = visibleTexts(message);
    // header + 45 parts + "…and N more" + sources + tip + suggestions = 50
    expect(texts.filter((t) => t.startsWith('Part '))).toHaveLength(45);
    expect(texts).toContain('…and 35 more sections');
    expect(texts.slice(-3)).toEqual(['Sources: Source (Pub)', 'Tip: try it', '/help']);
    expect(blocksOf(message).at(-1)!.type).toBe('actions');
  });

  it('cuts a header past 150 characters and a fallback text past 4,000', () => {
    const message = renderSlack(answer('T'.repeat(400), [{ type: 'text', lines: lines(300) }]));
    expectWithinSlackLimits(message);
    expect(blocksOf(message)[0]!.text!.text).toBe(`${'T'.repeat(149)}…`);
    expect(message.text).toMatch(/\n…and \d+ more lines$/);
  });

  it('cuts a long sources line by whole sources', () => {
    const sources = Array.from({ length: 40 }, (_, i) => ({ id: `s${i}`, title: `Source ${i + 1} ${'t'.repeat(100)}`, publisher: 'P' }));
    const context = visibleTexts(renderSlack(answer('T', [], sources))).find((t) => t.startsWith('Sources: '))!;
    expect(context.length).toBeLessThanOrEqual(SLACK_LIMITS.contextText);
    const m = /; …and (\d+) more sources$/.exec(context);
    expect(m).not.toBeNull();
    expect(context.split('; ').length - 1 + Number(m![1])).toBe(40);
  });

  it('escapes every string and marks every mrkdwn text verbatim', () => {
    const evil = '<!channel> <!here> <@U1> <#C1> <https://x.test|click> & co';
    const reply: Reply = {
      ...answer(evil, [
        { type: 'text', lines: [evil] },
        { type: 'fields', fields: [{ label: evil, value: evil }] },
        { type: 'table', columns: [evil], rows: [[evil]] },
        { type: 'bars', bars: [{ label: evil, value: 1, display: evil, lowerBound: false }] },
      ], [{ id: 'e', title: evil, publisher: evil }], [evil]),
      tip: evil,
    };
    const message = renderSlack(reply);
    expectNoLiveMention(message);
    expectWithinSlackLimits(message);
    const texts = visibleTexts(message);
    expect(texts.length).toBeGreaterThanOrEqual(8);
    for (const t of texts) expect(t).toContain('&lt;!channel&gt; &lt;!here&gt; &lt;@U1&gt;');
    expect(message.text).toContain('&lt;!channel&gt;');
    for (const b of blocksOf(message)) {
      for (const t of [b.text, ...(b.fields ?? []), ...(b.elements ?? [])]) if (t?.type === 'mrkdwn') expect(t.verbatim).toBe(true);
    }
  });

  it('keeps a ``` in the data from closing the preformatted block', () => {
    const [text] = sectionTexts(answer('T', [{ type: 'table', columns: ['A'], rows: [['x```y']] }]));
    expect(text!.match(/```/g)).toHaveLength(2);
  });

  it('drops empty blocks Slack would reject', () => {
    const message = renderSlack(answer('T', [{ type: 'text', lines: [] }, { type: 'text', lines: ['', ' '] }, { type: 'bars', bars: [] }]));
    expect(blocksOf(message).map((b) => b.type)).toEqual(['header']);
  });

  it('any reply renders within the limits with no live mention (property)', () => {
    const str = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '<', '>', '&', '!', '@', '#', '`', '*', '\u00e9', '9'), maxLength: 400 });
    const block: fc.Arbitrary<Block> = fc.oneof(
      fc.record({ type: fc.constant('text' as const), lines: fc.array(str, { maxLength: 60 }) }),
      fc.record({ type: fc.constant('fields' as const), fields: fc.array(fc.record({ label: str, value: str }), { minLength: 1, maxLength: 25 }) }),
      fc.record({ type: fc.constant('table' as const), columns: fc.array(str, { minLength: 1, maxLength: 4 }), rows: fc.array(fc.array(str, { maxLength: 4 }), { maxLength: 60 }) }),
      fc.record({ type: fc.constant('bars' as const), bars: fc.array(fc.record({ label: str, value: fc.nat(1e6), display: str, lowerBound: fc.boolean() }), { maxLength: 40 }) }),
    );
    const reply = fc.record({
      kind: fc.constantFrom('answer' as const, 'notice' as const, 'error' as const),
      title: str.filter((t) => t.trim().length > 0),
      blocks: fc.array(block, { maxLength: 70 }),
      sources: fc.array(fc.record({ id: str, title: str, publisher: str }), { maxLength: 30 }),
      suggestions: fc.array(str, { maxLength: 20 }),
    });
    fc.assert(
      fc.property(reply, (r) => {
        const message = renderSlack(r);
        expectWithinSlackLimits(message);
        expect(JSON.stringify(message)).not.toMatch(/<[!@#]/);
      }),
      { numRuns: 150 },
    );
  });
});

describe('text helpers', () => {
  it('escapeSlack escapes &, < and > only', () => {
    expect(escapeSlack('a & b < c > d *e* _f_')).toBe('a &amp; b &lt; c &gt; d *e* _f_');
  });

  it('fitLines and truncate respect their budget exactly', () => {
    expect(fitLines(['aaaa', 'bbbb'], 9, 'line')).toEqual(['aaaa', 'bbbb']);
    expect(fitLines(['a', 'b', 'c', 'd'.repeat(100)], 30, 'line')).toEqual(['a', 'b', 'c', '…and 1 more line']);
    const [first, more] = fitLines(['x'.repeat(5000), 'b'], 3000, 'line');
    expect(more).toBe('…and 1 more line');
    expect(`${first}\n${more}`.length).toBe(3000);
    expect(truncate('abcdef', 6)).toBe('abcdef');
    expect(truncate('abcdefg', 6)).toBe('abcde…');
    expect(truncate('ab&amp;cd', 6)).toBe('ab…');
  });

  it('fromSlackText drops mentions, bare links and emoji, keeps labels, pings as typed and dates as their text', () => {
    expect(fromSlackText('<@UBOT> sales of <@U1|ann> in <#C1|general> <!here> <!channel>')).toBe('sales of in @here @channel');
    expect(fromSlackText('<@U2> <https://x.test|site> <https://y.test> <!subteam^S1|@sales> &lt;b&gt; &amp;')).toBe('site <b> &');
    expect(fromSlackText('xiaomi april :tada: at 10:30:00 :wave::skin-tone-2: <!date^1392734382^{date_short}|Feb 18, 2014>'))
      .toBe('xiaomi april at 10:30:00 Feb 18, 2014');
    expect(fromSlackText('xiaomi april <@U0123ABC>')).toBe('xiaomi april');
    expect(fromSlackText('<mailto:a@b.test|a@b.test> <!foo>')).toBe('a@b.test');
  });

  it('splitVisibility takes a trailing "public" word only', () => {
    expect(splitVisibility('xiaomi april public')).toEqual({ text: 'xiaomi april', public: true });
    expect(splitVisibility('xiaomi april PUBLIC ')).toEqual({ text: 'xiaomi april', public: true });
    expect(splitVisibility('public')).toEqual({ text: '', public: true });
    expect(splitVisibility('public xiaomi')).toEqual({ text: 'public xiaomi', public: false });
    expect(splitVisibility('republic')).toEqual({ text: 'republic', public: false });
  });

  it('withCommandPrefix renames commands as words only; withoutCommandPrefix undoes it', () => {
    const reply: Reply = { ...answer('/sales', [{ type: 'text', lines: ['Try /sales or "/compare x", not km/sales or /salesman'] }], [], ['/help sales']), tip: 'Tip: `/sales xiaomi`' };
    const out = withCommandPrefix(reply, 'ev-', ['sales', 'compare', 'help']);
    expect(out.title).toBe('/ev-sales');
    expect(out.blocks[0]).toEqual({ type: 'text', lines: ['Try /ev-sales or "/ev-compare x", not km/sales or /salesman'] });
    expect(out.suggestions).toEqual(['/ev-help sales']);
    expect(out.tip).toBe('Tip: `/ev-sales xiaomi`');
    expect(withCommandPrefix(reply, '', ['sales'])).toBe(reply);
    expect(withoutCommandPrefix('/ev-sales xiaomi', 'ev-')).toBe('/sales xiaomi');
    expect(withoutCommandPrefix('/sales xiaomi', 'ev-')).toBe('/sales xiaomi');
  });
});

describe('buttons', () => {
  const figure = { seller: 'xiaomi', month: '2025-05', units: 28000, qualifier: 'at_least', reportedAs: 'over 28,000', sources: [] };
  const withFigures: Reply = { ...answer('Xiaomi sales, May 2025', [], [], ['/compare xiaomi hima 2025-05', '/digest 2025-05']), figures: [figure] };

  it('each suggestion is a button carrying its command line, and "Export CSV" carries the line that gave the answer', () => {
    const message = renderSlack(withFigures, { exportLine: '/sales xiaomi may' });
    expectWithinSlackLimits(message);
    expect(buttonsOf(message).map((b) => [b.text.text, b.action_id, b.value])).toEqual([
      ['/compare xiaomi hima 2025-05', 'salesbot:run:0', '/compare xiaomi hima 2025-05'],
      ['/digest 2025-05', 'salesbot:run:1', '/digest 2025-05'],
      ['Export CSV', CSV_ACTION, '/sales xiaomi may'],
    ]);
    // The suggestions are no longer repeated as a "Try:" line; the plain fallback keeps them.
    expect(visibleTexts(message).some((t) => t.startsWith('Try:'))).toBe(false);
    expect(message.text).toContain('Try: /compare xiaomi hima 2025-05');
  });

  it('no Export button without figures, nor when the line that gave the answer is unknown, nor on a notice', () => {
    expect(buttonsOf(renderSlack({ ...withFigures, figures: [] }, { exportLine: '/sales x' })).map((b) => b.text.text)).not.toContain('Export CSV');
    expect(buttonsOf(renderSlack(withFigures)).map((b) => b.text.text)).not.toContain('Export CSV');
    expect(buttonsOf(renderSlack({ ...withFigures, kind: 'notice' }, { exportLine: '/sales x' })).map((b) => b.text.text)).not.toContain('Export CSV');
    expect(blocksOf(renderSlack(answer('T', []))).some((b) => b.type === 'actions')).toBe(false);
  });

  it('stays within 25 elements, 75 characters of text and 2,000 of value; a line too long to carry is left out', () => {
    const suggestions = [...Array.from({ length: 40 }, (_, i) => `/sales seller-${i} ${'x'.repeat(100)}`), `/sales ${'y'.repeat(2100)}`];
    const message = renderSlack({ ...withFigures, suggestions }, { exportLine: '/sales xiaomi may' });
    expectWithinSlackLimits(message);
    const buttons = buttonsOf(message);
    expect(buttons).toHaveLength(25);
    expect(buttons.at(-1)!.text.text).toBe('Export CSV');
    expect(buttons[0]!.text.text).toMatch(/^\/sales seller-0 x+…$/);
    // The label is cut, the command it runs is not.
    expect(buttons[0]!.value).toBe(suggestions[0]);
    expect(buttons.some((b) => b.value!.includes('yyy'))).toBe(false);
  });

  it('markup in a line is escaped in the label and the value, and comes back whole on a click', () => {
    const evil = '/sales <!channel> & co';
    const [b] = buttonsOf(renderSlack({ ...answer('T', [], [], [evil]) }));
    expect(b!.text.text).toBe('/sales &lt;!channel&gt; &amp; co');
    expect(b!.value).toBe('/sales &lt;!channel&gt; &amp; co');
    expect(buttonLine(b!.value!)).toBe(evil);
  });
});
