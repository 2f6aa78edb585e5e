/**
 * What the digest has posted, kept in `STATE_DIR/digests/<platform>/<channel>/<YYYY-MM>.json`: one file per
 * (platform, channel, month), created exclusively as a claim before posting and replaced by the record after.
 *
 * The scheme and its guarantees:
 * - Claim: the claim is written in full to a temp file, fsynced, then `link()`ed to its final name. link fails
 *   with EEXIST when the name exists, so exactly one process on the machine wins a (platform, channel, month),
 *   and a reader never sees a half-written claim. (Where link is not supported we fall back to `open(…, 'wx')`;
 *   a half-written file then reads as "unreadable", which is held, never posted.)
 * - Record: after the platform answers, the record (with the message id/ts) is written to a temp file, fsynced,
 *   and renamed over the claim (atomic), then the directory is fsynced. A crash mid-write leaves the claim.
 * - A post that fails (the poster throws: API error, its own timeout) releases the claim: the next run retries.
 * - A claim whose owner is gone (its pid is not alive on this host, or it is older than `staleAfterMs`) is
 *   "in doubt": the process stopped between claiming and recording, so the message may or may not have gone out.
 *   Local state cannot tell which, and the issue asks for at most once, so it is never reposted automatically;
 *   every run logs it as an error with the remedy, and `npm run digest -- --resolve <key>=posted|repost` settles
 *   it. The window is the few hundred ms of one HTTP call; other months and channels are not held up by it.
 * Limits: one machine (pids are checked locally; a state dir shared over NFS across hosts is not supported);
 * a poster that throws after the platform accepted the message (a timeout on a slow answer) leads to a repost
 * on the next run, because the issue asks for failed posts to be retried.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../config.js';
import type { PostedMessage } from '../core/adapter.js';
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
const claimSchema = z.object({ ...common, state: z.literal('posting') });
const recordSchema = z.object({
  ...common,
  state: z.literal('posted'),
  postedAt: z.iso.datetime(),
  /** The platform's message; null when an operator confirmed an in-doubt post by hand. */
  message: z.object({ id: z.string(), channel: z.string() }).nullable(),
});
const entrySchema = z.discriminatedUnion('state', [claimSchema, recordSchema]);
const lastRunSchema = z.object({ v: z.literal(1), at: z.iso.datetime(), ok: z.boolean() });

export type ClaimEntry = z.infer<typeof claimSchema>;
export type PostedRecord = z.infer<typeof recordSchema>;

/** What a reader makes of one (platform, channel, month). */
export type EntryStatus =
  | { kind: 'posted'; file: string; record: PostedRecord }
  | { kind: 'in-flight'; file: string; claim: ClaimEntry }
  | { kind: 'in-doubt'; file: string; claim: ClaimEntry }
  | { kind: 'unreadable'; file: string; problem: string };

/** A claim this process holds: post, then `complete` or `release` it. */
export interface Claim {
  kind: 'claimed';
  key: DigestKey;
  file: string;
  entry: ClaimEntry;
}

export interface DigestStateOptions {
  now?: () => Date;
  /** A claim older than this is in doubt even if its pid looks alive (pids are reused, e.g. pid 1 in a container). */
  staleAfterMs?: number;
}

const MONTH_FILE = /^(\d{4}-\d{2})\.json$/;

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

async function fsyncDir(dir: string): Promise<void> {
  // Makes a link/rename/unlink durable; not every platform lets a directory be opened (then it is best effort).
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}

async function writeDurable(file: string, text: string, flag: 'wx' | 'w'): Promise<void> {
  const handle = await open(file, flag, 0o644);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const errCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errCode(err) === 'EPERM';
  }
}

/** The DigestState instances alive in this process: a claim with our pid but another id is from an earlier process. */
const liveRuns = new Set<string>();

export class DigestState {
  /** Tells this process's claims from an earlier process that had the same pid. */
  readonly runId = randomUUID();
  readonly dir: string;
  private readonly now: () => Date;
  private readonly staleAfterMs: number;
  private seq = 0;

