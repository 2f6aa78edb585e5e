/**
 * Follow-ups in a thread, through the real bot on the bundled data: a question that leans on the last answer is
 * read against it (English and Chinese), figures checked as values with their qualifiers; a follow-up with nothing
 * to lean on says what is missing; and a question that stands on its own answers the same with or without a
 * previous answer.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../src/core/bot.js';
import type { Chart, Reply } from '../../src/core/reply.js';
import type { Origin } from '../../src/core/request.js';
import { renderText } from '../../src/core/render-text.js';
import { makeBot } from '../support/bot.js';
import { removeDataDirs } from '../support/data-dir.js';
import { dataDirWithMonths } from '../schedule/helpers.js';
import { QUESTIONS } from '../support/questions.js';

let bot: Bot;
beforeAll(async () => {
  bot = await makeBot();
});

let threads = 0;
/** A fresh conversation: each line is answered in the same thread, in order. */
function conversation(origin: Partial<Origin> = {}) {
  const where: Origin = { platform: 'cli', user: 'u1', channel: 'C1', thread: `t${threads++}`, ...origin };
  return async (line: string) => {
    const reply = await bot.answerLine(line, where);
    return { ...reply, text: renderText(reply) };
  };
}

/** The figures a reply states, as "seller month units qualifier". */
const figures = (reply: Reply) => (reply.figures ?? []).map((f) => `${f.seller} ${f.month} ${f.units} ${f.qualifier}`);
const chartOf = (reply: Reply): Chart | undefined => reply.blocks.flatMap((b) => (b.type === 'chart' ? [b.chart] : []))[0];
const sameAnswer = (a: Reply, b: Reply) => a.title === b.title && JSON.stringify(a.blocks) === JSON.stringify(b.blocks);

const XIAOMI_APRIL = 'xiaomi 2025-04 28585 exact';
const XIAOMI_MAY = 'xiaomi 2025-05 28000 at_least';
const HIMA_APRIL = 'hima 2025-04 27555 exact';
const HIMA_MAY = 'hima 2025-05 44454 exact';

