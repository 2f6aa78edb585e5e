/**
 * Delivers subscriptions and alerts, exactly once per (subscription, month), through the digest's ledger: the key's
 * channel part names the subscription (`sub:<id>`), so claim → post → record, the in-doubt rules and an operator's
 * `npm run digest -- --resolve` work as for the digest (README, "How a month is posted once").
 *
 * What is due is worked out from the data and the ledger alone — every month after the subscription's `since`
 * not yet recorded — so a month that arrived while the bot was down, or a delivery cut short, goes out on the
 * next run (at start-up, on a reload); a failed DM is retried with backoff. Sellers and alerts run when the data
 * changes; the digest on DIGEST_SCHEDULE, as the channel digest does.
 */
import { Cron } from 'croner';
import { isOutcomeUnknown, type PostedMessage, type Poster } from '../core/adapter.js';
import type { Reply } from '../core/reply.js';
import type { Platform } from '../core/request.js';
import type { DatasetIndex } from '../data/index.js';
import type { YearMonth } from '../data/schema.js';
import type { Logger } from '../log.js';
import { formatMonth } from '../sales/months.js';
import type { DigestLedger } from '../schedule/ledger.js';
import { formatKey, type DigestKey } from '../schedule/entry.js';
import { describeCondition, evaluateAlert } from './alert.js';
import type { Subscription } from './schema.js';
import type { SubscriptionStore } from './store.js';

/** A poster that can also find the bot's direct-message channel with a user. */
export interface DirectPoster extends Poster {
  /** The DM channel with `user` (in `workspace`, where the platform has several), as `post` takes it. */
  openDm(user: string, workspace?: string): Promise<string>;
  /** A channel of `workspace` as `post` takes it; absent, the channel id itself. */
  channelIn?(channel: string, workspace?: string): string;
}

/** The replies a delivery carries, as the commands answer them. */
export interface DeliveryReplies {
  /** A seller's month, as `/sales <seller> <month>` answers it. */
  sales(seller: string, month: YearMonth): Reply;
  /** The month's digest, as the channel digest posts it. */
  digest(month: YearMonth): Reply;
}

export interface EngineOptions {
  store: SubscriptionStore;
  data: () => DatasetIndex;
  ledger: DigestLedger;
  posters: readonly DirectPoster[];
  replies: DeliveryReplies;
  logger: Logger;
  /** When the digest goes to its subscribers: DIGEST_SCHEDULE in DIGEST_TIMEZONE. */
  schedule?: { cron: string; timezone: string };
  now?: () => Date;
  /** Waits before retrying after a failed delivery; the last one repeats. */
  retryDelaysMs?: readonly number[];
  /** An in-doubt DM its channel does not show this long after it was made is sent again (Slack). Default 2 min. */
  settleMs?: number;
}

export interface Delivered {
  id: string;
  month: YearMonth;
  what: 'seller' | 'digest' | 'alert' | 'undecided';
}

export interface DeliveryReport {
  sent: Delivered[];
  failed: (Delivered & { error: string })[];
  /** Left alone: in flight elsewhere, or in doubt (found or settled on a later run, or by an operator). */
  held: Delivered[];
}

export const DEFAULT_RETRY_DELAYS_MS = [30_000, 2 * 60_000, 10 * 60_000, 30 * 60_000, 60 * 60_000] as const;

