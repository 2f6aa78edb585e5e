/**
 * What the digest needs from a ledger, whatever keeps it: `DigestState` (files under STATE_DIR, one machine) or
 * `PgDigestLedger` (src/shared/ledger.ts, PostgreSQL, several instances). Both follow the same rules: claim before
 * a post, record after it, keep an unknown outcome in doubt, settle it from the channel or by an operator.
 */
import type { PostedMessage } from '../core/adapter.js';
import type { Platform } from '../core/request.js';
import type { YearMonth } from '../data/schema.js';
import type { ClaimEntry, DigestKey, EntryStatus, InDoubt, LastRun, PostedRecord } from './entry.js';

/** A claim this process holds: post, then `complete`, `release` or `markInDoubt` it. `file` names where it is kept. */
export interface Claim {
  kind: 'claimed';
  key: DigestKey;
  file: string;
  entry: ClaimEntry;
}

export interface DigestLedger {
  /** Proves the ledger can be written, so a bad STATE_DIR or database stops start-up rather than a run. */
  check(): Promise<void>;
  /** Every month this channel has an entry for, with what it means now. */
  channel(platform: Platform, channel: string): Promise<Map<YearMonth, EntryStatus>>;
  status(key: DigestKey): Promise<EntryStatus | undefined>;
  /** Claims a (platform, channel, month); when another claim or a record is there, says what it is instead. */
  claim(key: DigestKey): Promise<Claim | EntryStatus>;
  complete(claim: Claim, message: PostedMessage): Promise<PostedRecord>;
  release(claim: Claim): Promise<void>;
  markInDoubt(claim: Claim, reason: string): Promise<void>;
  settle(found: InDoubt, message: PostedMessage | null): Promise<boolean>;
  resolve(key: DigestKey, as: 'posted' | 'repost'): Promise<{ done: boolean; found: EntryStatus | undefined }>;
  lastRun(): Promise<LastRun>;
  recordRun(at: Date, ok: boolean): Promise<void>;
}