describe('a follow-up is read against the last answer in its thread', () => {
  it('"/sales xiaomi may", "and in april?", "what about huawei?", "compare them", "as a chart"', async () => {
    const say = conversation();
    expect(figures(await say('/sales xiaomi may'))).toEqual([XIAOMI_MAY]);
    const april = await say('and in april?');
    expect(april.title).toBe('Xiaomi sales, April 2025');
    expect(figures(april)).toEqual([XIAOMI_APRIL]);
    const huawei = await say('what about huawei?');
    expect(huawei.title).toBe('Huawei sales, April 2025');
    expect(figures(huawei)).toEqual([HIMA_APRIL]);
    // "them": the seller of this answer and the one of the answer before.
    const both = await say('compare them');
    expect(both.title).toBe('Xiaomi vs Huawei (HIMA), April 2025');
    expect(figures(both)).toEqual([XIAOMI_APRIL, HIMA_APRIL]);
    expect(both.text).toContain('Xiaomi is ahead by 1,030');
    const chart = chartOf(await say('as a chart'));
    expect(chart?.categories).toEqual(['Xiaomi', 'Huawei (HIMA)']);
  });

  it('"as a chart" after one month\'s figure draws that seller\'s months, the lower bound kept as one', async () => {
    const say = conversation();
    await say('/sales xiaomi may');
    const reply = await say('show me a chart');
    expect(figures(reply)).toEqual([XIAOMI_APRIL, XIAOMI_MAY]);
    const chart = chartOf(reply)!;
    expect(chart.categories).toEqual(['Apr 2025', 'May 2025']);
    expect(chart.series[0]!.values).toEqual([
      { value: 28585, display: '28,585', bound: 'exact' },
      { value: 28000, display: 'over 28,000', bound: 'lower' },
    ]);
    expect(reply.text).toMatch(/May 2025\s+over 28,000\s+lower bound/);
    expect(reply.tip).toBe('Tip: `/sales xiaomi` gives this answer directly.');
    for (const form of ['chart it', 'graph', 'as a chart please']) {
      const again = conversation();
      await again('/sales xiaomi may');
      expect(chartOf(await again(form))?.series[0]?.values).toHaveLength(2);
    }
  });

  it('a new period replaces the months: a quarter, a range, "last month"', async () => {
    const say = conversation();
    await say('/sales xiaomi may');
    const q2 = await say('what about Q2?');
    expect(q2.title).toBe('Xiaomi total, Q2 2025');
    expect(q2.text).toContain('at least 56,585');
    expect(q2.text).toMatch(/June 2025/);
    const range = await say('and march to may?');
    expect(range.title).toBe('Xiaomi total, March 2025 to May 2025');
    expect(figures(range)).toEqual([XIAOMI_APRIL, XIAOMI_MAY]);
    expect(range.text).toContain('Not on record: March 2025');
    const last = await say('and last month?');
    expect(last.title).toBe('Xiaomi sales, May 2025');
    expect(figures(last)).toEqual([XIAOMI_MAY]);
  });

  it('"and the total?" and "and the change?" take the last seller', async () => {
    const say = conversation();
    await say('/sales huawei may');
    const total = await say('and the total?');
    expect(total.title).toBe('Huawei total, every month on record');
    expect(total.text).toContain('72,009');
    const change = await say('and the change?');
    expect(change.text).toMatch(/up 16,899/);
    expect(change.text).toContain('+61.3%');
    expect(figures(change)).toEqual([HIMA_APRIL, HIMA_MAY]);
  });

  it('after a comparison: a period compares again, a new name takes the second place, one of the two narrows', async () => {
    const say = conversation();
    await say('/compare xiaomi huawei may');
    const april = await say('and in april?');
    expect(april.title).toBe('Xiaomi vs Huawei (HIMA), April 2025');
    expect(figures(april)).toEqual([XIAOMI_APRIL, HIMA_APRIL]);
    const nio = await say('what about nio?');
    expect(nio.kind).toBe('notice');
    expect(nio.text).toMatch(/"nio" is not on record/);
    expect(nio.text).toContain('I do know Xiaomi');
    // The notice is not context: the comparison still is.
    const huawei = await say('what about huawei?');
    expect(huawei.title).toBe('Huawei sales, April 2025');
    const months = await say('and april to may?');
    expect(months.title).toBe('Huawei total, April 2025 to May 2025');
  });

  it('after a ranking: a name is its figure that month, "compare them" its top two', async () => {
    const say = conversation();
    await say('who led in may?');
    const xiaomi = await say('what about xiaomi?');
    expect(xiaomi.title).toBe('Xiaomi sales, May 2025');
    expect(figures(xiaomi)).toEqual([XIAOMI_MAY]);
    const ranking = conversation();
    await ranking('who is the biggest');
    const both = await ranking('which is bigger');
    expect(both.title).toBe('Huawei (HIMA) vs Xiaomi, May 2025');
    expect(both.text).toMatch(/Huawei \(HIMA\) is ahead by at most 16,454 \(Xiaomi's figure is a lower bound/);
    const april = await ranking('and in april?');
    expect(april.title).toBe('Huawei (HIMA) vs Xiaomi, April 2025');
  });

  it('Chinese: "四月呢?", "华为呢?", "比较一下"', async () => {
    const say = conversation();
    await say('小米5月卖了多少');
    const april = await say('四月呢?');
    expect(figures(april)).toEqual([XIAOMI_APRIL]);
    const huawei = await say('华为呢？');
    expect(figures(huawei)).toEqual([HIMA_APRIL]);
    const both = await say('比较一下');
    expect(both.title).toBe('Xiaomi vs Huawei (HIMA), April 2025');
    expect(figures(both)).toEqual([XIAOMI_APRIL, HIMA_APRIL]);
  });

  it('Traditional Chinese: "華為呢?", "比較一下", "畫個圖"', async () => {
    const say = conversation();
    await say('小米4月賣了多少');
    expect(figures(await say('華為呢?'))).toEqual([HIMA_APRIL]);
    expect(figures(await say('比較一下'))).toEqual([XIAOMI_APRIL, HIMA_APRIL]);
    expect(chartOf(await say('畫個圖'))?.categories).toEqual(['Xiaomi', 'Huawei (HIMA)']);
  });

  it('a fact about another company: "what about seres?" after a profile', async () => {
    const say = conversation();
    await say('/company yinwang');
    const seres = await say('what about seres?');
    expect(seres.title).toBe('Seres Group Co. Ltd.');
    expect(seres.text).toContain('601127.SH');
  });

  it('each follow-up\'s tip names a command line that gives exactly the same answer', async () => {
    const tips: string[] = [];
    const lines = [['/sales xiaomi may', 'and in april?', 'what about huawei?', 'compare them', 'what about Q2?'], ['/sales xiaomi may', 'what about Q2?', 'show me a chart']];
    for (const [say, line] of lines.flatMap((c) => {
      const say = conversation();
      return c.map((line) => [say, line] as const);
    })) {
      const reply = await say(line);
      if (!reply.tip) continue;
      const typed = reply.tip.match(/`([^`]+)`/)![1]!;
      tips.push(typed);
      expect(sameAnswer(bot.handleLine(typed, { platform: 'cli' }), reply), typed).toBe(true);
    }
    expect(tips).toEqual([
      '/sales xiaomi april 2025', '/sales huawei april 2025', '/compare xiaomi huawei april 2025', '/sales xiaomi huawei q2 2025 trend',
      '/sales xiaomi q2 2025 total',
    ]);
  });
});

describe('threads and DMs never share context', () => {
  it('a follow-up in thread A reads A\'s last answer, not thread B\'s newer one', async () => {
    const a = conversation({ thread: 'A' });
    const b = conversation({ thread: 'B' });
    await a('/sales xiaomi may');
    await b('/sales huawei may');
    expect(figures(await a('and in april?'))).toEqual([XIAOMI_APRIL]);
    expect(figures(await b('and in april?'))).toEqual([HIMA_APRIL]);
  });

  it('one user\'s DM never serves another\'s, and a request outside a thread has no context', async () => {
    const alice = conversation({ user: 'alice', channel: 'D-alice', thread: 'D-alice', direct: true });
    const bob = conversation({ user: 'bob', channel: 'D-bob', thread: 'D-bob', direct: true });
    await alice('/sales xiaomi may');
    expect((await bob('and in april?')).title).toBe('In April 2025 — of which seller?');
    const channel = conversation({ thread: undefined });
    await channel('/sales xiaomi may');
    expect((await channel('and in april?')).title).toBe('In April 2025 — of which seller?');
  });
});

describe('a follow-up with nothing to lean on says what is missing', () => {
  it.each([
    ['and in april?', 'In April 2025 — of which seller?', '/sales xiaomi april 2025'],
    ['what about Q2?', 'In Q2 2025 — of which seller?', '/sales xiaomi q2 2025'],
    ['四月呢?', 'In April 2025 — of which seller?', '/sales xiaomi april 2025'],
    ['compare them', 'Compare which sellers?', '/compare xiaomi hima'],
    ['比较一下', 'Compare which sellers?', '/compare xiaomi hima'],
    ['as a chart', 'A chart of what?', '/sales xiaomi'],
    ['and the total?', 'The total of which seller?', '/sales xiaomi total'],
  ])('%s', async (line, title, example) => {
    const reply = await conversation()(line);
    expect(reply.kind).toBe('notice');
    expect(reply.title).toBe(title);
    expect(reply.text).toContain('in a thread or a DM');
    expect(reply.text).not.toMatch(/not sure/i);
    expect(reply.suggestions).toEqual([example]);
    expect(bot.handleLine(example, { platform: 'cli' }).kind).toBe('answer');
  });

  it('"compare them" after one seller asks for the other', async () => {
    const say = conversation();
    await say('/sales xiaomi may');
    const reply = await say('compare them');
    expect(reply.title).toBe('Compare Xiaomi with which seller?');
    expect(reply.suggestions).toEqual(['/compare xiaomi hima may 2025']);
    expect(bot.handleLine(reply.suggestions[0]!, { platform: 'cli' }).kind).toBe('answer');
  });

  it('"as a chart" after an answer without figures says so', async () => {
    const say = conversation();
    await say('/company seres');
    const reply = await say('as a chart');
    expect(reply.kind).toBe('notice');
    expect(reply.title).toBe('That answer has no figures to chart');
  });
});

describe('any text in a thread', () => {
  it('never fails and never pings, whatever came before', async () => {
    const contexts = ['/sales xiaomi may', '/compare xiaomi huawei april', 'who led in may?', '/company seres', 'xiaomi sales in Q2'];
    const words = fc.constantFrom('and', 'what about', 'them', 'both', 'which is', 'compare', 'chart', 'graph', 'total', 'change', 'in', 'april',
      'q2', 'march to may', 'huawei', 'nio', 'seres', '呢', '比较一下', '四月', '华为', '?', '<!here>', '13/2025', 'last month', 'it');
    await fc.assert(fc.asyncProperty(fc.constantFrom(...contexts), fc.array(fc.oneof(words, fc.string({ maxLength: 8 })), { maxLength: 8 }), async (context, parts) => {
      const say = conversation();
      await say(context);
      const reply = await say(parts.join(' ') || '?');
      expect(reply.kind).not.toBe('error');
      expect(reply.text).not.toMatch(/<!|@everyone|@here/);
    }), { numRuns: 150 });
  });
});

describe('a question that stands on its own is not bent by the thread', () => {
  const CONTEXTS = ['/sales xiaomi may', '/compare xiaomi huawei april', 'who led in may?', '/sales huawei', 'xiaomi april vs may', 'xiaomi sales in Q2', '/partners huawei', '/company seres'];
  /** The one deliberate follow-up in the list: a period alone is read against the thread's seller. */
  const DELIBERATE: Record<string, Record<string, string>> = {
    'april 2025?': {
      '/sales xiaomi may': 'Xiaomi sales, April 2025',
      '/compare xiaomi huawei april': 'Xiaomi vs Huawei (HIMA), April 2025',
      'who led in may?': 'Who led in April 2025',
      '/sales huawei': 'Huawei sales, April 2025',
      'xiaomi april vs may': 'Xiaomi sales, April 2025',
      'xiaomi sales in Q2': 'Xiaomi sales, April 2025',
      '/partners huawei': 'Huawei sales, April 2025',
      '/company seres': 'No sales figures for Seres',
    },
  };

  it.each(QUESTIONS.map(([q]) => q))('%s', async (question) => {
    const alone = bot.handleLine(question, { platform: 'cli' });
    for (const context of CONTEXTS) {
      const say = conversation();
      await say(context);
      const followed = await say(question);
      const deliberate = DELIBERATE[question]?.[context];
      if (deliberate) expect(followed.title, context).toBe(deliberate);
      else expect(sameAnswer(followed, alone), `after ${context}: ${followed.title}`).toBe(true);
    }
  });
});

describe('a period typed without a year, in a thread about another year', () => {
  let older: Bot;
  beforeAll(async () => {
    // 2024-04: Xiaomi 30,000, HIMA 40,000; 2024-05: Xiaomi 31,000, HIMA 40,500 (with the bundled 2025 months).
    older = await makeBot(dataDirWithMonths('2024-04', '2024-05'));
  });
  afterAll(() => removeDataDirs());

  const thread = () => {
    const where: Origin = { platform: 'cli', user: 'u1', channel: 'C1', thread: `y${threads++}` };
    return (line: string) => older.answerLine(line, where);
  };

  it('keeps the thread\'s year when the data has that month there', async () => {
    const ask = thread();
    await ask('/sales xiaomi april 2024');
    expect(figures(await ask('and in may?'))).toEqual(['xiaomi 2024-05 31000 exact']);
    expect((await ask('what about q2?')).title).toMatch(/Q2 2024/);
    expect(figures(await ask('and may 2025?'))).toEqual([XIAOMI_MAY]);
  });

  it('"that month" in a question of its own points at the thread\'s month', async () => {
    const ask = thread();
    await ask('/sales xiaomi april 2024');
    expect((await ask('who led that month?')).title).toBe('Who led in April 2024');
    expect((await ask('那个月谁第一')).title).toBe('Who led in April 2024');
    expect((await older.answerLine('who led that month?', { platform: 'cli' })).title).not.toBe('Who led in April 2024');
  });

  it('reads the newest year as before when the thread is about it, or outside a thread', async () => {
    const ask = thread();
    await ask('/sales xiaomi april');
    expect(figures(await ask('and in may?'))).toEqual([XIAOMI_MAY]);
    expect(figures(await older.answerLine('/sales xiaomi may', { platform: 'cli' }))).toEqual([XIAOMI_MAY]);
  });
});
