/**
 * The CSV upload through web-api's real client against the loopback stand-in: Slack's current flow
 * (getUploadURLExternal → the bytes → completeUploadExternal), the file shared in the channel or thread and read
 * back byte for byte; refusals in words a user can act on.
 */
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { figuresCsv } from '../../../src/adapters/shared/csv.js';
import { uploadCsv, uploadProblem } from '../../../src/adapters/slack/upload.js';
import type { Bot } from '../../../src/core/bot.js';
import { makeBot } from '../../support/bot.js';
import { expectedRows, readCsv } from '../../support/csv.js';
import { SlackStandin } from '../../support/slack-standin.js';

let standin: SlackStandin;
let client: webApi.WebClient;
let bot: Bot;
beforeAll(async () => {
  standin = await SlackStandin.start();
  client = new webApi.WebClient('xoxb-upload-test', { slackApiUrl: standin.apiUrl, retryConfig: { retries: 0 } });
  bot = await makeBot();
});
afterAll(async () => {
  await standin.close();
});
beforeEach(() => {
  standin.reset();
  standin.notMemberOf.clear();
});

describe('uploadCsv', () => {
  it('shares the CSV in the thread with the current flow; the file read back equals the figures', async () => {
    const reply = bot.handleLine('/compare xiaomi huawei may', { platform: 'slack' });
    const file = figuresCsv(reply)!;
    await uploadCsv(client, { channel: 'C1', threadTs: '1700000000.000100' }, file, reply.title);
    expect(standin.calls.map((c) => c.method)).toEqual(['files.getUploadURLExternal', 'files.completeUploadExternal']);
    expect(standin.callsOf('files.getUploadURLExternal')[0]!.body).toMatchObject({ filename: 'sales-xiaomi-hima-2025-05.csv', length: String(file.data.length) });
    const [shared] = standin.files;
    expect(shared).toMatchObject({ shared: true, channel: 'C1', threadTs: '1700000000.000100', filename: 'sales-xiaomi-hima-2025-05.csv' });
    expect(shared!.initialComment).toContain('Xiaomi vs Huawei (HIMA), May 2025');
    const downloaded = Buffer.from(await (await fetch(shared!.url)).arrayBuffer());
    expect(downloaded.equals(file.data)).toBe(true);
    expect(readCsv(downloaded)).toEqual(expectedRows(reply));
    expect(standin.messagesIn('C1').map((m) => m.subtype)).toEqual(['file_share']);
  });

  it('a channel the bot is not in: Slack refuses, and the user is told to invite the bot or ask in a DM', async () => {
    standin.notMemberOf.add('C2');
    const file = figuresCsv(bot.handleLine('/sales xiaomi may', { platform: 'slack' }))!;
    const err = await uploadCsv(client, { channel: 'C2' }, file, 'T').catch((e: unknown) => e);
    expect(uploadProblem(err)).toMatch(/Invite me to the channel.*direct message/);
    expect(standin.files.filter((f) => f.shared)).toEqual([]);
  });

  it('without files:write: the user hears that the app must be updated', async () => {
    standin.failNext('files.getUploadURLExternal', 'missing_scope');
    const file = figuresCsv(bot.handleLine('/sales xiaomi may', { platform: 'slack' }))!;
    const err = await uploadCsv(client, { channel: 'C1' }, file, 'T').catch((e: unknown) => e);
    expect(uploadProblem(err)).toContain('files:write');
  });
});
