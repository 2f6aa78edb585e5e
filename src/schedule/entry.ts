/**
 * The digest ledger's vocabulary: the key of an entry, the zod schemas of its file (a claim, then a record), and
 * what a reader makes of an entry. Reading and writing is `DigestState` (./state.ts).
 */
import { z } from 'zod';
import type { Platform } from '../core/request.js';
import type { YearMonth } from '../data/schema.js';

export interface DigestKey {
  platform: Platform;
  channel: string;
  month: YearMonth;
}

const owner = z.object({ pid: z.number().int(), host: z.string(), run: z.string() });
const common = {
  v: z.literal(1),
  platform: z.string(),
  channel: z.string(),
  month: z.string().regex(/^\d{4}-\d{2}$/),
  claimedAt: z.iso.datetime(),
  owner,
};
const claimSchema = z.object({
  ...common,
  state: z.literal('posting'),
  /** Set when the platform's answer left it unknown whether the message was created (timeout, reset, 5xx). */
  doubt: z.object({ at: z.iso.datetime(), reason: z.string() }).optional(),
});
const recordSchema = z.object({
  ...common,
  state: z.literal('posted'),
  postedAt: z.iso.datetime(),
  /** The platform's message; null when an operator confirmed an in-doubt post by hand. */
  message: z.object({ id: z.string(), channel: z.string() }).nullable(),
  /** How an in-doubt post was settled: found in the channel's history, or an operator's `--resolve`. */
  settledBy: z.enum(['history', 'operator']).optional(),
});
export const entrySchema = z.discriminatedUnion('state', [claimSchema, recordSchema]);
export const lastRunSchema = z.object({ v: z.literal(1), at: z.iso.datetime(), ok: z.boolean() });

export type ClaimEntry = z.infer<typeof claimSchema>;
export type PostedRecord = z.infer<typeof recordSchema>;

/** Why a claim is in doubt. */
export type DoubtReason =
  /** The post's answer was lost (timeout, reset, 5xx after the platform received it). */
  | 'unknown-outcome'
  /** The process posting it is gone (crash, kill) without recording the result. */
  | 'owner-gone'
  /** Older than `staleAfterMs`: its owner is stuck, or its pid was reused. */
  | 'stale'
  /** Dated in the future: the clock moved back, or the file was copied or edited. Its owner cannot be trusted. */
  | 'future';

/** What a reader makes of one (platform, channel, month). */
export type EntryStatus =
  | { kind: 'posted'; file: string; record: PostedRecord }
  | { kind: 'in-flight'; file: string; claim: ClaimEntry }
  | { kind: 'in-doubt'; file: string; claim: ClaimEntry; why: DoubtReason }
  | { kind: 'unreadable'; file: string; problem: string };

export type InDoubt = Extract<EntryStatus, { kind: 'in-doubt' }>;

/** What `last-run.json` says: informational (catch-up is decided from the ledger), rebuilt when corrupt. */
export type LastRun = { state: 'missing'; file: string } | { state: 'corrupt'; file: string; problem: string } | { state: 'ok'; file: string; at: Date; ok: boolean };

/** Channel ids become directory names: anything but letters, digits, "_" and "-" is %-encoded (no "..", no "/"). */
export function encodeSegment(text: string): string {
  return encodeURIComponent(text).replace(/[.!~*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** "slack:C0123:2025-05", as printed in logs and accepted by `--resolve`. */
export function formatKey(key: DigestKey): string {
  return `${key.platform}:${key.channel}:${key.month}`;
}

export function parseKey(text: string): DigestKey | undefined {
  const m = text.trim().match(/^(slack|discord):(.+):(\d{4}-(?:0[1-9]|1[0-2]))$/);
  return m ? { platform: m[1] as Platform, channel: m[2]!, month: m[3]! } : undefined;
}
