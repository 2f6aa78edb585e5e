/**
 * One digest run: reload the data, then for each channel post what its plan says, claiming each
 * (platform, channel, month) before posting and recording it after. Shared by the cron tick and the CLI.
 */
import type { PostedMessage, Poster } from '../core/adapter.js';
import type { Bot } from '../core/bot.js';
import { formatMonth } from '../core/months.js';
import type { Reply } from '../core/reply.js';
import type { Platform } from '../core/request.js';
import type { DatasetIndex } from '../data/index.js';
import type { DataStore } from '../data/store.js';
import type { YearMonth } from '../data/schema.js';
import type { Logger } from '../log.js';
import { planChannel } from './plan.js';
import { formatKey, type Claim, type DigestState, type EntryStatus } from './state.js';

export interface DigestTarget {
  poster: Poster;
  channel: string;
}

export interface ChannelReport {
  platform: Platform;
  channel: string;
  posted: { month: YearMonth; id: string }[];
  failed: { month: YearMonth; error: string }[];
  /** Left alone: another process is posting it, or it is in doubt / unreadable and needs an operator. */
  held: { month: YearMonth; kind: Exclude<EntryStatus['kind'], 'posted'> }[];
  /** Why nothing was posted, when nothing was. */
  reason?: string;
  /** The run broke off for this channel (e.g. the state directory failed). */
  error?: string;
}

export interface RunReport {
  startedAt: Date;
  finishedAt: Date;
  data: { reloaded: 'unchanged' | 'changed' | 'failed'; version: string; months: YearMonth[] };
  channels: ChannelReport[];
  /** No post failed (held months do not count: retrying does not settle them). */
  ok: boolean;
}

export interface RunDeps {
  bot: Bot;
  store: DataStore;
  state: DigestState;
  targets: readonly DigestTarget[];
  logger: Logger;
  /** A post with no answer after this long is left claimed (in doubt) and the run moves on. */
  postTimeoutMs: number;
  now: () => Date;
}

/** The digest reply for a month, exactly as `/digest <month>` answers it. */
export function digestReply(bot: Bot, month: YearMonth, channel?: string): Reply {
  return bot.handle({ kind: 'command', name: 'digest', text: month, platform: 'schedule', ...(channel ? { channel } : {}) });
}

function heldMessage(key: string, status: Exclude<EntryStatus, { kind: 'posted' }>): [string, 'info' | 'error'] {
  switch (status.kind) {
    case 'in-flight':
      return [`digest ${key} is being posted by another process (pid ${status.claim.owner.pid}); leaving it to that process`, 'info'];
    case 'in-doubt':
      return [
        `digest ${key} may or may not have been posted: the process posting it (pid ${status.claim.owner.pid}, since ${status.claim.claimedAt}) ` +
        `stopped before recording the result, so it is not posted again automatically. Check the channel, then run ` +
        `"npm run digest -- --resolve ${key}=posted" if the digest is there, or "--resolve ${key}=repost" to post it on the next run`,
        'error',
      ];
    case 'unreadable':
      return [
        `digest ${key}: the state file ${status.file} cannot be read (${status.problem}), so the month is held. ` +
        `Run "npm run digest -- --resolve ${key}=posted" or "=repost" once you know whether it was posted`,
        'error',
      ];
  }
}

type PostOutcome = { ok: true; message: PostedMessage } | { ok: false; error: unknown } | { ok: 'timeout' };

export async function runDigests(deps: RunDeps): Promise<RunReport> {
  const { store, targets, logger } = deps;
  const startedAt = deps.now();

  // New months on disk are seen by this run; a broken file keeps the previous data serving.
  const reload = await store.reload();
  if (!reload.ok) logger.error({ err: reload.error }, 'digest: the data directory could not be reloaded; the previous data keeps serving');
  else if (reload.changed) logger.info({ version: reload.index.version, months: reload.index.months }, 'digest: data reloaded');
  const data = store.current;
  const report: RunReport = {
    startedAt, finishedAt: startedAt, ok: true, channels: [],
    data: { reloaded: !reload.ok ? 'failed' : reload.changed ? 'changed' : 'unchanged', version: data.version, months: [...data.months] },
  };

  for (const { poster, channel } of targets) {
    const ch: ChannelReport = { platform: poster.platform, channel, posted: [], failed: [], held: [] };
    report.channels.push(ch);
    try {
      await runChannel(deps, data, poster, channel, ch);
    } catch (err) {
      // A state directory that fails under us (disk full, permissions): this channel waits for the next run.
      ch.error = err instanceof Error ? err.message : String(err);
      logger.error({ platform: poster.platform, channel, err }, 'digest: the run failed for this channel; it will be retried on the next run');
    }
  }
  report.ok = report.channels.every((c) => c.failed.length === 0 && c.error === undefined);
  report.finishedAt = deps.now();
  return report;
}

