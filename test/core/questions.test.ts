/**
 * The question interpreter on the real bundled data, through the real bot: what each question is read as,
 * what it must decline, that a question's answer is its command's answer, and that no input breaks it.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../src/core/bot.js';
import type { CommandContext } from '../../src/core/command.js';
import { parseMonth } from '../../src/core/months.js';
import { interpretQuestion } from '../../src/core/questions.js';
import { renderText } from '../../src/core/render-text.js';
import type { Reply } from '../../src/core/reply.js';
import { cleanInput } from '../../src/core/request.js';
import { makeBot } from '../support/bot.js';
import { dataDirWith, removeDataDirs } from '../support/data-dir.js';

let bot: Bot;
const ctx = (): CommandContext => ({ data: bot.data, commands: bot.commands });
const isReply = (r: ReturnType<typeof interpretQuestion>): r is Reply => 'kind' in r;

beforeAll(async () => {
  bot = await makeBot();
});
afterAll(removeDataDirs);

/** What the chosen command will actually receive: entity ids and the month (or year) its own parsers read. */
function decode(b: Bot, command: string, text: string): { ids: string[]; period?: string } {
  const options = b.command(command)!.fromText(text, { data: b.data, commands: b.commands }) as Record<string, string | undefined>;
  const idOf = (name: string) => {
    const r = b.data.resolve(name);
    return r.kind === 'found' ? r.value.id : `?${name}`;
  };
  const ids = ['company', 'first', 'second', 'name'].flatMap((k) => (options[k] ? [idOf(options[k])] : []));
  let period: string | undefined;
  if (options.month) {
    const m = parseMonth(options.month, b.data.months);
    period = m.ok ? m.month : `?${options.month}`;
  }
  const filter = options.filter;
  if (filter) {
    const m = parseMonth(filter, b.data.months);
    if (/^\d{4}$/.test(filter)) period = filter;
    else if (m.ok) period = m.month;
    else ids.push(idOf(filter));
  }
  return { ids, period };
}

const ask = (text: string) => bot.handle({ kind: 'question', text, platform: 'cli' });
const NEWEST = 'newest';

