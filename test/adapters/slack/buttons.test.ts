/**
 * Buttons and CSV export through the real Bolt app (HTTP mode) against the loopback stand-in: a click runs the
 * button's command for whoever clicked, ephemerally, through the same guards as a typed command; "Export CSV" and
 * a trailing `csv` share the figures as a file with Slack's current upload flow, read back here and parsed.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { splitCommandWords } from '../../../src/adapters/slack/actions.js';
import { CSV_ACTION } from '../../../src/adapters/slack/render.js';
import type { Bot } from '../../../src/core/bot.js';
import { expectedRows, readCsv } from '../../support/csv.js';
import { SlackStandin, blockActionsPayload, signedBlockActions, signedEvent, eventCallback, signedSlashCommand, type BlockActionFields } from '../../support/slack-standin.js';
import { APP_TOKEN, LogCapture, SIGNING_SECRET, blocksOf, buttonsOf, expectWithinSlackLimits, makeSlackBot, startAdapter, visible, type Started } from './harness.js';

let standin: SlackStandin;
beforeAll(async () => {
  standin = await SlackStandin.start();
});
afterAll(async () => {
  await standin?.close();
});
beforeEach(() => {
  standin.reset();
  standin.notMemberOf.clear();
});

let s: Started | undefined;
afterEach(async () => {
  await s?.adapter.stop();
  s = undefined;
});

async function start(env: Record<string, string> = {}): Promise<{ started: Started; bot: Bot; logs: LogCapture }> {
  const logs = new LogCapture();
  const bot = await makeSlackBot(logs, env);
  s = await startAdapter(standin, bot, env, logs);
  return { started: s, bot, logs };
}

const slash = (command: string, text: string, user = 'UA', extra: Record<string, string> = {}) =>
  signedSlashCommand(s!.baseUrl, SIGNING_SECRET, { command, text, user_id: user, response_url: standin.responseUrl(`${command}-${user}`), ...extra });

const click = (fields: Omit<BlockActionFields, 'responseUrl' | 'channel'> & { channel?: string }, id = `click-${fields.user}`) =>
  signedBlockActions(s!.baseUrl, SIGNING_SECRET, { channel: 'C1', responseUrl: standin.responseUrl(id), ...fields });

const requestsOf = (logs: LogCapture) => logs.find('request');

describe('buttons on an answer', () => {
  it('/sales xiaomi may: its suggestions are buttons, and Export CSV carries the command', async () => {
    await start();
    const res = await slash('/sales', 'xiaomi may');
    expectWithinSlackLimits(res.body);
    const buttons = buttonsOf(res.body);
    expect(buttons.map((b) => b.text.text)).toEqual(['/compare xiaomi hima 2025-05', '/digest 2025-05', 'Export CSV']);
    expect(buttons.at(-1)).toMatchObject({ action_id: CSV_ACTION, value: '/sales xiaomi may' });
  });

  it('user B clicks a suggestion on user A\'s answer: the command runs for B and only B sees the answer', async () => {
    const { logs } = await start();
    const res = await slash('/sales', 'xiaomi may', 'UA');
    const compare = buttonsOf(res.body)[0]!;
    const started = Date.now();
    const ack = await click({ user: 'UB', actionId: compare.action_id, value: compare.value!, text: compare.text.text }, 'b-clicks');
    // Acknowledged at once, within Slack's 3 seconds, with no body that would replace A's message.
    expect(ack.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
    await standin.waitForResponses(1, 5000);
    const answer = standin.responses.find((r) => r.id === 'b-clicks')!.body as Record<string, unknown>;
    expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expectWithinSlackLimits(answer);
    expect(blocksOf(answer)[0]!.text!.text).toBe('Xiaomi vs Huawei (HIMA), May 2025');
    // The request was B's, in B's workspace and channel: the log line (and the rate limit) count it for B.
    const last = requestsOf(logs).at(-1)!;
    expect(last).toMatchObject({ user: 'UB', command: 'compare', workspace: 'T1', outcome: 'answer' });
    // Nothing was posted in the channel for everyone.
    expect(standin.messagesIn('C1')).toEqual([]);
  });

  it('Socket Mode: a click arrives as an interactive envelope, is acknowledged, and answered for the clicker', async () => {
    const { logs } = await start({ SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: '' });
    const ack = await standin.sendEnvelope('interactive', blockActionsPayload({
      user: 'UB', channel: 'C1', actionId: 'salesbot:run:0', value: '/compare xiaomi hima 2025-05', responseUrl: standin.responseUrl('socket-click'),
    }));
    expect(ack.envelope_id).toBeTruthy();
    await standin.waitForResponses(1, 5000);
    const answer = standin.responses.find((r) => r.id === 'socket-click')!.body as Record<string, unknown>;
    expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(blocksOf(answer)[0]!.text!.text).toBe('Xiaomi vs Huawei (HIMA), May 2025');
    expect(requestsOf(logs).at(-1)).toMatchObject({ user: 'UB', command: 'compare' });
  });

  it('a click by a rate-limited user is refused like a typed command', async () => {
    const { logs } = await start({ RATE_LIMIT_PER_MINUTE: '2' });
    const res = await slash('/sales', 'xiaomi may', 'UB');
    await slash('/sales', 'huawei may', 'UB');
    const compare = buttonsOf(res.body)[0]!;
    await click({ user: 'UB', actionId: compare.action_id, value: compare.value! }, 'limited');
    await standin.waitForResponses(1, 5000);
    const refused = standin.responses.find((r) => r.id === 'limited')!.body as Record<string, unknown>;
    expect(refused).toMatchObject({ response_type: 'ephemeral' });
    expect(visible(refused)).toContain('Slow down a little');
    expect(requestsOf(logs).at(-1)).toMatchObject({ user: 'UB', outcome: 'rate_limited' });
    // Another person's click is not limited by B's requests.
    await click({ user: 'UC', actionId: compare.action_id, value: compare.value! }, 'other');
    await standin.waitForResponses(2, 5000);
    expect(blocksOf(standin.responses.find((r) => r.id === 'other')!.body)[0]!.text!.text).toBe('Xiaomi vs Huawei (HIMA), May 2025');
  });

  it('a click from a workspace not on the allow-list is refused, and runs nothing', async () => {
    const { logs } = await start({ ALLOWED_SLACK_TEAMS: 'T1' });
    await click({ user: 'UX', team: 'T9', actionId: 'salesbot:run:0', value: '/sales xiaomi may' }, 'stranger');
    await standin.waitForResponses(1, 5000);
    expect(visible(standin.responses.find((r) => r.id === 'stranger')!.body)).toContain('not enabled here');
    expect(requestsOf(logs).at(-1)).toMatchObject({ workspace: 'T9', outcome: 'refused' });
    expect(standin.files).toEqual([]);
  });
});

describe('CSV export', () => {
  it('Export CSV shares a file in the channel whose rows are the reply\'s figures (values, qualifiers, sources)', async () => {
    const { bot } = await start();
    const res = await slash('/compare', 'xiaomi huawei may', 'UA');
    const exporter = buttonsOf(res.body).find((b) => b.action_id === CSV_ACTION)!;
    const ack = await click({ user: 'UB', actionId: exporter.action_id, value: exporter.value! }, 'export');
    expect(ack.status).toBe(200);
    const file = await standin.waitForSharedFiles(1, 5000);
    expect(standin.callsOf('files.upload')).toEqual([]);
    expect(file).toMatchObject({ channel: 'C1', filename: 'sales-xiaomi-hima-2025-05.csv' });
    const downloaded = Buffer.from(await (await fetch(file.url)).arrayBuffer());
    const reply = bot.handleLine('/compare xiaomi huawei may', { platform: 'slack' });
    expect(readCsv(downloaded)).toEqual(expectedRows(reply));
    // Xiaomi's May figure stays a lower bound in the file.
    expect(readCsv(downloaded).find((r) => r.seller === 'xiaomi')).toMatchObject({ units: '28000', qualifier: 'at_least', reported_as: 'over 28,000' });
  });

  it('Export CSV on an answer in a thread puts the file in that thread', async () => {
    await start();
    await click({ user: 'UB', actionId: CSV_ACTION, value: 'xiaomi sales in may', messageTs: '1700000000.000300', threadTs: '1700000000.000100' }, 'thread');
    const file = await standin.waitForSharedFiles(1, 5000);
    expect(file).toMatchObject({ channel: 'C1', threadTs: '1700000000.000100', filename: 'sales-xiaomi-2025-05.csv' });
  });

  it('/sales xiaomi may csv: the answer, and the same file', async () => {
    const { bot } = await start();
    const res = await slash('/sales', 'xiaomi may csv', 'UA');
    expect(blocksOf(res.body)[0]!.text!.text).toBe('Xiaomi sales, May 2025');
    const file = await standin.waitForSharedFiles(1, 5000);
    expect(file.filename).toBe('sales-xiaomi-2025-05.csv');
    expect(readCsv(file.data!)).toEqual(expectedRows(bot.handleLine('/sales xiaomi may', { platform: 'slack' })));
  });

  it('@bot /digest may csv in a thread: the file in the thread', async () => {
    await start();
    await signedEvent(s!.baseUrl, SIGNING_SECRET, eventCallback({ type: 'app_mention', user: 'UA', channel: 'C1', text: '<@UBOT> /digest may csv', ts: '1700000001.000100' }));
    const file = await standin.waitForSharedFiles(1, 5000);
    expect(file).toMatchObject({ channel: 'C1', threadTs: '1700000001.000100', filename: 'sales-hima-xiaomi-2025-04-to-2025-05.csv' });
  });

  it('a trailing csv on a reply without figures: the reply, saying politely there is nothing to export; no file', async () => {
    await start();
    const res = await slash('/digest', 'june 2031 csv', 'UA');
    expect(visible(res.body)).toContain('No figures for June 2031');
    expect(visible(res.body)).toContain('Nothing to export');
    expect(buttonsOf(res.body).map((b) => b.text.text)).not.toContain('Export CSV');
    // "csv" was not read as part of the question.
    expect(visible(res.body)).not.toMatch(/"csv"/);
    await new Promise((r) => setTimeout(r, 200));
    expect(standin.files).toEqual([]);
  });

  it('a channel the bot is not in: the clicker is told how to get the file, ephemerally', async () => {
    await start();
    standin.notMemberOf.add('C2');
    await click({ user: 'UB', channel: 'C2', actionId: CSV_ACTION, value: '/sales xiaomi may' }, 'outside');
    await standin.waitForResponses(1, 5000);
    const told = standin.responses.find((r) => r.id === 'outside')!.body as Record<string, unknown>;
    expect(told).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(visible(told)).toMatch(/Invite me to the channel/);
  });
});

describe('the words after a slash command', () => {
  it('public and csv, in either order; csv only where figures are stated', () => {
    expect(splitCommandWords('sales', 'xiaomi may csv public')).toEqual({ text: 'xiaomi may', public: true, csv: true });
    expect(splitCommandWords('sales', 'xiaomi may public csv')).toEqual({ text: 'xiaomi may', public: true, csv: true });
    expect(splitCommandWords('digest', 'csv')).toEqual({ text: '', public: false, csv: true });
    expect(splitCommandWords('timeline', 'csv')).toEqual({ text: 'csv', public: false, csv: false });
    expect(splitCommandWords('compare', 'xiaomi huawei')).toEqual({ text: 'xiaomi huawei', public: false, csv: false });
  });
});