interface Due extends Delivered {
  subscription: Subscription;
  key: DigestKey;
  reply: () => Reply | undefined;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class SubscriptionEngine {
  private chain: Promise<unknown> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopping = false;
  private cron: Cron | undefined;
  private seen: DatasetIndex | undefined;
  private readonly now: () => Date;

  constructor(private readonly options: EngineOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Checks the ledger, delivers what is due (catch-up), and follows the digest schedule. */
  async start(): Promise<void> {
    this.stopping = false;
    await this.options.ledger.check();
    const { schedule, logger } = this.options;
    if (schedule) {
      this.cron = new Cron(schedule.cron, { timezone: schedule.timezone, protect: true, catch: (err) => logger.error({ err }, 'subscriptions: the digest run failed') }, () => {
        void this.deliverDigests().catch(() => undefined);
      });
    }
    void this.deliver({ full: true }).catch(() => undefined);
    // A scheduled digest missed while the bot was down goes to subscribers who had subscribed by then.
    const previous = this.cron?.previousRuns(1, this.now())[0];
    if (previous) void this.deliverDigests(previous).catch(() => undefined);
  }

  /** Stops the schedule and retries, and waits for the delivery in progress (one cut short would be in doubt). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.cron?.stop();
    clearTimeout(this.retryTimer);
    await this.chain.catch(() => undefined);
  }

  /**
   * Sellers' new months and alerts: after a reload that changed the data, only the figures that are new or changed
   * since the last run are looked at; `full` (start-up, retries) looks at every month after each `since`.
   */
  deliver({ full = false }: { full?: boolean } = {}): Promise<DeliveryReport> {
    return this.run((s) => s.subject.kind !== 'digest', () => this.deliver({ full: true }), full ? 'full' : 'changes');
  }

  /** The digest to its subscribers (those subscribed by `dueAt`: the scheduled time; default now). */
  deliverDigests(dueAt = this.now()): Promise<DeliveryReport> {
    return this.run((s) => s.subject.kind === 'digest' && Date.parse(s.createdAt) <= dueAt.getTime(), () => this.deliverDigests(dueAt), 'full');
  }

  /** One run at a time; a failure runs `again` later. */
  private run(which: (s: Subscription) => boolean, again: () => Promise<DeliveryReport>, scope: 'full' | 'changes'): Promise<DeliveryReport> {
    const next = this.chain.catch(() => undefined).then(() => this.runNow(which, again, scope));
    this.chain = next;
    return next;
  }

  private async runNow(which: (s: Subscription) => boolean, again: () => Promise<DeliveryReport>, scope: 'full' | 'changes'): Promise<DeliveryReport> {
    const { logger } = this.options;
    const report: DeliveryReport = { sent: [], failed: [], held: [] };
    if (this.stopping) return report;
    const data = this.options.data();
    // The data the last run saw: a reload's run need only look at what changed since (the ledger still decides).
    const previous = scope === 'changes' ? this.seen : undefined;
    this.seen = data;
    let all: Subscription[];
    try {
      all = (await this.options.store.all()).filter(which);
    } catch (err) {
      logger.error({ err }, 'subscriptions: could not read the subscriptions; retrying later');
      this.retryLater(true, again);
      return report;
    }
    let recheck = false;
    for (const subscription of all) {
      const poster = this.options.posters.find((p) => p.platform === subscription.platform);
      if (!poster) continue; // the console, or a platform not configured now: nothing can reach it
      for (const due of this.dueFor(subscription, data, previous)) {
        if (this.stopping) return report;
        try {
          const outcome = await this.deliverOne(poster, due);
          if (outcome === 'recheck') recheck = true;
          if (outcome !== 'done') report[outcome === 'recheck' ? 'held' : outcome].push({ id: due.id, month: due.month, what: due.what });
        } catch (err) {
          report.failed.push({ id: due.id, month: due.month, what: due.what, error: errorText(err) });
          logger.error({ subscription: due.id, month: due.month, err }, `subscriptions: could not deliver ${formatKey(due.key)}; retrying later`);
        }
      }
    }
    this.retryLater(report.failed.length > 0 || recheck, again);
    return report;
  }

  /** Every (subscription, month) with something to send: months after `since` (new or changed since `previous`), oldest first. */
  private dueFor(subscription: Subscription, data: DatasetIndex, previous?: DatasetIndex): Due[] {
    const { subject, id } = subscription;
    const platform = subscription.platform as Platform;
    const after = (months: readonly YearMonth[]) => months.filter((m) => subscription.since === null || m > subscription.since);
    const key = (month: YearMonth, suffix = ''): DigestKey => ({ platform, channel: `sub:${id}${suffix}`, month });
    const footer = (text: string): Reply['blocks'][number] => ({ type: 'text', lines: [`${text} (id ${id}): /unsubscribe ${id} stops it.`] });
    if (subject.kind === 'digest') {
      return after(data.months).map((month) => ({
        subscription, id, month, what: 'digest', key: key(month),
        reply: () => {
          const reply = this.options.replies.digest(month);
          return reply.kind === 'answer' ? { ...reply, blocks: [...reply.blocks, footer('You subscribed to the monthly digest')] } : undefined;
        },
      }));
    }
    const name = data.entity(subject.seller)?.name ?? subject.seller;
    const changed = (month: YearMonth) => !previous || JSON.stringify(previous.sale(subject.seller, month)) !== JSON.stringify(data.sale(subject.seller, month));
    const months = after(data.salesOf(subject.seller).map((s) => s.month)).filter(changed);
    if (subject.kind === 'seller') {
      return months.map((month) => ({
        subscription, id, month, what: 'seller', key: key(month),
        reply: () => {
          const { tip: _tip, ...reply } = this.options.replies.sales(name, month);
          return reply.kind === 'answer' ? { ...reply, title: `New month: ${reply.title}`, blocks: [...reply.blocks, footer(`You subscribed to new months of ${name}`)] } : undefined;
        },
      }));
    }
    const due: Due[] = [];
    for (const month of months) {
      const verdict = evaluateAlert(data, subject.seller, month, subject.condition);
      if (verdict.kind === 'disproven') continue;
      const sources = [...new Set(verdict.sales.flatMap((s) => s.sources))].flatMap((sid) => {
        const src = data.sources.get(sid);
        return src ? [{ id: src.id, title: src.title, publisher: src.publisher }] : [];
      });
      const condition = describeCondition(subject.condition);
      if (verdict.kind === 'proven') {
        due.push({
          subscription, id, month, what: 'alert', key: key(month),
          reply: () => ({
            kind: 'answer', title: `Alert: ${name}, ${formatMonth(month)}`, sources, suggestions: [`/sales ${name.toLowerCase()} ${month}`],
            blocks: [{ type: 'text', lines: [verdict.detail] }, footer(`Your alert: ${name} ${condition}`)],
          }),
        });
      } else {
        // Said once per month; a later figure that proves it still fires the alert (a key of its own).
        due.push({
          subscription, id, month, what: 'undecided', key: key(month, ':undecided'),
          reply: () => ({
            kind: 'answer', title: `Alert undecided: ${name}, ${formatMonth(month)}`, sources, suggestions: [`/sales ${name.toLowerCase()} ${month}`],
            blocks: [{ type: 'text', lines: [verdict.why, 'Nothing fired. If a later figure for this month decides it, the alert fires then.'] }, footer(`Your alert: ${name} ${condition}`)],
          }),
        });
      }
    }
    return due;
  }

  /** One delivery under the ledger's rules; says what became of it. */
  private async deliverOne(poster: DirectPoster, due: Due): Promise<'sent' | 'held' | 'recheck' | 'done'> {
    const { ledger, logger } = this.options;
    const label = formatKey(due.key);
    const status = await ledger.status(due.key);
    if (status?.kind === 'posted') return 'done';
    const { target, owner, workspace } = due.subscription;
    const where = async () => (target.kind === 'dm' ? poster.openDm(owner, workspace) : poster.channelIn?.(target.channel, workspace) ?? target.channel);
    if (status?.kind === 'in-flight') return 'held';
    if (status?.kind === 'unreadable') {
      logger.error({ file: status.file }, `subscriptions: ${label}: the ledger entry ${status.file} cannot be read (${status.problem}), so it is held. Run "npm run digest -- --resolve ${label}=posted" or "=repost" once you know`);
      return 'held';
    }
    if (status?.kind === 'in-doubt') {
      if (!poster.findPosted || status.why === 'future') {
        logger.error({ subscription: due.id, month: due.month }, `subscriptions: ${label} may or may not have been delivered, so it is not sent again automatically. Check, then run "npm run digest -- --resolve ${label}=posted" or "=repost"`);
        return 'held';
      }
      const found = await poster.findPosted(await where(), { idempotencyKey: label, since: new Date(Date.parse(status.claim.claimedAt) - 60_000) });
      if (found) {
        await ledger.settle(status, found);
        logger.warn({ subscription: due.id, month: due.month, messageId: found.id }, `subscriptions: ${label} was in doubt and is there; recorded`);
        return 'done';
      }
      if (this.now().getTime() - Date.parse(status.claim.doubt?.at ?? status.claim.claimedAt) < (this.options.settleMs ?? 120_000)) return 'recheck';
      if (!(await ledger.settle(status, null))) return 'held';
      logger.warn({ subscription: due.id, month: due.month }, `subscriptions: ${label} was in doubt and is not there; sending it again`);
    }
    const reply = due.reply();
    if (!reply) throw new Error(`the reply for ${label} could not be made`);
    const channel = await where();
    const claim = await ledger.claim(due.key);
    if (claim.kind !== 'claimed') return 'held';
    let message: PostedMessage;
    try {
      message = await poster.post(channel, reply, { idempotencyKey: label, metadata: { type: 'sales_subscription', payload: { month: due.month, key: label } } });
    } catch (err) {
      if (!isOutcomeUnknown(err)) {
        await ledger.release(claim);
        throw err;
      }
      await ledger.markInDoubt(claim, errorText(err));
      logger.warn({ subscription: due.id, month: due.month, err }, `subscriptions: ${label}: the platform did not confirm the message; it is held, never sent twice`);
      return poster.findPosted ? 'recheck' : 'held';
    }
    try {
      await ledger.complete(claim, message);
    } catch (err) {
      logger.error({ subscription: due.id, month: due.month, err }, `subscriptions: ${label} was delivered, but the record could not be written; it is held as in doubt`);
    }
    logger.info({ subscription: due.id, platform: due.key.platform, month: due.month, what: due.what, messageId: message.id }, `subscriptions: delivered ${label}`);
    return 'sent';
  }

  /** A failure (or a delivery in doubt that can still be settled) is tried again, later each time. */
  private retryLater(failed: boolean, again: () => Promise<DeliveryReport>): void {
    if (this.stopping) return;
    if (!failed) {
      this.failures = 0;
      return;
    }
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    const delay = delays[Math.min(this.failures, delays.length - 1)] ?? DEFAULT_RETRY_DELAYS_MS[0];
    this.failures++;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void again().catch(() => undefined), delay);
    this.retryTimer.unref?.();
    this.options.logger.warn({ retryInMs: delay, attempt: this.failures }, 'subscriptions: a delivery failed; retrying later');
  }
}
