/**
 * Shared mode (DATABASE_URL set): what several instances share through PostgreSQL. `openShared` connects, migrates
 * and writes the dataset's head revision locally; main wires the rest (see README "Run several instances").
 */
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { DatabaseDataset } from './dataset.js';
import { migrate, openPool, redactUrl, type Pool } from './db.js';
import { PgDigestLedger, SessionLease } from './ledger.js';
import { SharedEventIds } from './dedup.js';
import { PgInstallations } from './installations.js';
import { SharedRateLimiter } from './rate-limit.js';
import { BossTrigger } from './schedule.js';

export interface SharedMode {
  url: string;
  pool: Pool;
  dataset: DatabaseDataset;
  lease: SessionLease;
  ledger: PgDigestLedger;
  trigger: BossTrigger;
  rateLimiter: SharedRateLimiter;
  eventIds: SharedEventIds;
  /** Slack for many workspaces: each workspace's installation (bot token, digest channel). */
  installations: PgInstallations;
  close(): Promise<void>;
}

export async function openShared(config: Pick<Config, 'DATABASE_URL' | 'DIGEST_SCHEDULE' | 'DIGEST_TIMEZONE' | 'RATE_LIMIT_PER_MINUTE'>, logger?: Logger): Promise<SharedMode> {
  const url = config.DATABASE_URL;
  if (!url) throw new Error('openShared needs DATABASE_URL');
  const pool = await openPool(url, { ...(logger ? { logger } : {}) });
  try {
    await migrate(pool, logger);
    const dataset = new DatabaseDataset({ pool, url, ...(logger ? { logger } : {}) });
    await dataset.prepare();
    const lease = new SessionLease(url, logger);
    const ledger = new PgDigestLedger(pool, lease, url);
    const trigger = new BossTrigger({ url, schedule: config.DIGEST_SCHEDULE, timezone: config.DIGEST_TIMEZONE, ...(logger ? { logger } : {}) });
    logger?.info({ database: redactUrl(url), revision: dataset.revision?.revision }, 'shared mode: PostgreSQL');
    return {
      url, pool, dataset, lease, ledger, trigger,
      rateLimiter: new SharedRateLimiter({ pool, limit: config.RATE_LIMIT_PER_MINUTE }),
      eventIds: new SharedEventIds(pool),
      installations: new PgInstallations(pool),
      async close() {
        await Promise.allSettled([dataset.stop(), trigger.stop(), lease.close()]);
        await pool.end().catch(() => undefined);
      },
    };
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
}