/** [question, command, entity ids, month "YYYY-MM" / year / NEWEST (the newest month with data)] */
const QUESTIONS: [string, string, string[], string?][] = [
  // sales
  ['how many cars did huawei sell in may', 'sales', ['huawei'], '2025-05'],
  ['xiaomi april sales', 'sales', ['xiaomi'], '2025-04'],
  ['what did HIMA deliver last month', 'sales', ['hima'], NEWEST],
  ['Xiaomi sales in April 2025?', 'sales', ['xiaomi'], '2025-04'],
  ['how many vehicles did xiaomi deliver in 2025-05', 'sales', ['xiaomi'], '2025-05'],
  ['HIMA deliveries 04/2025', 'sales', ['hima'], '2025-04'],
  ['xiaomi sales', 'sales', ['xiaomi']],
  ['How many did Xiaomi sell last month???', 'sales', ['xiaomi'], NEWEST],
  ['Harmony Intelligent Mobility Alliance deliveries in May', 'sales', ['hima'], '2025-05'],
  ["what were huawei's sales in apr", 'sales', ['huawei'], '2025-04'],
  ['how many cars did 鸿蒙智行 sell in may', 'sales', ['hima'], '2025-05'],
  ['xiaomi latest sales', 'sales', ['xiaomi'], NEWEST],
  ['hey bot, how did xiaomi sell in may? 🚗🔥', 'sales', ['xiaomi'], '2025-05'],
  ['xiaomi april', 'sales', ['xiaomi'], '2025-04'],
  ['小米4月卖了多少', 'sales', ['xiaomi'], '2025-04'],
  ['小米四月卖了多少', 'sales', ['xiaomi'], '2025-04'],
  ['上个月鸿蒙智行交付了多少', 'sales', ['hima'], NEWEST],
  ['华为2025年5月的销量', 'sales', ['huawei'], '2025-05'],
  ['may I ask how many cars xiaomi sold in april?', 'sales', ['xiaomi'], '2025-04'],
  ["what's xiaomi's april number?", 'sales', ['xiaomi'], '2025-04'],
  // typos
  ['xiomi april sales', 'sales', ['xiaomi'], '2025-04'],
  ['how many cars did hauwei sell in april', 'sales', ['huawei'], '2025-04'],
  ['huwei sales may', 'sales', ['huawei'], '2025-05'],
  ['how many cars did xioami sell in april', 'sales', ['xiaomi'], '2025-04'],
  ['slaes of xiaomi in april', 'sales', ['xiaomi'], '2025-04'],
  ['who sold more in april, xiaomi or hauwei?', 'compare', ['xiaomi', 'huawei'], '2025-04'],
  ['compare xiomi and hauwei', 'compare', ['xiaomi', 'huawei']],
  ['who makes the luxed', 'partners', ['luxeed']],
  ['tell me about seress', 'company', ['seres']],
  ['what did richrd yu say', 'timeline', ['richard-yu']],
  // comparison and ranking
  ['who sold more in april, xiaomi or huawei?', 'compare', ['xiaomi', 'huawei'], '2025-04'],
  ['xiaomi vs huawei may', 'compare', ['xiaomi', 'huawei'], '2025-05'],
  ['Xiaomi versus HIMA in April 2025', 'compare', ['xiaomi', 'hima'], '2025-04'],
  ['did xiaomi outsell huawei in april?', 'compare', ['xiaomi', 'huawei'], '2025-04'],
  ['xiaomi huawei may', 'compare', ['xiaomi', 'huawei'], '2025-05'],
  ['xiaomi or huawei, who sold more in april?', 'compare', ['xiaomi', 'huawei'], '2025-04'],
  ['is xiaomi bigger than huawei', 'compare', ['xiaomi', 'huawei']],
  ['华为和小米5月谁卖得多', 'compare', ['huawei', 'xiaomi'], '2025-05'],
  ['who led in May?', 'digest', [], '2025-05'],
  ['who sold the most in april', 'digest', [], '2025-04'],
  ['which company was ahead last month', 'digest', [], NEWEST],
  ['top sellers in april', 'digest', [], '2025-04'],
  ['5月谁卖得多', 'digest', [], '2025-05'],
  ['4月销量排名', 'digest', [], '2025-04'],
  // partners and makers
  ['who makes the Luxeed?', 'partners', ['luxeed']],
  ["which brands are in huawei's alliance?", 'partners', ['huawei']],
  ['is Chery a Huawei partner?', 'partners', ['chery']],
  ['who builds the aito m8', 'partners', ['aito-m8']],
  ["who are HIMA's partners", 'partners', ['hima']],
  ['what brands does seres make', 'partners', ['seres']],
  ['who manufactures Stelato', 'partners', ['stelato']],
  ['who makes the su7?', 'partners', ['su7']],
  ['问界是谁造的', 'partners', ['aito']],
  ['谁造的智界', 'partners', ['luxeed']],
  ['鸿蒙智行有哪些品牌', 'partners', ['hima']],
  ['奇瑞是华为的合作伙伴吗', 'partners', ['chery']],
  ['问界M8是哪家的', 'partners', ['aito-m8']],
  // companies, brands, people
  ['what is Yinwang?', 'company', ['yinwang']],
  ['tell me about Seres', 'company', ['seres']],
  ['what is Shangjie?', 'company', ['shangjie']],
  ['who is richard yu', 'company', ['richard-yu']],
  ["What's HIMA?", 'company', ['hima']],
  ['info on baic bluepark', 'company', ['baic-bluepark']],
  ['tell me about 余承东', 'company', ['richard-yu']],
  ['What is SAIC Motor', 'company', ['saic']],
  ['赛力斯是什么', 'company', ['seres']],
  ['介绍一下引望', 'company', ['yinwang']],
  ['什么是尚界', 'company', ['shangjie']],
  // timeline
  ['when did xiaomi launch the su7?', 'timeline', ['su7']],
  ['what happened in april 2025?', 'timeline', [], '2025-04'],
  ['what did Richard Yu say?', 'timeline', ['richard-yu']],
  ['what happened in 2024', 'timeline', [], '2024'],
  ['any news about huawei?', 'timeline', ['huawei']],
  ['when was the aito m8 launched', 'timeline', ['aito-m8']],
  ['what did yu chengdong say about xiaomi', 'timeline', ['richard-yu']],
  ['余承东说了什么', 'timeline', ['richard-yu']],
  ['2025年4月发生了什么', 'timeline', [], '2025-04'],
  ['小米什么时候发布su7', 'timeline', ['su7']],
  // digest and help
  ['monthly summary for april', 'digest', [], '2025-04'],
  ['give me the may digest', 'digest', [], '2025-05'],
  ['april 2025?', 'digest', [], '2025-04'],
  ['ranking last month', 'digest', [], NEWEST],
  ['help', 'help', []],
  ['what can you do?', 'help', []],
  ['帮助', 'help', []],
  // noise: mentions, links, emoji, case, punctuation
  ['<@U123> xiaomi april sales', 'sales', ['xiaomi'], '2025-04'],
  ['<@!1234567890> who makes the luxeed? https://x.com/y', 'partners', ['luxeed']],
  ['XIAOMI APRIL SALES!!!', 'sales', ['xiaomi'], '2025-04'],
  ['<#C1|general> 问界是谁造的 🙏', 'partners', ['aito']],
  ['<!here> <@U0BOT> who sold more in may, *xiaomi* or _huawei_? <https://example.com|link>', 'compare', ['xiaomi', 'huawei'], '2025-05'],
];

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
];

