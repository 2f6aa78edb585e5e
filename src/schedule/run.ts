/**
 * One digest run: reload the data, then for each channel post what its plan says, claiming each
 * (platform, channel, month) before posting and recording it after. Shared by the cron tick and the CLI.
 */
import { isOutcomeUnknown, type PostedMessage, type PostOptions, type Poster } from '../core/adapter.js';
import type { Bot } from '../core/bot.js';
import { formatMonth } from '../sales/months.js';
import type { Reply } from '../core/reply.js';
import type { Platform } from '../core/request.js';
import type { DatasetIndex } from '../data/index.js';
import type { DataStore } from '../data/store.js';
import type { YearMonth } from '../data/schema.js';
import type { Logger } from '../log.js';
import { planChannel } from './plan.js';
import { formatKey, type Claim, type DigestKey, type DigestLedger, type EntryStatus, type InDoubt } from './state.js';

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
  /** In-doubt months settled from the channel's own history: found there (recorded), or certainly absent (posted again). */
  settled: { month: YearMonth; as: 'found' | 'absent'; id?: string }[];
  /** Some held month can still be settled automatically: a later run should look again. */
  recheck?: boolean;
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
  /** No post failed and nothing awaits a re-check (held months an operator must settle do not count). */
  ok: boolean;
}

export interface RunDeps {
  bot: Bot;
  store: DataStore;
  state: DigestLedger;
  targets: readonly DigestTarget[];
  logger: Logger;
  /** A post with no answer after this long is left claimed (in doubt) and the run moves on. */
  postTimeoutMs: number;
  /**
   * An in-doubt post that the channel's history does not show this long after it was made is taken as not
   * posted, and posted again. Younger, "not found" is not conclusive (the platform may still be processing it).
   */
  settleMs: number;
  now: () => Date;
}

/**
 * The digest reply for a month, as `/digest <month>` answers it but without chat hints: a post in a leadership
 * channel is read, not replied to, so it carries no "Try: /compare …" suggestions and no tip.
 */
export function digestReply(bot: Bot, month: YearMonth, channel?: string): Reply {
  const { tip: _tip, ...reply } = bot.handle({ kind: 'command', name: 'digest', text: month, platform: 'schedule', ...(channel ? { channel } : {}) });
  return { ...reply, suggestions: [] };
}

/** The key a post carries on the platform (Discord nonce, Slack metadata), the same across retries and runs. */
export function postOptions(key: DigestKey): PostOptions {
  return { idempotencyKey: formatKey(key), metadata: { type: 'sales_digest', payload: { month: key.month, key: formatKey(key) } } };
}

function inDoubtCause(status: InDoubt): string {
  const { claim } = status;
  switch (status.why) {
    case 'unknown-outcome':
      return `the platform did not confirm the post (${claim.doubt?.reason ?? 'no answer'}, at ${claim.doubt?.at ?? claim.claimedAt})`;
    case 'future':
      return `its claim is dated ${claim.claimedAt}, in the future (the clock moved back, or ${status.file} was copied or edited), so it cannot be trusted as in flight`;
    case 'stale':
      return `the claim by pid ${claim.owner.pid} (since ${claim.claimedAt}) is too old to still be in flight`;
    case 'owner-gone':
      return `the process posting it (pid ${claim.owner.pid}, since ${claim.claimedAt}) stopped before recording the result`;
  }
}

function heldMessage(key: string, status: Exclude<EntryStatus, { kind: 'posted' }>): [string, 'info' | 'error'] {
  const remedy = `Check the channel, then run "npm run digest -- --resolve ${key}=posted" if the digest is there, or "--resolve ${key}=repost" to post it on the next run`;
  switch (status.kind) {
    case 'in-flight':
      return [`digest ${key} is being posted by another process (pid ${status.claim.owner.pid}); leaving it to that process`, 'info'];
    case 'in-doubt':
      return [`digest ${key} may or may not have been posted: ${inDoubtCause(status)}, so it is not posted again automatically. ${remedy}`, 'error'];
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
    const ch: ChannelReport = { platform: poster.platform, channel, posted: [], failed: [], held: [], settled: [] };
    report.channels.push(ch);
    try {
      await runChannel(deps, data, poster, channel, ch);
    } catch (err) {
      // A state directory that fails under us (disk full, permissions): this channel waits for the next run.
      ch.error = err instanceof Error ? err.message : String(err);
      logger.error({ platform: poster.platform, channel, err }, 'digest: the run failed for this channel; it will be retried on the next run');
    }
  }
  report.ok = report.channels.every((c) => c.failed.length === 0 && c.error === undefined && !c.recheck);
  report.finishedAt = deps.now();
  return report;
}

