/**
 * Plain questions on the real bundled data, through the real bot: the Query each is read as (what is asked,
 * about whom, for which months), what each answer says, what must be declined by name, and that a question's
 * answer is exactly what the command named in its tip gives.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromDiscordText } from '../../src/adapters/discord/text.js';
import { fromSlackText } from '../../src/adapters/slack/mrkdwn.js';
import type { Bot } from '../../src/core/bot.js';
import { renderText } from '../../src/core/render-text.js';
import { cleanInput } from '../../src/core/request.js';
import { classify } from '../../src/sales/classify.js';
import type { Ask, Query } from '../../src/sales/query.js';
import { readText } from '../../src/sales/read.js';
import { makeBot } from '../support/bot.js';
import { QUESTIONS } from '../support/questions.js';
import { dataDirWith, removeDataDirs } from '../support/data-dir.js';

let bot: Bot;

beforeAll(async () => {
  bot = await makeBot();
});
afterAll(removeDataDirs);

const queryOf = (text: string, b = bot): Query | undefined => classify(readText(cleanInput(text), b.data), b.data);
const ask = (text: string, platform: 'cli' | 'slack' | 'discord' = 'cli') => {
  const reply = bot.handle({ kind: 'question', text, platform, user: `u-${Math.random()}` });
  return { ...reply, text: renderText(reply) };
};

const period = (q: Query) => (q.span ? q.span.label : q.months.join(','));

describe('each question is read as one typed query', () => {
  it('covers every kind of ask the evaluator answers, with at least 100 questions', () => {
    expect(QUESTIONS.length).toBeGreaterThanOrEqual(100);
    const asks = new Set(QUESTIONS.map((q) => q[1]));
    for (const a of ['figure', 'series', 'change', 'total', 'compare', 'leader', 'first', 'lead_changes', 'attribute', 'profile', 'partners', 'events', 'sources', 'digest', 'help'] as Ask[]) {
      expect(asks.has(a), a).toBe(true);
    }
  });

  it.each(QUESTIONS)('%s → %s %j %s', (question, expected, ids, when = '') => {
    const q = queryOf(question);
    expect(q?.ask).toBe(expected);
    expect(q!.subjects).toEqual(ids);
    expect(period(q!)).toBe(when);
    expect(q!.unknown).toEqual([]);
  });
});

/** What the answers say, figure by figure, bounds included. */
const ANSWERS: [string, RegExp[], RegExp[]?][] = [
  ['who is winning, huawei or xiaomi?', [/Huawei \(HIMA\) is ahead by at most 16,454/, /reclaimed the EV sales top spot/]],
  ['xiaomi vs huawei trend', [/April 2025.*28,585.*27,555/, /May 2025.*over 28,000.*44,454/, /Xiaomi is ahead by 1,030/]],
  ['how much did xiaomi grow from april to may', [/down at most 585/, /May 2025 is a lower bound/], [/−585(?! )/, /fell 585/]],
  ["what was huawei's growth in may", [/up 16,899/, /\+61\.3%/]],
  ['小米5月比4月怎么样', [/down at most 585/]],
  ['how many vehicles did HIMA sell in total', [/72,009/]],
  ['total xiaomi sales april and may', [/at least 56,585/]],
  ['xiaomi sales in Q2', [/at least 56,585/, /June 2025/, /not on record/i]],
  ['who is the biggest', [/Huawei \(HIMA\)/, /sellers on record/]],
  ['who leads the EV market', [/sellers on record/], [/market leader is/i]],
  ['who was number one in april', [/Xiaomi led in April 2025/]],
  ['how close was april', [/1,030/]],
  ["what's the gap between huawei and xiaomi in may", [/at most 16,454/]],
  ['which month did xiaomi first outsell huawei', [/April 2025/]],
  ['did huawei lose the lead?', [/^Yes/m, /April 2025/, /took the lead back in May 2025/]],
  ['did xiaomi take the lead from huawei', [/^Yes: Xiaomi was ahead in April 2025/m, /took the lead back in May 2025/]],
  ["what's 601127", [/Seres Group/, /601127\.SH/]],
  ['601127是哪家公司', [/Seres Group/]],
  ['ticker for BAIC BluePark', [/600733\.SH/]],
  ['赛力斯股票代码', [/601127\.SH/]],
  ['JAC ticker', [/No ticker on record/], [/\d{6}\.S[HZ]/]],
  ["xiaomi's ticker", [/No ticker on record/], [/\d{6}\.S[HZ]/]],
  ['is SAIC state-owned', [/is state-owned/]],
  ['is xiaomi part of HIMA?', [/^No/m]],
  ['is Chery a Huawei partner?', [/Chery is a HIMA partner/, /Luxeed/]],
  ["who's partnering with huawei on shangjie", [/SAIC Motor/]],
  ['which HIMA brand sells best', [/Aito/, /no brand-level sales figures/]],
  ['where does the 44,454 come from', [/44,454/, /reported in the article/]],
  ['what did CPCA report for april', [/28,585/, /27,555/]],
  ["source for xiaomi's may figure", [/over 28,000/, /Xiaomi announcement/]],
  ['what did xiaomi sell last month', [/over 28,000/, /newest month on record is May 2025/]],
  ["what are huawei's challenges", [/brand building/, /Aito's sales dominance/, /Internal competition/]],
  ['does huawei put its logo on cars', [/cannot use its logo/]],
];

describe('the answers state what the data says, bounds as bounds', () => {
  it.each(ANSWERS)('%s', (question, must, mustNot = []) => {
    const reply = ask(question);
    expect(reply.kind, reply.text).toMatch(/answer|notice/);
    for (const m of must) expect(reply.text).toMatch(m);
    for (const m of mustNot) expect(reply.text).not.toMatch(m);
  });
});

describe('names the data does not have are named, never dropped or swapped', () => {
  const figures = () => bot.data.data.sales.map((s) => s.units.toLocaleString('en-US'));

  it.each([
    ['is tesla a huawei partner?', /tesla/i],
    ['Xiaomi YU7 sales', /YU7/i],
    ['how is tesla doing', /tesla/i],
    ['特斯拉是华为的合作伙伴吗', /特斯拉/],
    ['特斯拉賣了多少', /"特斯拉"/],
    ['compare xiaomi and nio in may', /nio/i],
    ['is Ford part of HIMA?', /ford/i],
  ])('%s', (question, name) => {
    const reply = ask(question);
    expect(reply.kind).toBe('notice');
    expect(reply.text).toMatch(name);
    expect(reply.text).toMatch(/not on record/);
    for (const f of figures()) expect(reply.text).not.toContain(f);
  });

  it.each(['did huawei lose the lead', 'which one sold more in may', 'how close was april', 'ev sales of xiaomi in may', 'xiaomi may sales as a table'])('ordinary words are not names: %s', (question) => {
    expect(queryOf(question)?.unknown).toEqual([]);
    expect(ask(question).kind).toBe('answer');
  });
});

/** Questions it must decline (a notice, no figures) rather than answer with something else. */
const DECLINES: [string, RegExp?][] = [
  ["what's the weather"],
  ['asdfgh'],
  ['tesla sales in april', /tesla/i],
  ['how many cars did tesla sell in may', /tesla/i],
  ['who sold more in april, tesla or byd?', /tesla/i],
  ['sales of tesla model 3 in march', /tesla/i],
  ['what is nio?', /nio/i],
  ['tell me about elon musk', /elon musk/i],
  ['比亚迪4月卖了多少', /比亚迪/],
  ['特斯拉是什么', /特斯拉/],
  ['lorem ipsum dolor sit amet'],
  ['123456'],
  ["what's the capital of france"],
  ['can you sing a song'],
  ['xiaomi stock price'],
  ["how's the weather in shenzhen"],
  ['bitcoin price today'],
  ['which brands are there?'],
  ['I may be wrong'],
  ['xiaomi sales in 13/2025', /13\/2025/],
  ['xiaomi su7 sales in april', /No sales figures for Xiaomi SU7/],
];

describe('what it cannot read, it declines', () => {
  const figures = () => bot.data.data.sales.map((s) => s.units.toLocaleString('en-US'));

  it.each(DECLINES)('%s', (question, mentions) => {
    const reply = ask(question);
    expect(reply.kind, reply.text).toBe('notice');
    for (const f of figures()) expect(reply.text).not.toContain(f);
    if (mentions) expect(reply.text).toMatch(mentions);
    expect(reply.suggestions.length).toBeGreaterThanOrEqual(1);
    expect(reply.suggestions.length).toBeLessThanOrEqual(3);
    for (const s of reply.suggestions) expect(s).toMatch(/^\/[a-z]+/);
  });

  it('"not sure" offers two or three example commands that run', () => {
    const reply = ask("what's the weather like");
    expect(reply.title).toMatch(/not sure/i);
    expect(reply.suggestions.length).toBeGreaterThanOrEqual(2);
    for (const s of reply.suggestions) expect(bot.handleLine(s, { platform: 'cli' }).kind).toBe('answer');
  });
});

describe('greetings get a short introduction', () => {
  it.each(['hi', 'Hello!', '你好', 'hey there', '<@U123> hi', '<@U123>', 'good morning team 👋', 'thanks!'])('%s', (text) => {
    const reply = ask(fromSlackText(text));
    expect(reply.kind).toBe('answer');
    expect(reply.tip).toBeUndefined();
    expect(reply.text).toContain('/help');
    expect(reply.text.length).toBeLessThan(600);
  });

  it('a greeting with a question answers the question', () => {
    expect(ask('hi! xiaomi april sales please').text).toContain('28,585');
  });
});

describe('a question and its command never disagree', () => {
  it.each(QUESTIONS.filter(([, a]) => a !== 'help'))('%s', (question) => {
    // The same visible answer: what the two were read as (the query) may differ in words that changed nothing.
    const { tip, text: _text, query: _q, ...answer } = ask(question);
    if (!tip) return;
    const typed = tip.match(/`([^`]+)`/)![1]!;
    const { tip: _none, query: _q2, ...direct } = bot.handleLine(typed, { platform: 'cli' });
    expect(direct).toEqual(answer);
  });

  it('most answered questions name a command that gives the same answer', () => {
    const tips = QUESTIONS.filter(([q]) => ask(q).tip !== undefined).length;
    expect(tips).toBeGreaterThanOrEqual(QUESTIONS.length / 2);
  });
});

describe('through each platform\'s text function, questions read the same', () => {
  const sample = QUESTIONS.filter((_, i) => i % 4 === 0).map(([q]) => q);
  it.each(sample)('%s', (question) => {
    const plain = ask(question);
    const slack = ask(fromSlackText(`<@U0BOT> ${question} <@U0123ABC> <#C1|general>`), 'slack');
    const discord = ask(fromDiscordText(`<@123456789012345678> ${question} <@&42> <#99>`), 'discord');
    expect(slack.text).toBe(plain.text);
    expect(discord.text).toBe(plain.text);
  });
});

describe('names and months come from the data, not from a list in the code', () => {
  it('a company added to the data is understood, in English and Chinese, with "last month" its newest month', async () => {
    const dir = dataDirWith({
      'companies.json': (rows) => [...rows, {
        id: 'nio', name: 'NIO', legalName: 'NIO Inc.', role: 'EV maker', summary: 'A premium EV maker.',
        aliases: ['NIO', 'Weilai', '蔚来'], sources: ['caixin-2025-06'],
      }],
      'sales.json': (rows) => [...rows, { seller: 'nio', month: '2025-06', units: 24925, qualifier: 'exact', sources: ['caixin-2025-06'] }],
    });
    const other = await makeBot(dir);
    for (const q of ['how many cars did NIO sell last month?', '蔚来上个月卖了多少', 'weilai june sales']) {
      const r = queryOf(q, other);
      expect(r?.ask).toBe('figure');
      expect(r?.subjects).toEqual(['nio']);
      expect(r?.months).toEqual(['2025-06']);
    }
    expect(renderText(other.handle({ kind: 'question', text: 'nio sales in june', platform: 'cli' }))).toContain('24,925');
  });
});

describe('noise and hostile input', () => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this pattern is for
  const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
  const PING = /<!|@everyone|@here|<@&/;
  // What Slack's adapter hands the core: its text function has turned markup into plain words first.
  const check = (raw: string) => {
    const text = fromSlackText(raw);
    const reply = bot.handle({ kind: 'question', text, platform: 'slack' });
    expect(reply.kind).not.toBe('error');
    const rendered = renderText(reply);
    expect(rendered.length).toBeLessThanOrEqual(4000);
    expect(rendered).not.toMatch(CONTROL);
    expect(rendered).not.toMatch(PING);
  };
  const noise = fc.constantFrom(
    '<@U123>', '<@!123456>', '<@&987>', '<#C1|general>', '<#123>', '<!here>', '<!channel>', '<!everyone>', '@everyone', '@here',
    'https://example.com/a?b=c', '<https://x.io|x>', ':tada:', '<:pepe:123>', '🚗', '👍🏽', '\u0000', '\u0007', '\u202e', '\ufeff',
    'xiaomi', '小米', 'april', '4月', 'who', 'sold', 'more', 'makes', 'tesla', '?', '!!!', 'total', 'q2', 'first', 'ticker', '44,454',
  );

  it('arbitrary strings never throw and always give a bounded, clean reply', () => {
    fc.assert(fc.property(fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.array(fc.oneof(noise, fc.string({ maxLength: 12 })), { maxLength: 40 }).map((parts) => parts.join(' ')),
      fc.string({ unit: 'binary', minLength: 2000, maxLength: 6000 }),
    ), (text) => check(text)), { numRuns: 200 });
  });

  it('mention syntax never leaks into an answer, and pings are not echoed', () => {
    const reply = ask(fromSlackText('<!channel> @everyone <@U0BOT> tesla sales in april <!here>'), 'slack');
    expect(reply.text).not.toMatch(PING);
    expect(reply.text).toMatch(/tesla/i);
  });

  it('reads only the start of a very long message', () => {
    const long = `${'blah '.repeat(200_000)} xiaomi april sales`;
    expect(ask(long).title).toMatch(/not sure/i);
    check(long);
    check('小米'.repeat(100_000));
    check('\u0000\u0001\ud800\udfff'.repeat(50_000));
  });
});
