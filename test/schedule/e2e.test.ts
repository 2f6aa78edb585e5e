/**
 * The digest end to end: the real Slack and Discord posters (web-api, @discordjs/rest) against the loopback
 * stand-ins, in-process through the scheduler and as `npm run digest` child processes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordPoster } from '../../src/adapters/discord/post.js';
import { createSlackPoster } from '../../src/adapters/slack/post.js';
import { parseConfig } from '../../src/config.js';
import { renderText } from '../../src/core/render-text.js';
import { digestReply } from '../../src/schedule/run.js';
import { makeBot } from '../support/bot.js';
import { runScript } from '../support/child.js';
import { removeDataDirs } from '../support/data-dir.js';
import { DiscordStandin } from '../support/discord-standin.js';
import { SlackStandin } from '../support/slack-standin.js';
import { captureLogger, dataDirWithMonths, makeScheduler, monthFigures, removeStateDirs, tempStateDir } from './helpers.js';

const SLACK_CHANNEL = 'C0DIGEST';
const DISCORD_MESSAGES = { method: 'POST', path: '/api/v10/channels/:id/messages' } as const;

let slack: SlackStandin;
let discord: DiscordStandin;

beforeAll(async () => {
  [slack, discord] = await Promise.all([SlackStandin.start(), DiscordStandin.start()]);
});
afterAll(async () => {
  await Promise.all([slack?.close(), discord?.close()]);
});
beforeEach(() => {
  slack.reset();
  discord.clearRecords();
});
afterEach(() => {
  removeDataDirs();
  removeStateDirs();
});

function env(dataDir: string, stateDir: string): Record<string, string> {
  return {
    DATA_DIR: dataDir, STATE_DIR: stateDir,
    SLACK_BOT_TOKEN: 'xoxb-digest-test', SLACK_SIGNING_SECRET: 'test-signing-secret', SLACK_API_URL: slack.apiUrl,
    DISCORD_TOKEN: 'fake.token.for-tests', DISCORD_API_URL: discord.apiUrl,
    DIGEST_SLACK_CHANNEL: SLACK_CHANNEL, DIGEST_DISCORD_CHANNEL: discord.ids.channel,
  };
}

const slackPosts = () => slack.callsOf('chat.postMessage');
const discordPosts = () => discord.callsMatching<{ embeds: { title: string; description: string; image?: { url: string } }[] }>(DISCORD_MESSAGES);

function addMonths(dataDir: string, ...months: string[]): void {
  const file = path.join(dataDir, 'sales.json');
  const sales = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
  writeFileSync(file, JSON.stringify([...sales, ...months.flatMap((m) => monthFigures(m, 31_000, 45_000))], null, 2));
}

describe('digest through the real Slack and Discord clients', () => {
  it('posts one chat.postMessage and one channel message per month and channel, with the /digest content', async () => {
    const dataDir = dataDirWithMonths();
    const stateDir = tempStateDir();
    const config = parseConfig(env(dataDir, stateDir));
    const { logger } = captureLogger();
    const posters = [createSlackPoster({ config, logger }), createDiscordPoster({ config, logger })];
    const h = await makeScheduler({ dataDir, stateDir, posters, env: env(dataDir, stateDir) });

    await h.scheduler.runOnce();
    addMonths(dataDir, '2025-06', '2025-07');
    await h.scheduler.runOnce();
    await h.scheduler.runOnce(); // nothing new

    const bot = await makeBot(dataDir);
    const expected = ['2025-05', '2025-06', '2025-07'].map((m) => digestReply(bot, m));

    const posts = slackPosts();
    expect(posts.map((c) => c.body.channel)).toEqual([SLACK_CHANNEL, SLACK_CHANNEL, SLACK_CHANNEL]);
    expect(posts.map((c) => c.body.text)).toEqual(expected.map(renderText));
    const may = posts[0]!.body;
    const blocks = may.blocks as { type: string; text?: { text: string } }[];
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'Monthly digest: May 2025' } });
    // The ranking is a native chart; the lower bound is marked as one, never drawn as an exact value.
    const charts = (may.blocks as { type: string; chart?: { axis_config: { categories: string[]; y_label?: string } } }[]).filter((b) => b.type === 'data_visualization');
    expect(charts).toHaveLength(2);
    expect(charts[0]!.chart!.axis_config.categories).toEqual(['Huawei (HIMA)', 'Xiaomi ≥']);
    expect(charts[0]!.chart!.axis_config.y_label).toContain('≥ lower bound');
    expect(String(may.text)).toContain('down at most 585');
    expect(String(may.text)).toContain('The lead changed');
    // A post in a leadership channel carries no chat hints.
    expect(String(may.text)).not.toContain('Try:');

    const messages = discordPosts();
    expect(messages.map((c) => c.path)).toEqual(Array(3).fill(`/api/v10/channels/${discord.ids.channel}/messages`));
    expect(messages.map((c) => c.body.embeds[0]?.title)).toEqual(expected.map((r) => r.title));
    // The charts are PNG attachments shown in the embeds, not text bars.
    expect(messages[0]!.files.map((f) => f.filename)).toEqual(['chart-1.png', 'chart-2.png']);
    expect(messages[0]!.body.embeds[0]?.image?.url).toBe('attachment://chart-1.png');
    expect(messages[0]!.body.embeds[0]?.description).not.toContain('█');
  });
});

describe('npm run digest', () => {
  // Child processes load the platform SDKs through tsx: allow for a busy machine.
  const CHILD = { timeoutMs: 60_000 };
  const digest = (args: string[], childEnv: Record<string, string>) => runScript('src/cli/digest.ts', args, { ...CHILD, env: childEnv });

  it('--dry-run prints what would be posted and where, and posts nothing', async () => {
    const dataDir = dataDirWithMonths('2025-06');
    const r = await digest(['--dry-run'], env(dataDir, tempStateDir()));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Dry run: nothing is posted.');
    expect(r.stdout).toContain(`slack channel ${SLACK_CHANNEL}: would post June 2025 (its first digest: the newest month only).`);
    expect(r.stdout).toContain(`discord channel ${discord.ids.channel}: would post June 2025`);
    const bot = await makeBot(dataDir);
    expect(r.stdout).toContain(renderText(digestReply(bot, '2025-06')));
    expect(slackPosts()).toEqual([]);
    expect(discordPosts()).toEqual([]);
  }, 90_000);

  it('--month 2025-05 --dry-run prints that month and says whether each channel already had it', async () => {
    const dataDir = dataDirWithMonths();
    const stateDir = tempStateDir();
    const config = parseConfig(env(dataDir, stateDir));
    const { logger } = captureLogger();
    const h = await makeScheduler({ dataDir, stateDir, posters: [createSlackPoster({ config, logger })], env: env(dataDir, stateDir) });
    await h.scheduler.runOnce();

    const r = await digest(['--month', '2025-05', '--dry-run'], env(dataDir, stateDir));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/=== May 2025, for:\n {2}slack channel C0DIGEST: already posted .* \(message \d+\.\d+\): would not be posted again\n {2}discord channel \d+: not posted yet/);
    expect(r.stdout).toContain('Monthly digest: May 2025');
    expect(slackPosts()).toHaveLength(1);
    expect(discordPosts()).toHaveLength(0);
  }, 90_000);

  it('--post: a failed post exits 1 and is not recorded; the next --post sends it; then nothing is due', async () => {
    const dataDir = dataDirWithMonths();
    const stateDir = tempStateDir();
    slack.failNext('chat.postMessage', 'not_in_channel');
    const failed = await digest(['--post'], env(dataDir, stateDir));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/Not posted: May 2025 to slack channel C0DIGEST: .*not_in_channel.*The next run retries it\./);
    expect(failed.stdout).toContain(`Posted May 2025 to discord channel ${discord.ids.channel}`);
    expect(`${failed.stdout}${failed.stderr}`).not.toContain('xoxb-digest-test');

    const retried = await digest(['--post'], env(dataDir, stateDir));
    expect(retried.stderr).toBe('');
    expect(retried.code).toBe(0);
    expect(retried.stdout).toMatch(/^Posted May 2025 to slack channel C0DIGEST \(message \d+\.\d+\)\.$/m);
    expect(retried.stdout).toContain(`Nothing new for discord channel ${discord.ids.channel}`);

    const again = await digest(['--post'], env(dataDir, stateDir));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing new for slack channel C0DIGEST');
    expect(slackPosts().filter((c) => c.response?.ok === true)).toHaveLength(1);
    expect(discordPosts()).toHaveLength(1);
  }, 180_000);

  it('two --post processes started at the same moment post each digest once', async () => {
    const dataDir = dataDirWithMonths();
    const stateDir = tempStateDir();
    const runs = await Promise.all([digest(['--post'], env(dataDir, stateDir)), digest(['--post'], env(dataDir, stateDir))]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    expect(slackPosts()).toHaveLength(1);
    expect(discordPosts()).toHaveLength(1);
  }, 90_000);

  it('--post exits 1 while a month is in doubt after a crash; --resolve …=repost lets the next run post it', async () => {
    const dataDir = dataDirWithMonths();
    const stateDir = tempStateDir();
    await runScript('test/schedule/claim-and-die.ts', [stateDir, 'slack', SLACK_CHANNEL, '2025-05'], CHILD);

    const held = await digest(['--post'], env(dataDir, stateDir));
    expect(held.code).toBe(1);
    expect(held.stderr).toContain('Held: May 2025 to slack channel C0DIGEST is in-doubt (see the log; settle it with --resolve slack:C0DIGEST:2025-05=posted|repost).');
    expect(held.stderr).toMatch(/may or may not have been posted/); // the error log line
    expect(slackPosts()).toHaveLength(0);
    expect(discordPosts()).toHaveLength(1);

    const resolved = await digest(['--resolve', `slack:${SLACK_CHANNEL}:2025-05=repost`], env(dataDir, stateDir));
    expect(resolved.code).toBe(0);
    expect(resolved.stdout).toContain('Cleared slack:C0DIGEST:2025-05');

    const config = parseConfig(env(dataDir, stateDir));
    const { logger } = captureLogger();
    const h = await makeScheduler({ dataDir, stateDir, posters: [createSlackPoster({ config, logger }), createDiscordPoster({ config, logger })], env: env(dataDir, stateDir) });
    const report = await h.scheduler.runOnce();
    expect(report.channels.map((c) => c.posted.map((p) => p.month))).toEqual([['2025-05'], []]);
    expect(slackPosts()).toHaveLength(1);
    expect(discordPosts()).toHaveLength(1);
  }, 180_000);

  it('answers a month with no figures, or a --resolve of a digest not in doubt, with exit code 3 (not 1), and documents every code', async () => {
    const dataDir = dataDirWithMonths();
    const [june, resolve, help] = await Promise.all([
      digest(['--month', 'june', '--dry-run'], env(dataDir, tempStateDir())),
      digest(['--resolve', `slack:${SLACK_CHANNEL}:2025-05=repost`], env(dataDir, tempStateDir())),
      digest(['--help'], { STATE_DIR: tempStateDir() }),
    ]);
    expect(june.code).toBe(3);
    expect(june.stderr).toContain('--month june: June 2025 has no sales figures, so there is no digest for it; months with figures: April 2025, May 2025.');
    expect(june.stdout).toBe('');
    expect(resolve.code).toBe(3);
    expect(resolve.stderr).toContain('slack:C0DIGEST:2025-05 is not posted yet; only a digest in doubt');
    expect(help.code).toBe(0);
    for (const code of ['0 ', '1 ', '2 ', '3 ', '64 ']) expect(help.stdout).toMatch(new RegExp(`^  ${code} `, 'm'));
    expect(slackPosts()).toEqual([]);
  }, 90_000);

  it('answers bad flags with the usage and exit code 64, and a bad DIGEST_SCHEDULE with a message naming it', async () => {
    const cases = [[], ['--bogus'], ['--month', '2025-05'], ['--resolve', 'nope']];
    const runs = await Promise.all([
      ...cases.map((args) => digest(args, { STATE_DIR: tempStateDir() })),
      digest(['--dry-run'], { DIGEST_SCHEDULE: 'first of the month', STATE_DIR: tempStateDir() }),
    ]);
    const schedule = runs.pop()!;
    runs.forEach((r, i) => {
      expect(r.code, cases[i]!.join(' ')).toBe(64);
      expect(r.stderr).toContain('Usage:');
      expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
    });
    expect(schedule.code).toBe(2);
    expect(schedule.stderr).toContain('DIGEST_SCHEDULE: not a valid cron expression');
    expect(schedule.stderr).toContain('"first of the month"');
  }, 90_000);
});
