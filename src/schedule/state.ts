/**
 * The digest ledger: what was posted where, in `STATE_DIR/digests/<platform>/<channel>/<YYYY-MM>.json`, one file per
 * (platform, channel, month). The file is created exclusively as a claim before posting and replaced atomically by
 * the record after; a post with an unknown outcome leaves the claim marked in doubt. The scheme and its guarantees
 * are in README.md ("Monthly digest" → "How a month is posted once"); the file primitives are in ./durable.ts.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../config.js';
import type { PostedMessage } from '../core/adapter.js';
import type { Platform } from '../core/request.js';
import type { YearMonth } from '../data/schema.js';
import {
  encodeSegment, entrySchema, lastRunSchema, type ClaimEntry, type DigestKey, type DoubtReason, type EntryStatus, type InDoubt, type LastRun,
  type PostedRecord,
} from './entry.js';
import { createExclusive, errCode, fsyncDir, pidAlive, removeDurable, removeOldTemp, replaceDurable, writeDurable } from './durable.js';
import type { Claim, DigestLedger } from './ledger.js';

export {
  formatKey, parseKey, type ClaimEntry, type DigestKey, type DoubtReason, type EntryStatus, type InDoubt, type LastRun, type PostedRecord,
} from './entry.js';

export type { Claim, DigestLedger } from './ledger.js';

export interface DigestStateOptions {
  now?: () => Date;
  /** A claim older than this is in doubt even if its pid looks alive (pids are reused, e.g. pid 1 in a container). */
  staleAfterMs?: number;
  /** A claim dated further ahead than this is in doubt ("future"). Default 1 minute. */
  clockSkewMs?: number;
}

const MONTH_FILE = /^(\d{4}-\d{2})\.json$/;

/** The DigestState instances alive in this process: a claim with our pid but another id is from an earlier process. */
const liveRuns = new Set<string>();

export class DigestState implements DigestLedger {
  /** Tells this process's claims from an earlier process that had the same pid. */
  readonly runId = randomUUID();
  readonly dir: string;
  private readonly now: () => Date;
  private readonly staleAfterMs: number;
  private readonly clockSkewMs: number;
  private seq = 0;

  constructor(stateDir: string, options: DigestStateOptions = {}) {
    this.dir = path.resolve(stateDir, 'digests');
    this.now = options.now ?? (() => new Date());
    this.staleAfterMs = options.staleAfterMs ?? 15 * 60_000;
    this.clockSkewMs = options.clockSkewMs ?? 60_000;
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
        await removeOldTemp(path.join(dir, name), this.now().getTime(), this.staleAfterMs);
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
      if (await createExclusive(file, this.tempName(file), text)) {
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
      ...withoutDoubt(claim.entry), state: 'posted', postedAt: this.now().toISOString(), message: { id: message.id, channel: message.channel },
    };
    await replaceDurable(claim.file, this.tempName(claim.file), record);
    return record;
  }

  /** Gives a claim back after a post that certainly failed, so the next run tries again. Leaves anyone else's file alone. */
  async release(claim: Claim): Promise<void> {
    if (await this.stillOurs(claim)) await removeDurable(claim.file);
  }

  /** Keeps this process's claim, marked in doubt: the platform may have the message. Never posted again blindly. */
  async markInDoubt(claim: Claim, reason: string): Promise<void> {
    if (!(await this.stillOurs(claim))) return;
    const entry: ClaimEntry = { ...claim.entry, doubt: { at: this.now().toISOString(), reason } };
    claim.entry = entry;
    await replaceDurable(claim.file, this.tempName(claim.file), entry);
  }

