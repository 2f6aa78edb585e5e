/**
 * The Slack adapter in HTTP mode, end to end: the real Bolt app started by `createSlackAdapter` on 127.0.0.1,
 * its Web API pointed (SLACK_API_URL) at the loopback stand-in, and requests signed the way Slack signs them.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { isSubscriptionCommand } from '../../../src/subscriptions/command.js';
import { Bot } from '../../../src/core/bot.js';
import { renderBlockText, renderSourcesLine, renderText } from '../../../src/core/render-text.js';
import { DatasetIndex } from '../../../src/data/index.js';
import { DataStore } from '../../../src/data/store.js';
import { BUNDLED_DATA, dataDirWith, removeDataDirs } from '../../support/data-dir.js';
import {
  BOT_USER_ID,
  SlackStandin,
  eventCallback,
  signedEvent,
  signedSlashCommand,
} from '../../support/slack-standin.js';
import {
  APP_TOKEN,
  BOT_TOKEN,
  LogCapture,
  SIGNING_SECRET,
  makeSlackBot,
  type Started,
  blocksOf,
  buttonsOf,
  expectNoLiveMention,
  expectWithinSlackLimits,
  startAdapter,
  unescapeSlack,
  visible,
} from './harness.js';

let standin: SlackStandin;
let bot: Bot;
const logs = new LogCapture();

beforeAll(async () => {
  standin = await SlackStandin.start();
  bot = await makeSlackBot(logs);
});

afterAll(async () => {
  await standin?.close();
  removeDataDirs();
});

beforeEach(() => standin.reset());

/** One app for most tests; tests that need another configuration start and stop their own. */
describe('HTTP mode', () => {
  let s: Started;

  beforeAll(async () => {
    s = await startAdapter(standin, bot, {}, logs);
  });

  afterAll(async () => {
    await s?.adapter.stop();
  });

  const slash = (command: string, text: string, extra: Record<string, string> = {}) =>
    signedSlashCommand(s.baseUrl, SIGNING_SECRET, { command, text, ...extra });

  it('starts connected, having checked the token with auth.test through SLACK_API_URL', () => {
    expect(s.adapter.state).toBe('connected');
    expect(s.adapter.mode).toBe('http');
    expect(s.adapter.port).toBeGreaterThan(0);
  });

  it('/sales xiaomi april: the figure, the month and the CPCA source, ephemeral', async () => {
    const res = await slash('/sales', 'xiaomi april');
    expect(res.status).toBe(200);
    const body = res.body as Record<string, unknown>;
    expect(body.response_type).toBe('ephemeral');
    expectWithinSlackLimits(body);
    const blocks = blocksOf(body);
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Xiaomi sales, April 2025', emoji: true } });
    const fields = blocks.find((b) => b.fields)?.fields?.map((f) => f.text);
    expect(fields).toEqual(expect.arrayContaining(['*Units*\n28,585', '*Month*\nApril 2025']));
    const context = blocks.filter((b) => b.type === 'context').map((b) => b.elements![0]!.text);
    expect(context[0]).toMatch(/^Sources: .*China Passenger Car Association \(CPCA\)/);
    expect(buttonsOf(body)[0]!.value).toMatch(/^\/compare xiaomi/);
    expect(body.text).toContain('Xiaomi sold 28,585 vehicles in April 2025.');
  });

  it('/compare xiaomi huawei may: a preformatted table and the bounded lead', async () => {
    const res = await slash('/compare', 'xiaomi huawei may');
    const body = res.body as Record<string, unknown>;
    expectWithinSlackLimits(body);
    const sections = blocksOf(body).filter((b) => b.type === 'section').map((b) => b.text!.text);
    const table = sections.find((t) => t.startsWith('```'));
    expect(table).toMatch(/^```\nSeller +Units +Qualifier\n/);
    expect(table).toMatch(/Huawei \(HIMA\) +44,454 +exact/);
    expect(table).toMatch(/```$/);
    expect(visible(body)).toContain('Huawei (HIMA) is ahead by at most 16,454');
    expect(body.text).toContain('at most 16,454');
  });

  // Every declared command, with each of its documented examples: the Slack message carries the core's whole
  // answer (title, every line of every block, sources, suggestions) and stays within Slack's limits.
  // (Subscription commands keep state, so a second run answers differently: test/subscriptions covers them.)
  const examples = commands.filter((c) => !isSubscriptionCommand(c)).flatMap((c) => c.examples.map((e) => [`/${c.name}${e ? ` ${e}` : ''}`, c.name, e] as const));
  it.each(examples)('%s: the whole answer, as blocks and as text', async (_label, name, example) => {
    const res = await slash(`/${name}`, example);
    expect(res.status).toBe(200);
    const body = res.body as Record<string, unknown>;
    expectWithinSlackLimits(body);
    expectNoLiveMention(body);
    const reply = bot.handle({ kind: 'command', name, text: example, platform: 'slack' });
    expect(unescapeSlack(body.text as string)).toBe(renderText(reply));
    const shown = unescapeSlack(visible(body));
    expect(unescapeSlack(blocksOf(body)[0]!.text!.text)).toBe(reply.title);
    for (const block of reply.blocks) {
      // A ranking is a native data table (its cells are shown); a chart is drawn from data (checked in charts.test.ts).
      const parts = block.type === 'fields' ? block.fields.map((f) => `*${f.label}*\n${f.value}`)
        : block.type === 'table' && block.caption ? block.rows.flat()
        : block.type === 'chart' ? [] : renderBlockText(block);
      for (const part of parts) if (part.trim()) expect(shown).toContain(part.trimEnd());
    }
    const sources = renderSourcesLine(reply);
    if (sources) expect(shown).toContain(sources);
    if (reply.tip) expect(shown).toContain(reply.tip);
    // Each suggestion is a button that runs it.
    expect(buttonsOf(body).filter((b) => b.action_id.startsWith('salesbot:run:')).map((b) => unescapeSlack(b.value!))).toEqual(reply.suggestions);
  });

  it('a trailing "public" posts the answer in the channel', async () => {
    const res = await slash('/sales', 'xiaomi april public');
    const body = res.body as Record<string, unknown>;
    expect(body.response_type).toBe('in_channel');
    expect(body.text).toContain('28,585');
    expect(visible(body)).not.toMatch(/\bpublic\b/);
  });

  it('"public" on a usage problem still answers only the user', async () => {
    const res = await slash('/sales', 'public');
    const body = res.body as Record<string, unknown>;
    expect(body.response_type).toBe('ephemeral');
    expect(blocksOf(body)[0]!.text!.text).toMatch(/^Usage: \/sales/);
  });

  it('/sales <!channel> answers without any live mention', async () => {
    const res = await slash('/sales', '<!channel>');
    const body = res.body as Record<string, unknown>;
    expectNoLiveMention(body);
    // Read back as the user typed it in Slack ("@channel"), not as markup.
    expect(visible(body)).toContain('@channel');
  });

  it('a literally typed <!here> and <@U1> (Slack sends them escaped) are echoed escaped', async () => {
    const res = await slash('/sales', '&lt;!here&gt; &lt;@U123&gt; &lt;#C9&gt; &amp;');
    const body = res.body as Record<string, unknown>;
    expectNoLiveMention(body);
    expect(visible(body)).toContain('&lt;!here&gt; &lt;@U123&gt; &lt;#C9&gt; &amp;');
    expect(body.text).toContain('&lt;!here&gt;');
  });

  it('every mrkdwn text is verbatim, so Slack does not turn words into mentions or links', async () => {
    const res = await slash('/compare', 'xiaomi huawei may');
    for (const b of blocksOf(res.body)) {
      for (const t of [b.text, ...(b.fields ?? []), ...(b.elements ?? [])]) {
        if (t?.type === 'mrkdwn') expect(t).toMatchObject({ verbatim: true });
      }
    }
  });

  it('a mention is answered in a thread under the message, with the bot mention removed', async () => {
    const event = { type: 'app_mention', user: 'U1', text: `<@${BOT_USER_ID}> who sold more in May?`, channel: 'C9', ts: '1700000000.000100' };
    const res = await signedEvent(s.baseUrl, SIGNING_SECRET, eventCallback(event));
    expect(res.status).toBe(200);
    const call = await standin.waitForCalls('chat.postMessage', 1);
    expect(call.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(call.body).toMatchObject({ channel: 'C9', thread_ts: '1700000000.000100' });
    expectWithinSlackLimits(call.body);
    const expected = bot.handleLine('who sold more in May?', { platform: 'slack' });
    expect(unescapeSlack(call.body.text as string)).toBe(renderText(expected));
    expect(expected.kind).toBe('answer');
  });

  it('a question that also mentions a user, a channel and an emoji is answered (no markup reaches the core)', async () => {
    const text = `<@${BOT_USER_ID}> xiaomi april <@U0123ABC> <#C0123|sales> :tada:`;
    const event = { type: 'app_mention', user: 'U1', text, channel: 'C9', ts: '1700000000.000200' };
    await signedEvent(s.baseUrl, SIGNING_SECRET, eventCallback(event));
    const call = await standin.waitForCalls('chat.postMessage', 1);
    expect(call.body.text).toContain('Xiaomi sold 28,585 vehicles in April 2025.');
    expect(visible(call.body)).not.toMatch(/not sure what you mean/i);
  });

  it('a mention inside a thread answers in that thread', async () => {
    const event = { type: 'app_mention', user: 'U1', text: `<@${BOT_USER_ID}> /sales xiaomi april`, channel: 'C9', ts: '1700000000.000300', thread_ts: '1700000000.000001' };
    await signedEvent(s.baseUrl, SIGNING_SECRET, eventCallback(event));
    const call = await standin.waitForCalls('chat.postMessage', 1);
    expect(call.body).toMatchObject({ channel: 'C9', thread_ts: '1700000000.000001' });
    expect(call.body.text).toContain('28,585');
  });

  it('a direct message is answered in its thread', async () => {
    const event = { type: 'message', channel_type: 'im', user: 'U2', text: 'sales xiaomi april', channel: 'D1', ts: '1700000000.000400' };
    await signedEvent(s.baseUrl, SIGNING_SECRET, eventCallback(event));
    const call = await standin.waitForCalls('chat.postMessage', 1);
    expect(call.body).toMatchObject({ channel: 'D1', thread_ts: '1700000000.000400' });
    expectWithinSlackLimits(call.body);
    expect(visible(call.body)).toContain('28,585');
  });

  it('ignores bot messages and message subtypes (edits, joins)', async () => {
    const base = { type: 'message', channel_type: 'im', channel: 'D1', text: 'sales xiaomi' };
    await signedEvent(s.baseUrl, SIGNING_SECRET, eventCallback({ ...base, bot_id: 'B9', user: 'U9', ts: '1700000000.000501' }));
    await signedEvent(s.baseUrl, SIGNING_SECRET, eventCallback({ ...base, subtype: 'message_changed', ts: '1700000000.000502' }));
    await signedEvent(s.baseUrl, SIGNING_SECRET, eventCallback({ ...base, subtype: 'channel_join', user: 'U2', ts: '1700000000.000503' }));
    // A real question afterwards is answered, and it is the only answer.
    await signedEvent(s.baseUrl, SIGNING_SECRET, eventCallback({ ...base, user: 'U2', ts: '1700000000.000504' }));
    const call = await standin.waitForCalls('chat.postMessage', 1);
    expect(call.body.thread_ts).toBe('1700000000.000504');
    await new Promise((r) => setTimeout(r, 100));
    expect(standin.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('a mention containing <!here> is answered with no live mention', async () => {
    // "@here" picked from Slack's menu arrives as <!here>; typed literally it arrives escaped. Both are echoed.
    const event = { type: 'app_mention', user: 'U1', text: `<@${BOT_USER_ID}> /sales <!here> &lt;!here&gt;`, channel: 'C9', ts: '1700000000.000600' };
    await signedEvent(s.baseUrl, SIGNING_SECRET, eventCallback(event));
    const call = await standin.waitForCalls('chat.postMessage', 1);
    expectNoLiveMention(call.body);
    expect(visible(call.body)).toContain('@here &lt;!here&gt;');
  });

  it('url_verification is answered with its challenge', async () => {
    const res = await signedEvent(s.baseUrl, SIGNING_SECRET, { type: 'url_verification', token: 't', challenge: 'c-123' });
    expect(res).toEqual({ status: 200, body: { challenge: 'c-123' } });
  });

  describe.each([
    ['a forged signature', { signature: 'forged' }],
    ['no signature', { signature: 'missing' }],
    ['a timestamp older than five minutes', { ageSeconds: 6 * 60 }],
  ] as const)('a request with %s', (_name, opts) => {
    it('gets 401 and runs no command handler', async () => {
      // The core logs one "request" line per request it handles.
      const before = s.logs.find('request').length;
      const res = await signedSlashCommand(s.baseUrl, SIGNING_SECRET, { command: '/sales', text: 'xiaomi april' }, opts);
      expect(res).toEqual({ status: 401, body: '' });
      expect(s.logs.find('request')).toHaveLength(before);
      // The same request signed properly is handled.
      const ok = await signedSlashCommand(s.baseUrl, SIGNING_SECRET, { command: '/sales', text: 'xiaomi april' });
      expect(ok.status).toBe(200);
      expect(s.logs.find('request')).toHaveLength(before + 1);
    });

    it('gets 401 and posts nothing for a mention', async () => {
      const forged = eventCallback({ type: 'app_mention', user: 'U1', text: `<@${BOT_USER_ID}> sales xiaomi`, channel: 'C9', ts: '1700000000.000701' });
      const res = await signedEvent(s.baseUrl, SIGNING_SECRET, forged, opts);
      expect(res).toEqual({ status: 401, body: '' });
      const genuine = eventCallback({ type: 'app_mention', user: 'U1', text: `<@${BOT_USER_ID}> sales xiaomi`, channel: 'C9', ts: '1700000000.000702' });
      await signedEvent(s.baseUrl, SIGNING_SECRET, genuine);
      const call = await standin.waitForCalls('chat.postMessage', 1);
      expect(call.body.thread_ts).toBe('1700000000.000702');
      expect(standin.callsOf('chat.postMessage')).toHaveLength(1);
    });
  });

  it('a failing chat.postMessage is logged with its request id and the app keeps serving', async () => {
    standin.failNext('chat.postMessage', 'channel_not_found');
    const event = { type: 'app_mention', user: 'U1', text: `<@${BOT_USER_ID}> sales xiaomi`, channel: 'C404', ts: '1700000000.000800' };
    await signedEvent(s.baseUrl, SIGNING_SECRET, eventCallback(event));
    await standin.waitForCalls('chat.postMessage', 1);
    await expect.poll(() => s.logs.find('slack: could not post the answer')).toHaveLength(1);
    const [logged] = s.logs.find('slack: could not post the answer');
    expect(logged).toMatchObject({ level: 50, requestId: expect.stringMatching(/^[0-9a-f]{8}$/), err: { slackError: 'channel_not_found' } });
    const again = await signedSlashCommand(s.baseUrl, SIGNING_SECRET, { command: '/sales', text: 'xiaomi april' });
    expect(again.status).toBe(200);
  });

  it('a command the app does not declare (a stale manifest) gets a friendly notice', async () => {
    const res = await slash('/salez', 'xiaomi');
    expect(res.status).toBe(200);
    const body = res.body as Record<string, unknown>;
    expect(body.response_type).toBe('ephemeral');
    expect(blocksOf(body)[0]!.text!.text).toContain('There is no command');
  });

  it('never logs a token or the signing secret', () => {
    // By now this app has logged start-up, answers, 401s and a Web API failure.
    expect(s.logs.lines.length).toBeGreaterThan(5);
    expect(s.logs.text).not.toContain(BOT_TOKEN);
    expect(s.logs.text).not.toContain(SIGNING_SECRET);
    expect(s.logs.text).not.toMatch(/xox[bp]-|xapp-/);
  });
});

describe('HTTP mode, other configurations', () => {
  let s: Started | undefined;

  afterEach(async () => {
    await s?.adapter.stop();
    s = undefined;
  });

  it('SLACK_COMMAND_PREFIX=ev- registers /ev-sales and names /ev-… commands in replies', async () => {
    s = await startAdapter(standin, bot, { SLACK_COMMAND_PREFIX: 'ev-' });
    const res = await signedSlashCommand(s.baseUrl, SIGNING_SECRET, { command: '/ev-sales', text: 'xiaomi april' });
    const body = res.body as Record<string, unknown>;
    expect(body.text).toContain('28,585');
    const shown = visible(body);
    expect(buttonsOf(body).map((b) => b.text.text)).toContainEqual(expect.stringMatching(/^\/ev-compare xiaomi \S+ 2025-04$/));
    expect(shown).not.toMatch(/(^|\s|`)\/compare/);
    // The help table keeps its columns aligned with the longer names.
    const help = await signedSlashCommand(s.baseUrl, SIGNING_SECRET, { command: '/ev-help', text: '' });
    const table = unescapeSlack(blocksOf(help.body).map((b) => b.text?.text ?? '').find((t) => t.startsWith('```'))!);
    const rows = table.split('\n').filter((l) => l.startsWith('/ev-'));
    expect(rows).toHaveLength(commands.length);
    const descriptionColumn = rows.map((r) => r.search(/ {2}\S/));
    expect(new Set(descriptionColumn).size).toBe(1);
  });

  it('the rate limit is per Slack user: one "slow down", then silence (an empty ack, no thread post)', async () => {
    s = await startAdapter(standin, await makeSlackBot(undefined, { RATE_LIMIT_PER_MINUTE: '2' }));
    const send = (user: string) => signedSlashCommand(s!.baseUrl, SIGNING_SECRET, { command: '/sales', text: 'xiaomi april', user_id: user });
    expect((await send('U1')).body).toMatchObject({ text: expect.stringContaining('28,585') });
    expect((await send('U1')).body).toMatchObject({ text: expect.stringContaining('28,585') });
    const third = await send('U1');
    expect(third.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/^Slow down a little/) });
    expect(await send('U1')).toEqual({ status: 200, body: '' });
    // Another user of the same workspace is not affected.
    expect((await send('U2')).body).toMatchObject({ text: expect.stringContaining('28,585') });

    const mention = (user: string, ts: string) =>
      signedEvent(s!.baseUrl, SIGNING_SECRET, eventCallback({ type: 'app_mention', user, text: `<@${BOT_USER_ID}> sales xiaomi`, channel: 'C9', ts }));
    await mention('U1', '1700000000.000901');
    await mention('U3', '1700000000.000902');
    const call = await standin.waitForCalls('chat.postMessage', 1);
    expect(call.body.thread_ts).toBe('1700000000.000902');
    await new Promise((r) => setTimeout(r, 100));
    expect(standin.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('ALLOWED_SLACK_TEAMS: a workspace not on the list is refused politely', async () => {
    s = await startAdapter(standin, await makeSlackBot(undefined, { ALLOWED_SLACK_TEAMS: 'T9' }));
    const refused = await signedSlashCommand(s.baseUrl, SIGNING_SECRET, { command: '/sales', text: 'xiaomi april', team_id: 'T1' });
    expect(blocksOf(refused.body)[0]!.text!.text).toBe('Sorry, this bot is not enabled here');
    const allowed = await signedSlashCommand(s.baseUrl, SIGNING_SECRET, { command: '/sales', text: 'xiaomi april', team_id: 'T9' });
    expect((allowed.body as Record<string, unknown>).text).toContain('28,585');
  });

  it('a handler that throws (a broken data index) answers with an apology and a request id, logged with it', async () => {
    const good = await DataStore.open(BUNDLED_DATA);
    class BrokenIndex extends DatasetIndex {
      override resolve(): never {
        throw new Error('index corrupted');
      }

      override lookupExact(): never {
        throw new Error('index corrupted');
      }
    }
    const broken = new BrokenIndex(good.current.data);
    const logs = new LogCapture();
    const brokenBot = new Bot({ commands, data: () => broken, logger: logs.logger });
    s = await startAdapter(standin, brokenBot, {}, logs);

    const res = await signedSlashCommand(s.baseUrl, SIGNING_SECRET, { command: '/sales', text: 'xiaomi april' });
    expect(res.status).toBe(200);
    const body = res.body as Record<string, unknown>;
    expect(body.response_type).toBe('ephemeral');
    const id = /request id ([0-9a-f]{8})/.exec(visible(body))?.[1];
    expect(id).toBeDefined();
    expect(blocksOf(body)[0]!.text!.text).toMatch(/^Sorry/);
    expect(visible(body)).not.toContain('index corrupted');
    const logged = logs.entries().find((e) => e.requestId === id && e.level === 50);
    expect(logged).toMatchObject({ err: { message: 'index corrupted' } });

    // The app keeps serving: a command that needs no name look-up still answers.
    const help = await signedSlashCommand(s.baseUrl, SIGNING_SECRET, { command: '/help', text: '' });
    expect(help.status).toBe(200);
    expect(blocksOf(help.body)[0]!.text!.text).toBe('What I can answer');
  });

  it('an answer too long for Slack is cut within the limits, with "…and N more"', async () => {
    // Ten years of monthly figures: the table and the bars are each far past 3,000 characters.
    const months = Array.from({ length: 120 }, (_, i) => `${2015 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
    const dir = dataDirWith({
      'sales.json': (sales) => [
        ...sales,
        ...months.map((month, i) => ({ seller: 'xiaomi', month, units: 1000 + i * 37, qualifier: 'exact', sources: ['cpca'] })),
      ],
    });
    s = await startAdapter(standin, await makeSlackBot(undefined, { DATA_DIR: dir }));
    const res = await signedSlashCommand(s.baseUrl, SIGNING_SECRET, { command: '/sales', text: 'xiaomi' });
    const body = res.body as Record<string, unknown>;
    expectWithinSlackLimits(body);
    const sections = blocksOf(body).filter((b) => b.type === 'section').map((b) => b.text!.text);
    const [table] = sections.filter((t) => t.startsWith('```'));
    // Newest first: the latest months are kept, the heading stays, the rest is counted.
    expect(table).toMatch(/^```\nMonth +Units +Qualifier +Change\n-+/);
    expect(table).toContain('May 2025');
    const cutRows = Number(/```\n…and (\d+) more rows$/.exec(table!)?.[1]);
    const shownRows = table!.split('\n').filter((l) => /^\w+ \d{4} /.test(l)).length;
    expect(shownRows + cutRows).toBe(122);
    expect(cutRows).toBeGreaterThan(0);
    // The chart is Slack's own line chart of the newest twelve months, within its limits.
    const chart = blocksOf(body).find((b) => b.type === 'data_visualization') as unknown as { chart: { axis_config: { categories: string[] } } };
    expect(chart.chart.axis_config.categories).toHaveLength(12);
    expect(chart.chart.axis_config.categories.at(-1)).toBe('May 2025 ≥'); // Xiaomi's May is a lower bound
    expect(body.text).toMatch(/…and \d+ more lines$/);
  });
});

describe('start-up', () => {
  it('a token Slack refuses fails start() with a clear message, not an unhandled rejection', async () => {
    standin.failNext('auth.test', 'invalid_auth');
    const logs = new LogCapture();
    await expect(startAdapter(standin, bot, {}, logs)).rejects.toThrow(/Slack refused the token \(invalid_auth\)/);
    expect(logs.text).not.toContain(BOT_TOKEN);
  });

  it('Socket Mode is chosen when SLACK_APP_TOKEN is set (see socket.test.ts)', async () => {
    const { createSlackAdapter } = await import('../../../src/adapters/slack/index.js');
    const { parseConfig } = await import('../../../src/config.js');
    const adapter = createSlackAdapter({ bot, config: parseConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN }), logger: new LogCapture().logger });
    expect(adapter.mode).toBe('socket');
    expect(adapter.state).toBe('stopped');
    await adapter.stop();
  });
});

