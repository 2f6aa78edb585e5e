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

/** [question, ask, subject ids, the months named ("2025-04,2025-05") or a span's label] */
const QUESTIONS: [string, Ask, string[], string?][] = [
  // one figure
  ['how many cars did huawei sell in may', 'figure', ['huawei'], '2025-05'],
  ['xiaomi april sales', 'figure', ['xiaomi'], '2025-04'],
  ['what did HIMA deliver last month', 'figure', ['hima'], '2025-05'],
  ['Xiaomi sales in April 2025?', 'figure', ['xiaomi'], '2025-04'],
  ['how many vehicles did xiaomi deliver in 2025-05', 'figure', ['xiaomi'], '2025-05'],
  ['HIMA deliveries 04/2025', 'figure', ['hima'], '2025-04'],
  ['How many did Xiaomi sell last month???', 'figure', ['xiaomi'], '2025-05'],
  ['Harmony Intelligent Mobility Alliance deliveries in May', 'figure', ['hima'], '2025-05'],
  ["what were huawei's sales in apr", 'figure', ['huawei'], '2025-04'],
  ['how many cars did 鸿蒙智行 sell in may', 'figure', ['hima'], '2025-05'],
  ['xiaomi latest sales', 'figure', ['xiaomi'], '2025-05'],
  ['hey bot, how did xiaomi sell in may? 🚗🔥', 'figure', ['xiaomi'], '2025-05'],
  ['小米4月卖了多少', 'figure', ['xiaomi'], '2025-04'],
  ['小米四月卖了多少', 'figure', ['xiaomi'], '2025-04'],
  ['上个月鸿蒙智行交付了多少', 'figure', ['hima'], '2025-05'],
  ['华为2025年5月的销量', 'figure', ['huawei'], '2025-05'],
  ['may I ask how many cars xiaomi sold in april?', 'figure', ['xiaomi'], '2025-04'],
  ["what's xiaomi's april number?", 'figure', ['xiaomi'], '2025-04'],
  ['xiomi april sales', 'figure', ['xiaomi'], '2025-04'],
  ['how many cars did hauwei sell in aprl', 'figure', ['huawei'], '2025-04'],
  ['huwei sales mya', 'figure', ['huawei'], '2025-05'],
  ['slaes of xiaomi in april', 'figure', ['xiaomi'], '2025-04'],
  ['小米汽车五月销量', 'figure', ['xiaomi'], '2025-05'],
  ['華為5月銷量', 'figure', ['huawei'], '2025-05'],
  ['小米和華為誰賣得多', 'compare', ['xiaomi', 'huawei'], ''],
  ['問界是誰造的', 'partners', ['aito'], ''],
  // every month, one seller or several side by side
  ['xiaomi sales', 'series', ['xiaomi'], ''],
  ['xiaomi vs huawei trend', 'series', ['xiaomi', 'huawei'], ''],
  ['compare xiaomi and huawei in april and may', 'series', ['xiaomi', 'huawei'], '2025-04,2025-05'],
  ['xiaomi and huawei over time', 'series', ['xiaomi', 'huawei'], ''],
  ['小米和华为的销量走势', 'series', ['xiaomi', 'huawei'], ''],
  // change between two months
  ['xiaomi april vs may', 'change', ['xiaomi'], '2025-04,2025-05'],
  ['how much did xiaomi grow from april to may', 'change', ['xiaomi'], 'April 2025 to May 2025'],
  ['小米5月比4月怎么样', 'change', ['xiaomi'], '2025-05,2025-04'],
  ["what was huawei's growth in may", 'change', ['huawei'], '2025-05'],
  ['华为5月增长了多少', 'change', ['huawei'], '2025-05'],
  // totals
  ['how many vehicles did HIMA sell in total', 'total', ['hima'], ''],
  ['total xiaomi sales april and may', 'total', ['xiaomi'], '2025-04,2025-05'],
  ['xiaomi sales in Q2', 'total', ['xiaomi'], 'Q2 2025'],
  ['鸿蒙智行一共卖了多少辆', 'total', ['hima'], ''],
  ['小米第二季度总销量', 'total', ['xiaomi'], 'Q2 2025'],
  // two sellers, rankings and leaders
  ['who sold more in april, xiaomi or hauwei?', 'compare', ['xiaomi', 'huawei'], '2025-04'],
  ['compare xiomi and hauwei', 'compare', ['xiaomi', 'huawei'], ''],
  ['xiaomi vs huawei may', 'compare', ['xiaomi', 'huawei'], '2025-05'],
  ['Xiaomi versus HIMA in April 2025', 'compare', ['xiaomi', 'hima'], '2025-04'],
  ['did xiaomi outsell huawei in april?', 'compare', ['xiaomi', 'huawei'], '2025-04'],
  ['is xiaomi bigger than huawei', 'compare', ['xiaomi', 'huawei'], ''],
  ['华为和小米5月谁卖得多', 'compare', ['huawei', 'xiaomi'], '2025-05'],
  ['who is winning, huawei or xiaomi?', 'compare', ['huawei', 'xiaomi'], ''],
  ["what's the gap between huawei and xiaomi in may", 'compare', ['huawei', 'xiaomi'], '2025-05'],
  ['how close was april', 'compare', [], '2025-04'],
  ['华为和小米4月差距多少', 'compare', ['huawei', 'xiaomi'], '2025-04'],
  ['who led in May?', 'leader', [], '2025-05'],
  ['who sold the most in april', 'leader', [], '2025-04'],
  ['which company was ahead last month', 'leader', [], '2025-05'],
  ['who is the biggest', 'leader', [], ''],
  ['who leads the EV market', 'leader', [], ''],
  ['who was number one in april', 'leader', [], '2025-04'],
  ['5月谁卖得多', 'leader', [], '2025-05'],
  ['4月谁是第一', 'leader', [], '2025-04'],
  // firsts and lead changes
  ['which month did xiaomi first outsell huawei', 'first', ['xiaomi', 'huawei'], ''],
  ['when did xiaomi beat huawei for the first time', 'first', ['xiaomi', 'huawei'], ''],
  ['小米第一次超过华为是什么时候', 'first', ['xiaomi', 'huawei'], ''],
  ['did huawei lose the lead?', 'lead_changes', ['huawei'], ''],
  ['has the lead changed hands between xiaomi and huawei', 'lead_changes', ['xiaomi', 'huawei'], ''],
  ['did xiaomi take the lead from huawei', 'lead_changes', ['xiaomi', 'huawei'], ''],
  ['has huawei ever been behind xiaomi', 'lead_changes', ['huawei', 'xiaomi'], ''],
  ['华为什么时候夺回领先', 'lead_changes', ['huawei'], ''],
  ['which month was xiaomi ahead', 'lead_changes', ['xiaomi'], ''],
  ['小米哪个月领先', 'lead_changes', ['xiaomi'], ''],
  ['华为失去领先了吗', 'lead_changes', ['huawei'], ''],
  // attributes and membership
  ["what's 601127", 'profile', ['seres'], ''],
  ['601127是哪家公司', 'profile', ['seres'], ''],
  ['ticker for BAIC BluePark', 'attribute', ['baic-bluepark'], ''],
  ['赛力斯股票代码', 'attribute', ['seres'], ''],
  ['JAC ticker', 'attribute', ['jac'], ''],
  ["xiaomi's ticker", 'attribute', ['xiaomi'], ''],
  ['is SAIC state-owned', 'attribute', ['saic'], ''],
  ['上汽是国企吗', 'attribute', ['saic'], ''],
  ['is xiaomi part of HIMA?', 'attribute', ['xiaomi', 'hima'], ''],
  ['小米属于鸿蒙智行吗', 'attribute', ['xiaomi', 'hima'], ''],
  ['is Chery a Huawei partner?', 'attribute', ['chery', 'huawei'], ''],
  ['奇瑞是华为的合作伙伴吗', 'attribute', ['chery', 'huawei'], ''],
  ["who's partnering with huawei on shangjie", 'attribute', ['huawei', 'shangjie'], ''],
  ['which HIMA brand sells best', 'attribute', ['hima'], ''],
  ['鸿蒙智行哪个品牌卖得最好', 'attribute', ['hima'], ''],
  ["what are huawei's challenges", 'attribute', ['huawei'], ''],
  ['why is huawei struggling', 'attribute', ['huawei'], ''],
  ['does huawei put its logo on cars', 'attribute', ['huawei'], ''],
  ['华为面临哪些挑战', 'attribute', ['huawei'], ''],
  // sources
  ['where does the 44,454 come from', 'sources', [], ''],
  ['what did CPCA report for april', 'sources', [], '2025-04'],
  ["source for xiaomi's may figure", 'sources', ['xiaomi'], '2025-05'],
  ['小米5月销量的数据来源', 'sources', ['xiaomi'], '2025-05'],
  ['44454这个数据是哪来的', 'sources', [], ''],
  ['乘联会4月报告了什么', 'sources', [], '2025-04'],
  // partners and makers
  ['who makes the luxed', 'partners', ['luxeed'], ''],
  ['who makes the Luxeed?', 'partners', ['luxeed'], ''],
  ["which brands are in huawei's alliance?", 'partners', ['huawei'], ''],
  ['who builds the aito m8', 'partners', ['aito-m8'], ''],
  ["who are HIMA's partners", 'partners', ['hima'], ''],
  ['what brands does seres make', 'partners', ['seres'], ''],
  ['问界是谁造的', 'partners', ['aito'], ''],
  ['鸿蒙智行有哪些品牌', 'partners', ['hima'], ''],
  ['问界M8是哪家的', 'partners', ['aito-m8'], ''],
  // profiles
  ['tell me about seress', 'profile', ['seres'], ''],
  ['what is Yinwang?', 'profile', ['yinwang'], ''],
  ['who is richard yu', 'profile', ['richard-yu'], ''],
  ["What's HIMA?", 'profile', ['hima'], ''],
  ['tell me about 余承东', 'profile', ['richard-yu'], ''],
  ['赛力斯是什么', 'profile', ['seres'], ''],
  ['介绍一下引望', 'profile', ['yinwang'], ''],
  // events
  ['what did richrd yu say', 'events', ['richard-yu'], ''],
  ['when did xiaomi launch the su7?', 'events', ['xiaomi', 'su7'], ''],
  ['what happened in april 2025?', 'events', [], '2025-04'],
  ['what happened in 2024', 'events', [], '2024'],
  ['any news about huawei?', 'events', ['huawei'], ''],
  ['余承东说了什么', 'events', ['richard-yu'], ''],
  ['2025年4月发生了什么', 'events', [], '2025-04'],
  // digest and help
  ['monthly summary for april', 'digest', [], '2025-04'],
  ['give me the may digest', 'digest', [], '2025-05'],
  ['april 2025?', 'digest', [], '2025-04'],
  ['4月销量排名', 'digest', [], '2025-04'],
  ['help', 'help', [], ''],
  ['what can you do?', 'help', [], ''],
  ['帮助', 'help', [], ''],
  // case, punctuation, emoji and links
  ['XIAOMI APRIL SALES!!!', 'figure', ['xiaomi'], '2025-04'],
  ['问界是谁造的 🙏 https://example.com/x', 'partners', ['aito'], ''],
];

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