describe('questions are read as a command with its arguments', () => {
  it('covers every command and at least 60 questions', () => {
    expect(QUESTIONS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(QUESTIONS.map((q) => q[1]))).toEqual(new Set(bot.commands.map((c) => c.name)));
  });

  it.each(QUESTIONS)('%s → /%s %j %s', (question, command, ids, period) => {
    const result = interpretQuestion(cleanInput(question), ctx());
    if (isReply(result)) throw new Error(`declined: ${result.title}`);
    expect(result.command).toBe(command);
    const decoded = decode(bot, result.command, result.text);
    expect(decoded.ids).toEqual(ids);
    expect(decoded.period).toBe(period === NEWEST ? bot.data.months.at(-1) : period);
    // On the bundled data every one of these is a real answer, not a "no data" notice.
    expect(ask(question).kind).toBe('answer');
  });
});

describe('what it cannot read, it declines', () => {
  const figures = () => bot.data.data.sales.map((s) => s.units.toLocaleString('en-US'));

  it.each(DECLINES)('%s', (question, mentions) => {
    const result = interpretQuestion(cleanInput(question), ctx());
    expect(isReply(result), 'must not be turned into a command').toBe(true);
    const reply = ask(question);
    expect(reply.kind).toBe('notice');
    const text = renderText(reply);
    for (const f of figures()) expect(text).not.toContain(f);
    if (mentions) expect(text).toMatch(mentions);
    expect(reply.suggestions.length).toBeGreaterThanOrEqual(1);
    expect(reply.suggestions.length).toBeLessThanOrEqual(3);
    for (const s of reply.suggestions) expect(s).toMatch(/^\/[a-z]+/);
  });

  it('"not sure" offers two or three example commands that run', () => {
    const reply = ask('asdfgh');
    expect(reply.title).toMatch(/not sure/i);
    expect(reply.suggestions.length).toBeGreaterThanOrEqual(2);
    for (const s of reply.suggestions) expect(bot.handleLine(s, { platform: 'cli' }).kind).toBe('answer');
  });

  it('leans its examples towards what was asked', () => {
    expect(ask('who makes the tesla?').suggestions[0]).toMatch(/^\/partners/);
    expect(ask('what did elon musk say?').kind).toBe('notice');
  });
});

