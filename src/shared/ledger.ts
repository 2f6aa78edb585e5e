/**
 * The digest ledger in PostgreSQL, for several instances: the same rules as the file ledger
 * (src/schedule/state.ts, README "How a month is posted once"), with the row's primary key (month, platform,
 * channel) deciding the one claimant. A claim names its owner by instance run id and by the PostgreSQL session the
 * instance keeps open (`SessionLease`): when that session is gone — the process was killed, its host lost — the
 * claim is in doubt ("owner-gone") for every instance, as a dead local pid is for the file ledger.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';
import { ConfigError } from '../config.js';
import type { PostedMessage } from '../core/adapter.js';
import type { Platform } from '../core/request.js';
import type { YearMonth } from '../data/schema.js';
import type { ClaimEntry, DigestKey, DoubtReason, EntryStatus, InDoubt, LastRun, PostedRecord } from '../schedule/entry.js';
import type { Claim, DigestLedger } from '../schedule/ledger.js';
import type { Logger } from '../log.js';
import { redactUrl, type Pool } from './db.js';

/** One PostgreSQL session held open for the life of the instance: its (pid, backend_start) say the instance lives. */
export class SessionLease {
  private client: pg.Client | undefined;
  private id: { pid: number; start: string } | undefined;
  private connecting: Promise<{ pid: number; start: string }> | undefined;

  constructor(private readonly url: string, private readonly logger?: Logger) {}

  async identity(): Promise<{ pid: number; start: string }> {
    if (this.client && this.id) return this.id;
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<{ pid: number; start: string }> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'sales-bot lease' });
    client.on('error', (err) => {
      this.logger?.warn({ err: { message: err.message } }, 'digest: the lease connection failed; claims it held are now in doubt for other instances');
      if (this.client === client) this.client = undefined;
    });
    client.on('end', () => {
      if (this.client === client) this.client = undefined;
    });
    await client.connect();
    const { rows } = await client.query<{ pid: number; start: string }>(
      `SELECT pg_backend_pid() AS pid, to_char(backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS start
       FROM pg_stat_activity WHERE pid = pg_backend_pid()`,
    );
    this.client = client;
    this.id = rows[0]!;
    return this.id;
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

interface Row {
  platform: string;
  channel: string;
  month: string;
  state: 'posting' | 'posted';
  claimed_at: string;
  owner_run: string;
  owner_pid: number;
  owner_host: string;
  owner_alive: boolean;
  doubt_at: string | null;
  doubt_reason: string | null;
  posted_at: string | null;
  message_id: string | null;
  message_channel: string | null;
  settled_by: 'history' | 'operator' | null;
}