async function runChannel(deps: RunDeps, data: DatasetIndex, poster: Poster, channel: string, ch: ChannelReport): Promise<void> {
  const { bot, state, logger } = deps;
  const platform = poster.platform;
  const plan = planChannel(data.months, await state.channel(platform, channel));
  for (const { month, status } of plan.held) {
    const [message, level] = heldMessage(formatKey({ platform, channel, month }), status);
    logger[level]({ platform, channel, month, file: status.file }, message);
    ch.held.push({ month, kind: status.kind });
  }
  if (plan.held.some((h) => h.status.kind === 'in-flight')) {
    // Another process is working through this channel; it posts the later months too, in order.
    ch.reason = 'another process is posting to this channel right now';
    logger.info({ platform, channel }, `digest: ${ch.reason}; leaving it to that process`);
    return;
  }
  if (plan.post.length === 0) {
    ch.reason = plan.reason;
    logger.info({ platform, channel }, `digest: nothing new to post to ${platform} channel ${channel}: ${plan.reason}`);
    return;
  }
  if (plan.firstRun) logger.info({ platform, channel, month: plan.post[0] }, 'digest: first run for this channel: posting the newest month only');

  for (const month of plan.post) {
    const key = { platform, channel, month };
    const reply = digestReply(bot, month, channel);
    if (reply.kind !== 'answer') {
      // Never post an apology or a "no figures" notice to leadership; retry on the next run.
      ch.failed.push({ month, error: `the digest came back as ${reply.kind}: ${reply.title}` });
      logger.error({ platform, channel, month, title: reply.title }, 'digest: the digest could not be made; not posted, retried on the next run');
      break;
    }
    const claim = await state.claim(key);
    if (claim.kind !== 'claimed') {
      logger.info({ platform, channel, month, found: claim.kind }, 'digest: another process got there first; not posting');
      if (claim.kind === 'posted') continue;
      ch.held.push({ month, kind: claim.kind });
      // In flight elsewhere: that process goes on to the later months, in order.
      if (claim.kind === 'in-flight') break;
      continue;
    }
    const outcome = await postWithin(deps, poster, channel, reply, claim);
    if (outcome.ok === true) {
      ch.posted.push({ month, id: outcome.message.id });
      try {
        await state.complete(claim, outcome.message);
      } catch (err) {
        // It went out: the claim stays (in doubt once stale), so it is never posted twice.
        logger.error({ platform, channel, month, messageId: outcome.message.id, err }, 'digest: posted, but the record could not be written; the month is held as in doubt');
        continue;
      }
      logger.info({ platform, channel, month, messageId: outcome.message.id }, `digest: posted ${formatMonth(month)} to ${platform} channel ${channel}`);
      continue;
    }
    if (outcome.ok === false) {
      await state.release(claim);
      const error = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      ch.failed.push({ month, error });
      logger.error({ platform, channel, month, err: outcome.error }, `digest: posting ${formatMonth(month)} to ${platform} channel ${channel} failed; it will be retried on the next run`);
    } else {
      ch.failed.push({ month, error: `no answer within ${deps.postTimeoutMs} ms` });
    }
    // Later months wait, so that the channel still gets them oldest first.
    break;
  }
}

/**
 * Posts, but stops waiting after `postTimeoutMs`. A post that answers late still settles its claim (recorded
 * when it went out, released when it failed); if the process stops first, the claim is left in doubt.
 */
async function postWithin(deps: RunDeps, poster: Poster, channel: string, reply: Reply, claim: Claim): Promise<PostOutcome> {
  const { state, logger } = deps;
  const posting = poster.post(channel, reply).then(
    (message): PostOutcome => ({ ok: true, message }),
    (error: unknown): PostOutcome => ({ ok: false, error }),
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<PostOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ ok: 'timeout' }), deps.postTimeoutMs);
  });
  const first = await Promise.race([posting, timeout]);
  clearTimeout(timer);
  if (first.ok !== 'timeout') return first;

  const key = formatKey(claim.key);
  logger.error({ key }, `digest ${key}: no answer from ${poster.platform} after ${deps.postTimeoutMs} ms; the claim stays until the post settles`);
  void posting.then(async (late) => {
    try {
      if (late.ok === true) {
        await state.complete(claim, late.message);
        logger.warn({ key, messageId: late.message.id }, `digest ${key}: the late post went out and is recorded`);
      } else if (late.ok === false) {
        await state.release(claim);
        logger.error({ key, err: late.error }, `digest ${key}: the late post failed; it will be retried on the next run`);
      }
    } catch (err) {
      logger.error({ key, err }, `digest ${key}: could not record the late post's outcome; it is left in doubt`);
    }
  });
  return first;
}