  /**
   * Settles an entry in doubt from evidence in the channel: `message` found there is recorded as posted; null
   * (certainly not there) removes the claim so the month can be posted. Does nothing (false) when the file
   * changed since `found` was read, e.g. another process settled it first.
   */
  async settle(found: InDoubt, message: PostedMessage | null): Promise<boolean> {
    const current = await this.read(found.file);
    if (current?.kind !== 'in-doubt' || current.claim.owner.run !== found.claim.owner.run || current.claim.claimedAt !== found.claim.claimedAt) return false;
    if (message === null) {
      await removeDurable(found.file);
    } else {
      await replaceDurable(found.file, this.tempName(found.file), {
        ...withoutDoubt(found.claim), state: 'posted', postedAt: this.now().toISOString(),
        message: { id: message.id, channel: message.channel }, settledBy: 'history',
      } satisfies PostedRecord);
    }
    return true;
  }

  /**
   * An operator's answer for an entry in doubt (or unreadable): "posted" records it as posted without a message id;
   * "repost" removes it so the next run posts it. Refuses anything else, and returns what it found.
   */
  async resolve(key: DigestKey, as: 'posted' | 'repost'): Promise<{ done: boolean; found: EntryStatus | undefined }> {
    const found = await this.status(key);
    if (!found || (found.kind !== 'in-doubt' && found.kind !== 'unreadable')) return { done: false, found };
    if (as === 'repost') {
      await removeDurable(found.file);
    } else {
      const now = this.now().toISOString();
      const base = found.kind === 'in-doubt' ? withoutDoubt(found.claim) : {
        v: 1 as const, platform: key.platform, channel: key.channel, month: key.month, claimedAt: now,
        owner: { pid: process.pid, host: hostname(), run: this.runId },
      };
      await replaceDurable(found.file, this.tempName(found.file), { ...base, state: 'posted', postedAt: now, message: null, settledBy: 'operator' } satisfies PostedRecord);
    }
    return { done: true, found };
  }

  get lastRunFile(): string {
    return path.join(this.dir, 'last-run.json');
  }

  /** When the last run finished and whether every post in it succeeded (for operators; catch-up reads the ledger). */
  async lastRun(): Promise<LastRun> {
    const file = this.lastRunFile;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if (errCode(err) === 'ENOENT') return { state: 'missing', file };
      return { state: 'corrupt', file, problem: String(err) };
    }
    try {
      const parsed = lastRunSchema.safeParse(JSON.parse(text));
      if (!parsed.success) return { state: 'corrupt', file, problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
      return { state: 'ok', file, at: new Date(parsed.data.at), ok: parsed.data.ok };
    } catch (err) {
      return { state: 'corrupt', file, problem: `not valid JSON (${(err as Error).message})` };
    }
  }

  async recordRun(at: Date, ok: boolean): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await replaceDurable(this.lastRunFile, this.tempName(this.lastRunFile), { v: 1, at: at.toISOString(), ok });
  }

  private tempName(file: string): string {
    return `${file}.${this.runId}.${++this.seq}.tmp`;
  }

  private async stillOurs(claim: Claim): Promise<boolean> {
    const current = await this.read(claim.file);
    return Boolean(current && current.kind !== 'posted' && current.kind !== 'unreadable' && current.claim.owner.run === this.runId);
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
    const why = this.doubtOf(entry);
    return why ? { kind: 'in-doubt', file, claim: entry, why } : { kind: 'in-flight', file, claim: entry };
  }

  private doubtOf(claim: ClaimEntry): DoubtReason | undefined {
    if (claim.doubt) return 'unknown-outcome';
    const age = this.now().getTime() - Date.parse(claim.claimedAt);
    if (age < -this.clockSkewMs) return 'future';
    if (age > this.staleAfterMs) return 'stale';
    const { pid, host, run } = claim.owner;
    if (host !== hostname()) return undefined;
    if (pid === process.pid) return liveRuns.has(run) ? undefined : 'owner-gone';
    return pidAlive(pid) ? undefined : 'owner-gone';
  }
}

function withoutDoubt(entry: ClaimEntry): Omit<ClaimEntry, 'doubt' | 'state'> {
  const { doubt: _doubt, state: _state, ...rest } = entry;
  return rest;
}