  constructor(stateDir: string, options: DigestStateOptions = {}) {
    this.dir = path.resolve(stateDir, 'digests');
    this.now = options.now ?? (() => new Date());
    this.staleAfterMs = options.staleAfterMs ?? 15 * 60_000;
    liveRuns.add(this.runId);
  }

  /** Creates the directory and proves it is writable, so a bad STATE_DIR stops start-up rather than a run. */
  async check(): Promise<void> {
    const probe = this.tempName(path.join(this.dir, 'probe'));
    try {
      await mkdir(this.dir, { recursive: true });
      await writeDurable(probe, 'ok', 'wx');
      await rm(probe, { force: true });
    } catch (err) {
      throw new ConfigError([`STATE_DIR: cannot write to ${this.dir} (${errCode(err) ?? String(err)}); the digest records what it posted there`]);
    }
  }

  channelDir(platform: Platform, channel: string): string {
    return path.join(this.dir, encodeSegment(platform), encodeSegment(channel));
  }

  fileOf(key: DigestKey): string {
    return path.join(this.channelDir(key.platform, key.channel), `${key.month}.json`);
  }

  /** Every month this channel has a file for, with what it means now. */
  async channel(platform: Platform, channel: string): Promise<Map<YearMonth, EntryStatus>> {
    const dir = this.channelDir(platform, channel);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      if (errCode(err) === 'ENOENT') return new Map();
      throw err;
    }
    const out = new Map<YearMonth, EntryStatus>();
    for (const name of names.sort()) {
      const m = name.match(MONTH_FILE);
      if (m) {
        const status = await this.read(path.join(dir, name));
        if (status) out.set(m[1]!, status);
      } else if (name.endsWith('.tmp')) {
        await this.removeOldTemp(path.join(dir, name));
      }
    }
    return out;
  }

  async status(key: DigestKey): Promise<EntryStatus | undefined> {
    return this.read(this.fileOf(key));
  }

  /** Claims a (platform, channel, month); when another claim or a record is there, says what it is instead. */
  async claim(key: DigestKey): Promise<Claim | EntryStatus> {
    const file = this.fileOf(key);
    const dir = path.dirname(file);
    await mkdir(dir, { recursive: true });
    const entry: ClaimEntry = {
      v: 1, state: 'posting', platform: key.platform, channel: key.channel, month: key.month,
      claimedAt: this.now().toISOString(), owner: { pid: process.pid, host: hostname(), run: this.runId },
    };
    const text = `${JSON.stringify(entry, null, 2)}\n`;
    // Two tries: the file can vanish between our EEXIST and our read (its owner's post failed and was released).
    for (let attempt = 0; attempt < 2; attempt++) {
      const created = await this.createExclusive(file, text);
      if (created) {
        await fsyncDir(dir);
        return { kind: 'claimed', key, file, entry };
      }
      const existing = await this.read(file);
      if (existing) return existing;
    }
    return { kind: 'in-flight', file, claim: entry };
  }

  /** Replaces this process's claim with the record of what was posted. */
  async complete(claim: Claim, message: PostedMessage): Promise<PostedRecord> {
    const record: PostedRecord = {
      ...claim.entry, state: 'posted', postedAt: this.now().toISOString(), message: { id: message.id, channel: message.channel },
    };
    await this.replace(claim.file, record);
    return record;
  }

  /** Gives a claim back after a failed post, so the next run tries again. Leaves anyone else's file alone. */
  async release(claim: Claim): Promise<void> {
    const current = await this.read(claim.file);
    const ours = current && current.kind !== 'posted' && current.kind !== 'unreadable' && current.claim.owner.run === this.runId;
    if (!ours) return;
    await rm(claim.file, { force: true });
    await fsyncDir(path.dirname(claim.file));
  }

  /**
   * An operator's answer for an entry in doubt (or unreadable): "posted" records it as posted without a message id;
   * "repost" removes it so the next run posts it. Refuses anything else, and returns what it found.
   */
  async resolve(key: DigestKey, as: 'posted' | 'repost'): Promise<{ done: boolean; found: EntryStatus | undefined }> {
    const found = await this.status(key);
    if (!found || (found.kind !== 'in-doubt' && found.kind !== 'unreadable')) return { done: false, found };
    if (as === 'repost') {
      await rm(found.file, { force: true });
      await fsyncDir(path.dirname(found.file));
    } else {
      const now = this.now().toISOString();
      const base = found.kind === 'in-doubt' ? found.claim : {
        v: 1 as const, platform: key.platform, channel: key.channel, month: key.month, claimedAt: now,
        owner: { pid: process.pid, host: hostname(), run: this.runId },
      };
      await this.replace(found.file, { ...base, state: 'posted', postedAt: now, message: null });
    }
    return { done: true, found };
  }

  /** When the last run finished and whether every post in it succeeded: start-up catches up from it. */
  async lastRun(): Promise<{ at: Date; ok: boolean } | undefined> {
    try {
      const parsed = lastRunSchema.safeParse(JSON.parse(await readFile(path.join(this.dir, 'last-run.json'), 'utf8')));
      return parsed.success ? { at: new Date(parsed.data.at), ok: parsed.data.ok } : undefined;
    } catch {
      return undefined;
    }
  }

  async recordRun(at: Date, ok: boolean): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await this.replace(path.join(this.dir, 'last-run.json'), { v: 1, at: at.toISOString(), ok });
  }

  private tempName(file: string): string {
    return `${file}.${this.runId}.${++this.seq}.tmp`;
  }

  /** Writes temp + fsync + rename + fsync(dir): a reader sees the old file or the new one, never a torn one. */
  private async replace(file: string, value: unknown): Promise<void> {
    const tmp = this.tempName(file);
    try {
      await writeDurable(tmp, `${JSON.stringify(value, null, 2)}\n`, 'wx');
      await rename(tmp, file);
    } finally {
      await rm(tmp, { force: true });
    }
    await fsyncDir(path.dirname(file));
  }

  /** true when this call created the file; false when it was already there. */
  private async createExclusive(file: string, text: string): Promise<boolean> {
    const tmp = this.tempName(file);
    try {
      await writeDurable(tmp, text, 'wx');
      await link(tmp, file);
      return true;
    } catch (err) {
      if (errCode(err) === 'EEXIST') return false;
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(errCode(err) ?? '')) throw err;
    } finally {
      await rm(tmp, { force: true });
    }
    // No hard links on this file system: O_EXCL still decides the winner.
    try {
      await writeDurable(file, text, 'wx');
      return true;
    } catch (err) {
      if (errCode(err) === 'EEXIST') return false;
      throw err;
    }
  }

  private async read(file: string): Promise<EntryStatus | undefined> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if (errCode(err) === 'ENOENT') return undefined;
      return { kind: 'unreadable', file, problem: String(err) };
    }
    let parsed: ReturnType<typeof entrySchema.safeParse>;
    try {
      parsed = entrySchema.safeParse(JSON.parse(text));
    } catch (err) {
      return { kind: 'unreadable', file, problem: `not valid JSON (${(err as Error).message})` };
    }
    if (!parsed.success) return { kind: 'unreadable', file, problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
    const entry = parsed.data;
    if (entry.state === 'posted') return { kind: 'posted', file, record: entry };
    return { kind: this.ownerGone(entry) ? 'in-doubt' : 'in-flight', file, claim: entry };
  }

  private ownerGone(claim: ClaimEntry): boolean {
    const age = this.now().getTime() - Date.parse(claim.claimedAt);
    if (age > this.staleAfterMs) return true;
    const { pid, host, run } = claim.owner;
    if (host !== hostname()) return false;
    if (pid === process.pid) return !liveRuns.has(run);
    return !pidAlive(pid);
  }

  private async removeOldTemp(file: string): Promise<void> {
    try {
      const info = await stat(file);
      if (this.now().getTime() - info.mtimeMs > this.staleAfterMs) await rm(file, { force: true });
    } catch {
      /* another process removed it */
    }
  }
}
