import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DigestState, type DigestKey } from '../../src/schedule/state.js';
import { runScript } from '../support/child.js';
import { removeStateDirs, tempStateDir } from './helpers.js';

afterEach(removeStateDirs);

const key: DigestKey = { platform: 'slack', channel: 'C0DIGEST', month: '2025-05' };

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.relative(dir, path.join(d.parentPath, d.name)));
}

describe('DigestState', () => {
  it('lets exactly one of many concurrent claimers have a (platform, channel, month)', async () => {
    const dir = tempStateDir();
    const results = await Promise.all(Array.from({ length: 20 }, () => new DigestState(dir).claim(key)));
    expect(results.filter((r) => r.kind === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'in-flight')).toHaveLength(19);
  });

  it('keeps the record of a post across a restart, and leaves no temp files', async () => {
    const dir = tempStateDir();
    const first = new DigestState(dir);
    const claim = await first.claim(key);
    if (claim.kind !== 'claimed') throw new Error(`expected a claim, got ${claim.kind}`);
    await first.complete(claim, { id: '1717232400.000100', channel: 'C0DIGEST' });

    const again = await new DigestState(dir).claim(key);
    expect(again.kind).toBe('posted');
    expect(again.kind === 'posted' && again.record.message?.id).toBe('1717232400.000100');
    expect(filesUnder(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('gives a claim back after a failed post, so the next try can have it', async () => {
    const dir = tempStateDir();
    const a = new DigestState(dir);
    const claim = await a.claim(key);
    if (claim.kind !== 'claimed') throw new Error(`expected a claim, got ${claim.kind}`);
    await a.release(claim);
    expect((await new DigestState(dir).claim(key)).kind).toBe('claimed');
  });

  it('holds a claim left by a process that crashed mid-post as in doubt, and lets an operator settle it', async () => {
    const dir = tempStateDir();
    const child = await runScript('test/schedule/claim-and-die.ts', [dir, key.platform, key.channel, key.month]);
    expect(child.stdout.trim()).toBe('claimed');
    expect(child.code).toBe(null); // killed

    const state = new DigestState(dir);
    expect((await state.status(key))?.kind).toBe('in-doubt');
    expect((await state.claim(key)).kind).toBe('in-doubt'); // never taken over automatically

    expect((await state.resolve(key, 'repost')).done).toBe(true);
    expect(await state.status(key)).toBeUndefined();
    expect((await state.claim(key)).kind).toBe('claimed');
  });

  it('records an in-doubt month as posted when the operator says it went out', async () => {
    const dir = tempStateDir();
    await runScript('test/schedule/claim-and-die.ts', [dir, key.platform, key.channel, key.month]);
    const state = new DigestState(dir);
    expect((await state.resolve(key, 'posted')).done).toBe(true);
    const status = await state.status(key);
    expect(status?.kind).toBe('posted');
    expect(status?.kind === 'posted' && status.record.message).toBe(null);
    // A posted digest is not "resolved" again: nothing an operator types reposts it.
    expect((await state.resolve(key, 'repost')).done).toBe(false);
  });

  it('treats a claim by another live process as in flight, and as in doubt once it is stale', async () => {
    const dir = tempStateDir();
    const file = new DigestState(dir).fileOf(key);
    mkdirSync(path.dirname(file), { recursive: true });
    const claimedAt = new Date('2025-06-01T09:00:00Z');
    writeFileSync(file, JSON.stringify({
      v: 1, state: 'posting', ...key, claimedAt: claimedAt.toISOString(), owner: { pid: process.ppid, host: hostname(), run: 'other-process' },
    }));
    const soon = new DigestState(dir, { now: () => new Date(claimedAt.getTime() + 5_000) });
    expect((await soon.status(key))?.kind).toBe('in-flight');
    const later = new DigestState(dir, { now: () => new Date(claimedAt.getTime() + 60 * 60_000) });
    expect((await later.status(key))?.kind).toBe('in-doubt');
  });

  it('holds a month whose state file is torn or edited into nonsense, rather than posting it again', async () => {
    const dir = tempStateDir();
    const state = new DigestState(dir);
    mkdirSync(path.dirname(state.fileOf(key)), { recursive: true });
    writeFileSync(state.fileOf(key), '{"v":1,"state":"pos');
    const status = await state.claim(key);
    expect(status.kind).toBe('unreadable');
    expect(readFileSync(state.fileOf(key), 'utf8')).toBe('{"v":1,"state":"pos');
  });

  it('keeps a claim whose post had an unknown outcome as in doubt, and settles it from the channel', async () => {
    const dir = tempStateDir();
    const state = new DigestState(dir);
    const claim = await state.claim(key);
    if (claim.kind !== 'claimed') throw new Error(`expected a claim, got ${claim.kind}`);
    await state.markInDoubt(claim, 'no answer within 10000 ms');
    const status = await new DigestState(dir).status(key);
    expect(status).toMatchObject({ kind: 'in-doubt', why: 'unknown-outcome', claim: { doubt: { reason: 'no answer within 10000 ms' } } });
    expect((await state.claim(key)).kind).toBe('in-doubt'); // not taken over
    if (status?.kind !== 'in-doubt') throw new Error('expected in doubt');
    expect(await state.settle(status, { id: '1717232400.000100', channel: 'C0DIGEST' })).toBe(true);
    const settled = await state.status(key);
    expect(settled?.kind === 'posted' && settled.record).toMatchObject({ message: { id: '1717232400.000100' }, settledBy: 'history' });
    expect(await state.settle(status, null)).toBe(false); // already settled: left alone
  });

  it('holds a claim dated in the future as in doubt, even when its pid is alive', async () => {
    const dir = tempStateDir();
    const file = new DigestState(dir).fileOf(key);
    mkdirSync(path.dirname(file), { recursive: true });
    const claimedAt = new Date('2025-06-01T09:00:00Z');
    writeFileSync(file, JSON.stringify({ v: 1, state: 'posting', ...key, claimedAt: claimedAt.toISOString(), owner: { pid: process.ppid, host: hostname(), run: 'other' } }));
    const before = new DigestState(dir, { now: () => new Date(claimedAt.getTime() - 2 * 60 * 60_000) });
    expect(await before.status(key)).toMatchObject({ kind: 'in-doubt', why: 'future' });
    const skewed = new DigestState(dir, { now: () => new Date(claimedAt.getTime() - 5_000) }); // within the clock skew
    expect((await skewed.status(key))?.kind).toBe('in-flight');
  });

  it('keeps channel ids from escaping the state directory', () => {
    const state = new DigestState('/srv/state');
    expect(state.fileOf({ platform: 'slack', channel: '../../etc', month: '2025-05' })).toBe('/srv/state/digests/slack/%2E%2E%2F%2E%2E%2Fetc/2025-05.json');
  });
});
