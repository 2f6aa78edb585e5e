/**
 * What one run posts to one channel: every month with figures that this channel has not had yet, oldest first,
 * so no month is skipped after downtime or when its figures arrive late. A channel's history starts at the
 * oldest month it ever had a file for: its very first run posts only the newest month, not the whole archive.
 */
import { formatMonth } from '../sales/months.js';
import type { YearMonth } from '../data/schema.js';
import type { EntryStatus } from './state.js';

export interface HeldMonth {
  month: YearMonth;
  status: Exclude<EntryStatus, { kind: 'posted' }>;
}

export interface ChannelPlan {
  /** Months to post now, oldest first. */
  post: YearMonth[];
  /** The channel has no digest on record at all: only the newest month is posted. */
  firstRun: boolean;
  /** Months with a claim or an unreadable file: another process is posting them, or they are in doubt. */
  held: HeldMonth[];
  /** Why nothing is posted, when `post` is empty. */
  reason?: string;
}

export function planChannel(months: readonly YearMonth[], entries: ReadonlyMap<YearMonth, EntryStatus>): ChannelPlan {
  const sorted = [...months].sort();
  const newest = sorted.at(-1);
  const held: HeldMonth[] = [];
  for (const [month, status] of [...entries].sort(([a], [b]) => a.localeCompare(b))) {
    if (status.kind !== 'posted') held.push({ month, status });
  }
  if (!newest) return { post: [], firstRun: entries.size === 0, held, reason: 'no month has sales figures yet' };
  if (entries.size === 0) return { post: [newest], firstRun: true, held };

  const since = [...entries.keys()].sort()[0]!;
  const post = sorted.filter((m) => m >= since && !entries.has(m));
  if (post.length > 0) return { post, firstRun: false, held };

  const postedCount = [...entries.values()].filter((s) => s.kind === 'posted').length;
  let reason = newest < since
    ? `the newest month with figures (${formatMonth(newest)}) is older than this channel's first digest (${formatMonth(since)})`
    : `every month with figures since this channel's first digest (${formatMonth(since)}) has been posted or claimed; newest: ${formatMonth(newest)}`;
  if (held.length > 0) reason += `; ${held.length} of ${postedCount + held.length} held (see the messages above)`;
  return { post: [], firstRun: false, held, reason };
}
