/**
 * The digest scheduler on a fake clock (vitest fake timers drive croner's setTimeout and Date), with the real
 * bot, data store and state directory; the platforms are recording posters.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { validateSchedule } from '../../src/schedule/validate.js';
import { removeDataDirs, writeRaw } from '../support/data-dir.js';
import {
  dataDirWithMonths, makeScheduler, monthFigures, RecordingPoster, removeStateDirs, tempStateDir, type Harness, type Post,
} from './helpers.js';

const SLACK = 'C0DIGEST';
const DISCORD = '123456789012345678';

function fakeClock(iso: string): void {
  // Only timers and Date: file I/O and setImmediate stay real.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: new Date(iso) });
}

function addMonths(dataDir: string, ...months: string[]): void {
  const file = path.join(dataDir, 'sales.json');
  const sales = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
  writeFileSync(file, JSON.stringify([...sales, ...months.flatMap((m) => monthFigures(m, 31_000, 45_000))], null, 2));
}

const started: Harness[] = [];
async function startScheduler(...args: Parameters<typeof makeScheduler>): Promise<Harness> {
  const h = await makeScheduler(...args);
  started.push(h);
  return h;
}

beforeEach(() => vi.useRealTimers());
afterEach(async () => {
  for (const h of started.splice(0)) await h.scheduler.stop();
  vi.useRealTimers();
  removeDataDirs();
  removeStateDirs();
});

describe('digest schedule', () => {
  it('fires at 09:00 in DIGEST_TIMEZONE: 09:00 Asia/Shanghai is 01:00 UTC', async () => {
    fakeClock('2025-06-01T00:58:00Z');
    const slack = new RecordingPoster('slack');
    const h = await startScheduler({
      dataDir: dataDirWithMonths(), stateDir: tempStateDir(), posters: [slack],
      env: { DIGEST_SCHEDULE: '0 9 1 * *', DIGEST_TIMEZONE: 'Asia/Shanghai' },
    });
    await h.scheduler.start();
    expect(h.scheduler.nextRun()?.toISOString()).toBe('2025-06-01T01:00:00.000Z');

    await vi.advanceTimersByTimeAsync(119_000); // 00:59:59 UTC
    expect(slack.log).toEqual([]);

    const run = h.nextRun();
    await vi.advanceTimersByTimeAsync(1_000);
    await run;
    expect(slack.log).toEqual([{ platform: 'slack', channel: SLACK, title: 'Monthly digest: May 2025', at: '2025-06-01T01:00:00.000Z' }]);
    expect(h.scheduler.nextRun()?.toISOString()).toBe('2025-07-01T01:00:00.000Z');
  });

  it('does not fire at 09:00 UTC when the zone is Asia/Shanghai', async () => {
    fakeClock('2025-06-01T01:00:30Z');
    const slack = new RecordingPoster('slack');
    const h = await startScheduler({ dataDir: dataDirWithMonths(), stateDir: tempStateDir(), posters: [slack], env: { DIGEST_TIMEZONE: 'Asia/Shanghai' } });
    await h.scheduler.start();
    await vi.advanceTimersByTimeAsync(9 * 60 * 60_000); // through 10:00 UTC
    expect(slack.log).toEqual([]);
  });

  it('posts the first digest of a channel for the newest month only', async () => {
    fakeClock('2025-09-01T08:59:00Z');
    const slack = new RecordingPoster('slack');
    const discord = new RecordingPoster('discord');
    const h = await startScheduler({ dataDir: dataDirWithMonths('2025-06', '2025-07', '2025-08'), stateDir: tempStateDir(), posters: [slack, discord] });
    await h.scheduler.start();
    const run = h.nextRun();
    await vi.advanceTimersByTimeAsync(60_000);
    const report = await run;
    expect(slack.titles(SLACK)).toEqual(['Monthly digest: August 2025']);
    expect(discord.titles(DISCORD)).toEqual(['Monthly digest: August 2025']);
    expect(report.ok).toBe(true);
    expect(h.logs.text()).toMatch(/first run for this channel: posting the newest month only/);
  });

  it('catches up after downtime with the missed months, once each, oldest first; a restart reposts nothing', async () => {
    const dataDir = dataDirWithMonths();
    const stateDir = tempStateDir();
    const log: Post[] = [];
    const posters = () => [new RecordingPoster('slack', log), new RecordingPoster('discord', log)];

    // June 1st: the bot is up and posts May.
    fakeClock('2025-06-01T08:59:00Z');
    const first = await startScheduler({ dataDir, stateDir, posters: posters() });
    await first.scheduler.start();
    const june = first.nextRun();
    await vi.advanceTimersByTimeAsync(60_000);
    await june;
    await first.scheduler.stop();
    expect(log.map((p) => `${p.platform} ${p.title}`)).toEqual(['slack Monthly digest: May 2025', 'discord Monthly digest: May 2025']);

    // Down through July 1st and August 1st; June and July figures land on disk meanwhile.
    addMonths(dataDir, '2025-06', '2025-07');
    log.length = 0;
    vi.setSystemTime(new Date('2025-08-01T14:00:00Z'));
    const second = await startScheduler({ dataDir, stateDir, posters: posters() });
    const catchUp = second.nextRun();
    await second.scheduler.start();
    const report = await catchUp;
    expect(log.filter((p) => p.platform === 'slack').map((p) => p.title)).toEqual(['Monthly digest: June 2025', 'Monthly digest: July 2025']);
    expect(log.filter((p) => p.platform === 'discord').map((p) => p.title)).toEqual(['Monthly digest: June 2025', 'Monthly digest: July 2025']);
    expect(report.data.months).toContain('2025-07');
    await second.scheduler.stop();

    // Restarted again the same day: no run is due, and a forced run finds nothing new.
    log.length = 0;
    vi.setSystemTime(new Date('2025-08-01T15:00:00Z'));
    const third = await startScheduler({ dataDir, stateDir, posters: posters() });
    await third.scheduler.start();
    const forced = await third.scheduler.runOnce();
    expect(log).toEqual([]);
    expect(forced.channels.map((c) => c.reason)).toEqual([expect.stringMatching(/has been posted/), expect.stringMatching(/has been posted/)]);
    expect(third.logs.text()).toMatch(/nothing new to post to slack channel C0DIGEST/);
  });

  for (const lastRun of ['missing', 'corrupt'] as const) {
    it(`catches up from the ledger at start when last-run.json is ${lastRun}${lastRun === 'corrupt' ? ', and reports and rebuilds it' : ''}`, async () => {
      const dataDir = dataDirWithMonths();
      const stateDir = tempStateDir();
      const log: Post[] = [];
      fakeClock('2025-06-01T08:59:00Z');
      const first = await startScheduler({ dataDir, stateDir, posters: [new RecordingPoster('slack', log)] });
      await first.scheduler.start();
      const june = first.nextRun();
      await vi.advanceTimersByTimeAsync(60_000);
      await june;
      await first.scheduler.stop();

      // Down through July 1st; June's figures arrive meanwhile; the last-run file is lost or broken.
      addMonths(dataDir, '2025-06');
      const lastRunFile = path.join(stateDir, 'digests', 'last-run.json');
      if (lastRun === 'missing') rmSync(lastRunFile);
      else writeFileSync(lastRunFile, '{"v":1,"at":"2025-06-01T09:0');
      vi.setSystemTime(new Date('2025-07-01T14:00:00Z'));
      const second = await startScheduler({ dataDir, stateDir, posters: [new RecordingPoster('slack', log)] });
      const catchUp = second.nextRun();
      const reason = await second.scheduler.start();
      expect(reason).toMatch(/slack channel C0DIGEST has June 2025 to post.*2025-07-01T09:00:00.000Z/);
      await catchUp;
      expect(log.map((p) => p.title)).toEqual(['Monthly digest: May 2025', 'Monthly digest: June 2025']);
      if (lastRun === 'corrupt') {
        expect(second.logs.lines.some((l) => l.level === 40 && l.msg.includes(`${lastRunFile} is corrupt`) && l.msg.includes('rebuilt'))).toBe(true);
      }
      expect(JSON.parse(readFileSync(lastRunFile, 'utf8'))).toMatchObject({ v: 1, ok: true });
    });
  }

  it('holds a claim dated in the future as in doubt (exit code 1 material), not as in flight forever', async () => {
    const stateDir = tempStateDir();
    const slack = new RecordingPoster('slack');
    const h = await startScheduler({ dataDir: dataDirWithMonths(), stateDir, posters: [slack] });
    const key = { platform: 'slack' as const, channel: SLACK, month: '2025-05' };
    const file = h.scheduler.state.fileOf(key);
    mkdirSync(path.dirname(file), { recursive: true });
    // A live pid (our parent) and a date a day ahead: the clock moved back, or the file was copied from elsewhere.
    writeFileSync(file, JSON.stringify({
      v: 1, state: 'posting', ...key, claimedAt: new Date(Date.now() + 24 * 60 * 60_000).toISOString(), owner: { pid: process.ppid, host: hostname(), run: 'other' },
    }));
    const report = await h.scheduler.runOnce();
    expect(report.channels[0]?.held).toEqual([{ month: '2025-05', kind: 'in-doubt' }]);
    expect(slack.log).toEqual([]);
    expect(h.logs.lines.some((l) => l.level === 50 && /in the future/.test(l.msg) && l.msg.includes('--resolve slack:C0DIGEST:2025-05=posted'))).toBe(true);
  });

  it('posts each month once when two schedulers run at the same moment on one state directory', async () => {
    const dataDir = dataDirWithMonths('2025-06', '2025-07', '2025-08');
    const stateDir = tempStateDir();
    const log: Post[] = [];
    // May was posted before: June, July and August are due.
    const seed = await startScheduler({ dataDir: dataDirWithMonths(), stateDir, posters: [new RecordingPoster('slack'), new RecordingPoster('discord')] });
    await seed.scheduler.runOnce();

    const spans: { channel: string; began: number; ended: number }[] = [];
    const platform = { delayMs: 25, spans };
    const racer = () => startScheduler({ dataDir, stateDir, posters: [new RecordingPoster('slack', log, platform), new RecordingPoster('discord', log, platform)] });
    const a = await racer();
    const b = await racer();
    const reports = await Promise.all([a.scheduler.runOnce(), b.scheduler.runOnce(), a.scheduler.runOnce(), b.scheduler.runOnce()]);

    for (const platform of ['slack', 'discord']) {
      expect(log.filter((p) => p.platform === platform).map((p) => p.title)).toEqual([
        'Monthly digest: June 2025', 'Monthly digest: July 2025', 'Monthly digest: August 2025',
      ]);
    }
    expect(reports.every((r) => r.ok)).toBe(true);
    // One post at a time per channel, so the months also arrive oldest first.
    for (const channel of new Set(spans.map((s) => s.channel))) {
      const mine = spans.filter((s) => s.channel === channel).sort((x, y) => x.began - y.began);
      mine.slice(1).forEach((s, i) => expect(s.began).toBeGreaterThanOrEqual(mine[i]!.ended));
    }
  });

  it('does not record a failed post, and posts it on the next run (a retry a few minutes later)', async () => {
    fakeClock('2025-06-01T08:59:00Z');
    const slack = new RecordingPoster('slack');
    const discord = new RecordingPoster('discord');
    slack.failNext(1, 'ratelimited');
    const h = await startScheduler({
      dataDir: dataDirWithMonths(), stateDir: tempStateDir(), posters: [slack, discord], extra: { retryDelaysMs: [5 * 60_000] },
    });
    await h.scheduler.start();
    const tick = h.nextRun();
    await vi.advanceTimersByTimeAsync(60_000);
    const failed = await tick;
    expect(failed.ok).toBe(false);
    expect(slack.log).toEqual([]);
    expect(discord.titles()).toEqual(['Monthly digest: May 2025']);
    expect(h.logs.lines.some((l) => l.level === 50 && /posting May 2025 to slack channel C0DIGEST failed; it will be retried/.test(l.msg))).toBe(true);
    expect(await h.scheduler.state.status({ platform: 'slack', channel: SLACK, month: '2025-05' })).toBeUndefined();

    const retry = h.nextRun();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    const retried = await retry;
    expect(retried.ok).toBe(true);
    expect(slack.log).toEqual([{ platform: 'slack', channel: SLACK, title: 'Monthly digest: May 2025', at: '2025-06-01T09:05:00.000Z' }]);
    expect(discord.titles()).toEqual(['Monthly digest: May 2025']); // not again
  });

  it('keeps the months in order when an older one fails: the newer waits for the next run', async () => {
    const dataDir = dataDirWithMonths();
    const stateDir = tempStateDir();
    const slack = new RecordingPoster('slack');
    const h = await startScheduler({ dataDir, stateDir, posters: [slack] });
    await h.scheduler.runOnce(); // May
    addMonths(dataDir, '2025-06', '2025-07');
    slack.failNext(1);
    const report = await h.scheduler.runOnce();
    expect(report.channels[0]?.failed.map((f) => f.month)).toEqual(['2025-06']);
    expect(slack.titles()).toEqual(['Monthly digest: May 2025']);
    await h.scheduler.runOnce();
    expect(slack.titles()).toEqual(['Monthly digest: May 2025', 'Monthly digest: June 2025', 'Monthly digest: July 2025']);
  });

  it('logs a broken data file on reload and keeps serving the previous data; the fixed file is picked up', async () => {
    const dataDir = dataDirWithMonths();
    const slack = new RecordingPoster('slack');
    const h = await startScheduler({ dataDir, stateDir: tempStateDir(), posters: [slack] });
    await h.scheduler.runOnce(); // May

    const good = readFileSync(path.join(dataDir, 'sales.json'), 'utf8');
    writeRaw(dataDir, 'sales.json', `${good.slice(0, -20)}`); // truncated mid-write
    const report = await h.scheduler.runOnce();
    expect(report.data.reloaded).toBe('failed');
    expect(report.data.months).toEqual(['2025-04', '2025-05']);
    expect(h.logs.lines.some((l) => l.level === 50 && /could not be reloaded; the previous data keeps serving/.test(l.msg) && /sales\.json/.test(JSON.stringify(l.err)))).toBe(true);
    expect(slack.titles()).toEqual(['Monthly digest: May 2025']);

    writeRaw(dataDir, 'sales.json', good);
    addMonths(dataDir, '2025-06');
    const fixed = await h.scheduler.runOnce();
    expect(fixed.data.reloaded).toBe('changed');
    expect(slack.titles()).toEqual(['Monthly digest: May 2025', 'Monthly digest: June 2025']);
  });

  it('holds a month left in doubt by a crash, says how to settle it, and still posts the later months', async () => {
    const dataDir = dataDirWithMonths();
    const stateDir = tempStateDir();
    const slack = new RecordingPoster('slack');
    const h = await startScheduler({ dataDir, stateDir, posters: [slack] });
    await h.scheduler.runOnce(); // May
    addMonths(dataDir, '2025-06', '2025-07');
    // A process claimed June and died mid-post (its pid no longer exists).
    const { runScript } = await import('../support/child.js');
    await runScript('test/schedule/claim-and-die.ts', [stateDir, 'slack', SLACK, '2025-06']);

    const report = await h.scheduler.runOnce();
    expect(slack.titles()).toEqual(['Monthly digest: May 2025', 'Monthly digest: July 2025']);
    expect(report.channels[0]?.held).toEqual([{ month: '2025-06', kind: 'in-doubt' }]);
    expect(h.logs.lines.some((l) => l.level === 50 && l.msg.includes('--resolve slack:C0DIGEST:2025-06=posted'))).toBe(true);
  });

  it('moves on when a platform does not answer, and records the post if it lands late', async () => {
    let answer: (id: string) => void = () => undefined;
    const slow = {
      platform: 'slack' as const,
      post: (channel: string) => new Promise<{ id: string; channel: string }>((resolve) => (answer = (id) => resolve({ id, channel }))),
    };
    const h = await startScheduler({ dataDir: dataDirWithMonths(), stateDir: tempStateDir(), posters: [slow], extra: { postTimeoutMs: 50 } });
    const key = { platform: 'slack' as const, channel: SLACK, month: '2025-05' };

    const report = await h.scheduler.runOnce();
    expect(report.channels[0]?.failed).toEqual([{ month: '2025-05', error: 'no answer within 50 ms' }]);
    expect((await h.scheduler.state.status(key))?.kind).toBe('in-flight'); // not posted again meanwhile
    expect((await h.scheduler.runOnce()).channels[0]?.posted).toEqual([]);

    answer('1717232400.000100');
    await vi.waitFor(async () => expect((await h.scheduler.state.status(key))?.kind).toBe('posted'));
  });

  it('stops start-up on a DIGEST_SCHEDULE that is not a cron expression, naming the variable', async () => {
    await expect(makeScheduler({ dataDir: dataDirWithMonths(), stateDir: tempStateDir(), posters: [], env: { DIGEST_SCHEDULE: 'every month' } }))
      .rejects.toThrow(ConfigError);
    await expect(makeScheduler({ dataDir: dataDirWithMonths(), stateDir: tempStateDir(), posters: [], env: { DIGEST_SCHEDULE: '0 9 1 * *x' } }))
      .rejects.toThrow(/DIGEST_SCHEDULE: not a valid cron expression/);
    await expect(makeScheduler({ dataDir: dataDirWithMonths(), stateDir: tempStateDir(), posters: [], env: { DIGEST_SCHEDULE: '0 9 30 2 *' } }))
      .rejects.toThrow(/DIGEST_SCHEDULE: "0 9 30 2 \*" never fires/);
  });

  it('accepts exactly five fields, as its message says: a seconds or year field is refused in config validation', () => {
    expect(parseConfig({ DIGEST_SCHEDULE: '  0 9 1 * *  ' }).DIGEST_SCHEDULE).toBe('0 9 1 * *');
    for (const schedule of ['0 0 9 1 * *', '0 9 1 * * 2026', '@monthly']) {
      expect(() => parseConfig({ DIGEST_SCHEDULE: schedule })).toThrow(ConfigError);
      expect(() => parseConfig({ DIGEST_SCHEDULE: schedule })).toThrow(/DIGEST_SCHEDULE: not a valid cron expression: expected exactly five fields .*no seconds or year field/);
      expect(() => validateSchedule({ DIGEST_SCHEDULE: schedule, DIGEST_TIMEZONE: 'UTC' })).toThrow(/expected exactly five fields/);
    }
    expect(() => parseConfig({ DIGEST_SCHEDULE: '0 0 9 1 * *' })).toThrow('got "0 0 9 1 * *"');
  });
});
