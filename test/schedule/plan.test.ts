import { describe, expect, it } from 'vitest';
import { planChannel } from '../../src/schedule/plan.js';
import type { EntryStatus } from '../../src/schedule/state.js';

const owner = { pid: 1, host: 'h', run: 'r' };
const posted = (month: string): EntryStatus => ({
  kind: 'posted', file: `${month}.json`,
  record: { v: 1, state: 'posted', platform: 'slack', channel: 'C1', month, claimedAt: '2025-06-01T09:00:00.000Z', postedAt: '2025-06-01T09:00:01.000Z', owner, message: { id: '1.2', channel: 'C1' } },
});
const inDoubt = (month: string): EntryStatus => ({
  kind: 'in-doubt', file: `${month}.json`, why: 'owner-gone',
  claim: { v: 1, state: 'posting', platform: 'slack', channel: 'C1', month, claimedAt: '2025-06-01T09:00:00.000Z', owner },
});
const entries = (...list: [string, EntryStatus][]) => new Map(list);

describe('planChannel', () => {
  it('posts only the newest month on a channel with no digest yet', () => {
    expect(planChannel(['2025-03', '2025-04', '2025-05'], entries())).toMatchObject({ post: ['2025-05'], firstRun: true });
  });

  it('posts every month since the last one, oldest first, after downtime', () => {
    const plan = planChannel(['2025-07', '2025-05', '2025-06', '2025-08'], entries(['2025-05', posted('2025-05')]));
    expect(plan.post).toEqual(['2025-06', '2025-07', '2025-08']);
    expect(plan.firstRun).toBe(false);
  });

  it('posts a month whose figures arrived late, after a later month went out', () => {
    // June's figures came after July's digest was posted: June is still due.
    const plan = planChannel(['2025-05', '2025-06', '2025-07'], entries(['2025-05', posted('2025-05')], ['2025-07', posted('2025-07')]));
    expect(plan.post).toEqual(['2025-06']);
  });

  it('never posts history from before the channel’s first digest', () => {
    const plan = planChannel(['2025-01', '2025-02', '2025-05'], entries(['2025-05', posted('2025-05')]));
    expect(plan.post).toEqual([]);
    expect(plan.reason).toMatch(/since this channel's first digest \(May 2025\)/);
  });

  it('holds a month in doubt without holding up the later ones', () => {
    const plan = planChannel(['2025-05', '2025-06', '2025-07'], entries(['2025-05', posted('2025-05')], ['2025-06', inDoubt('2025-06')]));
    expect(plan.post).toEqual(['2025-07']);
    expect(plan.held.map((h) => [h.month, h.status.kind])).toEqual([['2025-06', 'in-doubt']]);
  });

  it('says why when there is nothing to post', () => {
    expect(planChannel([], entries()).reason).toBe('no month has sales figures yet');
    const plan = planChannel(['2025-04', '2025-05'], entries(['2025-05', posted('2025-05')]));
    expect(plan).toMatchObject({ post: [] });
    expect(plan.reason).toMatch(/newest: May 2025/);
  });
});