async function runChannel(deps: RunDeps, data: DatasetIndex, poster: Poster, channel: string, ch: ChannelReport): Promise<void> {
  const { bot, state, logger } = deps;
  const platform = poster.platform;
  let entries = await state.channel(platform, channel);
  if (await settleFromChannel(deps, poster, channel, entries, ch)) entries = await state.channel(platform, channel);
  const plan = planChannel(data.months, entries);
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
    if (outcome.ok === false && isOutcomeUnknown(outcome.error)) {
      const found = await markAndCheck(deps, poster, claim, outcome.error);
      if (found) {
        ch.posted.push({ month, id: found.id });
        continue;
      }
      ch.held.push({ month, kind: 'in-doubt' });
      if (poster.findPosted) ch.recheck = true;
      break;
    }
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
      const error = errorText(outcome.error);
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
  const posting = poster.post(channel, reply, postOptions(claim.key)).then(
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
      } else if (late.ok === false && isOutcomeUnknown(late.error)) {
        await state.markInDoubt(claim, errorText(late.error));
        logger.error({ key, err: late.error }, `digest ${key}: the late post's outcome is unknown; the month is held as in doubt`);
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

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * After a post with an unknown outcome: marks the claim in doubt, then asks the channel whether the message is
 * there. Found: recorded as posted, returned. Not found (yet) or cannot tell: left in doubt.
 */
async function markAndCheck(deps: RunDeps, poster: Poster, claim: Claim, error: unknown): Promise<PostedMessage | undefined> {
  const { state, logger } = deps;
  const key = formatKey(claim.key);
  const { platform, channel, month } = claim.key;
  await state.markInDoubt(claim, errorText(error));
  logger.warn({ platform, channel, month, err: error }, `digest ${key}: ${platform} did not confirm the post (${errorText(error)}); it may have gone out, so it is held, never posted again blindly`);
  if (!poster.findPosted) return undefined;
  try {
    const found = await poster.findPosted(channel, { idempotencyKey: formatKey(claim.key), since: new Date(Date.parse(claim.entry.claimedAt) - 60_000) });
    if (!found) return undefined;
    await state.complete(claim, found);
    logger.warn({ platform, channel, month, messageId: found.id }, `digest ${key}: the unconfirmed post is in the channel (message ${found.id}); recorded as posted`);
    return found;
  } catch (err) {
    logger.warn({ platform, channel, month, err }, `digest ${key}: could not check the channel for the unconfirmed post (${errorText(err)})`);
    return undefined;
  }
}

/**
 * Settles this channel's in-doubt months from the channel itself, where the poster can look (`findPosted`): a
 * message carrying the month's key is recorded as posted; none, once `settleMs` has passed, clears the claim so
 * the month is posted again. A claim dated in the future is left to an operator. True when anything changed.
 */
async function settleFromChannel(deps: RunDeps, poster: Poster, channel: string, entries: ReadonlyMap<YearMonth, EntryStatus>, ch: ChannelReport): Promise<boolean> {
  const { state, logger } = deps;
  if (!poster.findPosted) return false;
  let changed = false;
  for (const [month, status] of entries) {
    if (status.kind !== 'in-doubt' || status.why === 'future') continue;
    const key: DigestKey = { platform: poster.platform, channel, month };
    const label = formatKey(key);
    const madeAt = Date.parse(status.claim.doubt?.at ?? status.claim.claimedAt);
    let found: PostedMessage | undefined;
    try {
      found = await poster.findPosted(channel, { idempotencyKey: label, since: new Date(Date.parse(status.claim.claimedAt) - 60_000) });
    } catch (err) {
      logger.warn({ platform: key.platform, channel, month, err }, `digest ${label}: could not check the channel for it (${errorText(err)}); it stays held`);
      continue;
    }
    if (found) {
      if (await state.settle(status, found)) {
        ch.settled.push({ month, as: 'found', id: found.id });
        changed = true;
        logger.warn({ platform: key.platform, channel, month, messageId: found.id }, `digest ${label}: was in doubt, and is in the channel (message ${found.id}); recorded as posted`);
      }
    } else if (deps.now().getTime() - madeAt >= deps.settleMs) {
      if (await state.settle(status, null)) {
        ch.settled.push({ month, as: 'absent' });
        changed = true;
        logger.warn({ platform: key.platform, channel, month }, `digest ${label}: was in doubt, and is not in the channel; posting it again`);
      }
    } else {
      ch.recheck = true;
      logger.info({ platform: key.platform, channel, month }, `digest ${label}: in doubt and not in the channel yet; looking again on a later run (after ${deps.settleMs} ms it is posted again)`);
    }
  }
  return changed;
}
