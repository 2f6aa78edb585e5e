/**
 * Test helper run as a child process (one bot instance's digest poster): claims a digest in the PostgreSQL ledger,
 * then posts it to the test's channel stand-in over HTTP and waits for an answer that never comes — the test kills
 * it with SIGKILL mid-post. Args: databaseUrl standinPort platform channel month.
 */
import { openPool } from '../../src/shared/db.js';
import { PgDigestLedger, SessionLease } from '../../src/shared/ledger.js';

const [url, port, platform, channel, month] = process.argv.slice(2);
if (!url || !port || (platform !== 'slack' && platform !== 'discord') || !channel || !month) {
  process.stderr.write('usage: post-and-die.ts <databaseUrl> <port> <slack|discord> <channel> <YYYY-MM>\n');
  process.exit(64);
}
const pool = await openPool(url, { max: 2 });
const ledger = new PgDigestLedger(pool, new SessionLease(url), url);
const claim = await ledger.claim({ platform, channel, month });
process.stdout.write(`${claim.kind}\n`);
if (claim.kind === 'claimed') {
  await fetch(`http://127.0.0.1:${port}/post`, { method: 'POST', body: JSON.stringify({ channel, key: `${platform}:${channel}:${month}` }) });
}
await new Promise(() => undefined);