const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${col}`;
const SELECT = `SELECT platform, channel, month, state, ${ISO('claimed_at')}, owner_run, owner_pid, owner_host,
  EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = l.owner_backend AND a.backend_start = l.owner_backend_start) AS owner_alive,
  ${ISO('doubt_at')}, doubt_reason, ${ISO('posted_at')}, message_id, message_channel, settled_by
  FROM digest_ledger l`;

export interface PgDigestLedgerOptions {
  now?: () => Date;
  staleAfterMs?: number;
  clockSkewMs?: number;
}

export class PgDigestLedger implements DigestLedger {
  readonly runId = randomUUID();
  private readonly now: () => Date;
  private readonly staleAfterMs: number;
  private readonly clockSkewMs: number;

  constructor(private readonly pool: Pool, private readonly lease: SessionLease, private readonly url: string, options: PgDigestLedgerOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.staleAfterMs = options.staleAfterMs ?? 15 * 60_000;
    this.clockSkewMs = options.clockSkewMs ?? 60_000;
  }

  async check(): Promise<void> {
    try {
      await this.pool.query('SELECT 1 FROM digest_ledger LIMIT 0');
      await this.lease.identity();
    } catch (err) {
      throw new ConfigError([`DATABASE_URL: the digest ledger in ${redactUrl(this.url)} cannot be used (${(err as Error).message})`]);
    }
  }

  /** Where an entry is kept, as messages name it (the file ledger names its file). */
  where(key: DigestKey): string {
    return `digest_ledger (${key.platform}, ${key.channel}, ${key.month}) in ${redactUrl(this.url)}`;
  }

  async channel(platform: Platform, channel: string): Promise<Map<YearMonth, EntryStatus>> {
    const { rows } = await this.pool.query<Row>(`${SELECT} WHERE platform = $1 AND channel = $2 ORDER BY month`, [platform, channel]);
    return new Map(rows.map((r) => [r.month, this.statusOf(r)]));
  }

  async status(key: DigestKey): Promise<EntryStatus | undefined> {
    const row = await this.row(key);
    return row ? this.statusOf(row) : undefined;
  }

  async claim(key: DigestKey): Promise<Claim | EntryStatus> {
    const lease = await this.lease.identity();
    const entry: ClaimEntry = {
      v: 1, state: 'posting', platform: key.platform, channel: key.channel, month: key.month,
      claimedAt: this.now().toISOString(), owner: { pid: process.pid, host: hostname(), run: this.runId },
    };
    // Two tries: the row can vanish between our conflict and our read (its owner's post failed and was released).
    for (let attempt = 0; attempt < 2; attempt++) {
      const { rowCount } = await this.pool.query(
        `INSERT INTO digest_ledger (platform, channel, month, state, claimed_at, owner_run, owner_pid, owner_host, owner_backend, owner_backend_start)
         VALUES ($1, $2, $3, 'posting', $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
        [key.platform, key.channel, key.month, entry.claimedAt, this.runId, process.pid, entry.owner.host, lease.pid, lease.start],
      );
      if (rowCount === 1) return { kind: 'claimed', key, file: this.where(key), entry };
      const existing = await this.status(key);
      if (existing) return existing;
    }
    return { kind: 'in-flight', file: this.where(key), claim: entry };
  }

  async complete(claim: Claim, message: PostedMessage): Promise<PostedRecord> {
    const postedAt = this.now().toISOString();
    const { rowCount } = await this.pool.query(
      `UPDATE digest_ledger SET state = 'posted', posted_at = $6, message_id = $7, message_channel = $8, doubt_at = NULL, doubt_reason = NULL
       WHERE platform = $1 AND channel = $2 AND month = $3 AND owner_run = $4 AND claimed_at = $5`,
      [claim.key.platform, claim.key.channel, claim.key.month, this.runId, claim.entry.claimedAt, postedAt, message.id, message.channel],
    );
    if (rowCount === 0) {
      // Our claim was settled away meanwhile (in doubt too long): what went out is recorded if nobody else recorded one.
      await this.pool.query(
        `INSERT INTO digest_ledger (platform, channel, month, state, claimed_at, owner_run, owner_pid, owner_host, posted_at, message_id, message_channel)
         VALUES ($1, $2, $3, 'posted', $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
        [claim.key.platform, claim.key.channel, claim.key.month, claim.entry.claimedAt, this.runId, process.pid, claim.entry.owner.host, postedAt, message.id, message.channel],
      );
    }
    const { doubt: _d, state: _s, ...rest } = claim.entry;
    return { ...rest, state: 'posted', postedAt, message: { id: message.id, channel: message.channel } };
  }

  async release(claim: Claim): Promise<void> {
    await this.pool.query(
      `DELETE FROM digest_ledger WHERE platform = $1 AND channel = $2 AND month = $3 AND owner_run = $4 AND state = 'posting'`,
      [claim.key.platform, claim.key.channel, claim.key.month, this.runId],
    );
  }

  async markInDoubt(claim: Claim, reason: string): Promise<void> {
    const at = this.now().toISOString();
    const { rowCount } = await this.pool.query(
      `UPDATE digest_ledger SET doubt_at = $5, doubt_reason = $6 WHERE platform = $1 AND channel = $2 AND month = $3 AND owner_run = $4 AND state = 'posting'`,
      [claim.key.platform, claim.key.channel, claim.key.month, this.runId, at, reason],
    );
    if (rowCount === 1) claim.entry = { ...claim.entry, doubt: { at, reason } };
  }

  async settle(found: InDoubt, message: PostedMessage | null): Promise<boolean> {
    const { platform, channel, month } = found.claim;
    const args = [platform, channel, month, found.claim.owner.run, found.claim.claimedAt];
    const where = `platform = $1 AND channel = $2 AND month = $3 AND owner_run = $4 AND claimed_at = $5 AND state = 'posting'`;
    const { rowCount } = message === null
      ? await this.pool.query(`DELETE FROM digest_ledger WHERE ${where}`, args)
      : await this.pool.query(
        `UPDATE digest_ledger SET state = 'posted', posted_at = $6, message_id = $7, message_channel = $8, settled_by = 'history' WHERE ${where}`,
        [...args, this.now().toISOString(), message.id, message.channel],
      );
    return rowCount === 1;
  }

  async resolve(key: DigestKey, as: 'posted' | 'repost'): Promise<{ done: boolean; found: EntryStatus | undefined }> {
    const found = await this.status(key);
    if (!found || (found.kind !== 'in-doubt' && found.kind !== 'unreadable')) return { done: false, found };
    const args = [key.platform, key.channel, key.month];
    if (as === 'repost') {
      await this.pool.query('DELETE FROM digest_ledger WHERE platform = $1 AND channel = $2 AND month = $3', args);
    } else {
      await this.pool.query(
        `UPDATE digest_ledger SET state = 'posted', posted_at = $4, message_id = NULL, message_channel = NULL, settled_by = 'operator', doubt_at = NULL, doubt_reason = NULL
         WHERE platform = $1 AND channel = $2 AND month = $3`,
        [...args, this.now().toISOString()],
      );
    }
    return { done: true, found };
  }

  async lastRun(): Promise<LastRun> {
    const file = `digest_last_run in ${redactUrl(this.url)}`;
    const { rows } = await this.pool.query<{ at: Date; ok: boolean }>('SELECT at, ok FROM digest_last_run');
    const row = rows[0];
    return row ? { state: 'ok', file, at: row.at, ok: row.ok } : { state: 'missing', file };
  }

  async recordRun(at: Date, ok: boolean): Promise<void> {
    await this.pool.query('INSERT INTO digest_last_run (id, at, ok) VALUES (true, $1, $2) ON CONFLICT (id) DO UPDATE SET at = EXCLUDED.at, ok = EXCLUDED.ok', [at, ok]);
  }

  private async row(key: DigestKey): Promise<Row | undefined> {
    const { rows } = await this.pool.query<Row>(`${SELECT} WHERE platform = $1 AND channel = $2 AND month = $3`, [key.platform, key.channel, key.month]);
    return rows[0];
  }

  private statusOf(r: Row): EntryStatus {
    const file = this.where({ platform: r.platform as Platform, channel: r.channel, month: r.month });
    const base = { v: 1 as const, platform: r.platform, channel: r.channel, month: r.month, claimedAt: r.claimed_at, owner: { pid: r.owner_pid, host: r.owner_host, run: r.owner_run } };
    if (r.state === 'posted') {
      const record: PostedRecord = {
        ...base, state: 'posted', postedAt: r.posted_at ?? r.claimed_at,
        message: r.message_id !== null ? { id: r.message_id, channel: r.message_channel ?? r.channel } : null,
        ...(r.settled_by ? { settledBy: r.settled_by } : {}),
      };
      return { kind: 'posted', file, record };
    }
    const claim: ClaimEntry = { ...base, state: 'posting', ...(r.doubt_at ? { doubt: { at: r.doubt_at, reason: r.doubt_reason ?? '' } } : {}) };
    const why = this.doubtOf(claim, r.owner_alive);
    return why ? { kind: 'in-doubt', file, claim, why } : { kind: 'in-flight', file, claim };
  }

  private doubtOf(claim: ClaimEntry, ownerAlive: boolean): DoubtReason | undefined {
    if (claim.doubt) return 'unknown-outcome';
    const age = this.now().getTime() - Date.parse(claim.claimedAt);
    if (age < -this.clockSkewMs) return 'future';
    if (age > this.staleAfterMs) return 'stale';
    return ownerAlive ? undefined : 'owner-gone';
  }
}