describe('greetings get a short introduction', () => {
  it.each(['hi', 'Hello!', '你好', 'hey there', '<@U123> hi', '<@U123>', 'good morning team 👋', 'thanks!'])('%s', (text) => {
    const result = interpretQuestion(cleanInput(text), ctx());
    expect(isReply(result)).toBe(true);
    const reply = ask(text);
    expect(reply.kind).toBe('answer');
    expect(reply.tip).toBeUndefined();
    expect(renderText(reply)).toContain('/help');
    expect(renderText(reply).length).toBeLessThan(600);
  });

  it('a greeting with a question answers the question', () => {
    const result = interpretQuestion('hi! xiaomi april sales please', ctx());
    expect(isReply(result) ? result.title : result.command).toBe('sales');
  });
});

describe('a question and its command never disagree', () => {
  it.each(QUESTIONS)('%s', (question) => {
    const result = interpretQuestion(cleanInput(question), ctx());
    if (isReply(result)) throw new Error(`declined: ${result.title}`);
    const { tip, ...answer } = ask(question);
    const direct = bot.handle({ kind: 'command', name: result.command, text: result.text, platform: 'cli' });
    expect(answer).toEqual(direct);
    const typed = `/${result.command}${result.text ? ` ${result.text}` : ''}`;
    expect(tip).toBe(`Tip: \`${typed}\` gives this answer directly.`);
    // The tip, typed as a line, gives the same reply.
    expect(bot.handleLine(typed, { platform: 'cli' })).toEqual(direct);
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
    const c = { data: other.data, commands: other.commands };
    for (const q of ['how many cars did NIO sell last month?', '蔚来上个月卖了多少', 'weilai june sales']) {
      const r = interpretQuestion(q, c);
      if (isReply(r)) throw new Error(`declined ${q}: ${r.title}`);
      expect(r.command).toBe('sales');
      expect(decode(other, r.command, r.text)).toEqual({ ids: ['nio'], period: '2025-06' });
    }
    expect(renderText(other.handle({ kind: 'question', text: 'nio sales in june', platform: 'cli' }))).toContain('24,925');
  });
});

describe('noise and hostile input', () => {
  // eslint-disable-next-line no-control-regex
  const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
  const PING = /<!|@everyone|@here|<@&/;
  const check = (text: string) => {
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
    'xiaomi', '小米', 'april', '4月', 'who', 'sold', 'more', 'makes', 'tesla', '?', '!!!',
  );

  it('arbitrary strings never throw and always give a bounded, clean reply', () => {
    fc.assert(fc.property(fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.string({ unit: 'binary-ascii', maxLength: 300 }),
      fc.array(fc.oneof(noise, fc.string({ maxLength: 12 })), { maxLength: 40 }).map((parts) => parts.join(' ')),
      fc.string({ unit: 'binary', minLength: 2000, maxLength: 6000 }),
    ), (text) => {
      expect(() => interpretQuestion(cleanInput(text), ctx())).not.toThrow();
      check(text);
    }), { numRuns: 200 });
  });

  it('mention syntax never leaks into an answer, and pings are not echoed', () => {
    const reply = ask('<!channel> @everyone <@U0BOT> tesla sales in april <!here>');
    expect(renderText(reply)).not.toMatch(PING);
    expect(renderText(reply)).toMatch(/tesla/i);
  });

  it('reads only the start of a very long message, quickly', () => {
    const tail = ' xiaomi april sales';
    const long = `${'blah '.repeat(200_000)}${tail}`;
    const started = performance.now();
    const reply = ask(long);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(reply.title).toMatch(/not sure/i);
    check(long);
    check('小米'.repeat(100_000));
    check('\u0000\u0001\ud800\udfff'.repeat(50_000));
  });
});
