import { describe, expect, it } from 'vitest';
import { Bot } from '../../src/core/bot.js';
import { RateLimiter } from '../../src/core/rate-limit.js';
import type { Request } from '../../src/core/request.js';
import { makeBot } from '../support/bot.js';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('RateLimiter', () => {
  it('allows the limit, warns once, then stays silent until the window passes', () => {
    const c = clock();
    const rl = new RateLimiter({ limit: 3, now: c.now });
    expect([1, 2, 3].map(() => rl.check('u').allowed)).toEqual([true, true, true]);
    expect(rl.check('u')).toEqual({ allowed: false, warn: true, retryInSeconds: 60 });
    c.advance(15_500);
    expect(rl.check('u')).toEqual({ allowed: false, warn: false, retryInSeconds: 45 });
    expect(rl.check('someone else').allowed).toBe(true);
    c.advance(45_000);
    expect(rl.check('u').allowed).toBe(true);
  });

  it('keeps memory bounded with many distinct users', () => {
    const c = clock();
    const rl = new RateLimiter({ limit: 1, maxUsers: 1000, now: c.now });
    for (let i = 0; i < 100_000; i++) rl.check(`user-${i}`);
    expect(rl.trackedUsers).toBeLessThanOrEqual(1000);
    // The newest users are still limited.
    expect(rl.check('user-99999').allowed).toBe(false);
  });
});

describe('the bot applies the limit and the allow-lists', () => {
  const slack = (user: string, team = 'T1'): Request => ({ kind: 'command', name: 'sales', text: 'xiaomi april', platform: 'slack', user, workspace: team });

  it('answers 20 a minute per user, then one "slow down", then nothing', async () => {
    const base = await makeBot();
    const c = clock();
    const bot = new Bot({ commands: base.commands, data: () => base.data, rateLimiter: new RateLimiter({ limit: 20, now: c.now }) });
    const replies = Array.from({ length: 23 }, () => bot.handle(slack('U1')));
    expect(replies.slice(0, 20).every((r) => r.kind === 'answer')).toBe(true);
    expect(replies[20]).toMatchObject({ title: 'Slow down a little' });
    expect(replies[20]!.silent).toBeFalsy();
    expect(replies[21]!.silent).toBe(true);
    expect(replies[22]!.silent).toBe(true);
    expect(bot.handle(slack('U2')).kind).toBe('answer');
    // The console and the scheduler are never limited.
    expect(bot.handle({ kind: 'command', name: 'sales', text: 'xiaomi', platform: 'console', user: 'U1' }).kind).toBe('answer');
    c.advance(60_000);
    expect(bot.handle(slack('U1')).kind).toBe('answer');
  });

  it('politely refuses workspaces outside an allow-list and reports it', async () => {
    const base = await makeBot();
    const events: string[] = [];
    const bot = new Bot({
      commands: base.commands, data: () => base.data,
      allowedWorkspaces: { slack: ['T1'], discord: [] },
      onHandled: (e) => events.push(`${e.platform}:${e.workspace}:${e.outcome}`),
    });
    expect(bot.handle(slack('U1', 'T1')).kind).toBe('answer');
    const refused = bot.handle(slack('U1', 'T9'));
    expect(refused.title).toBe('Sorry, this bot is not enabled here');
    expect(JSON.stringify(refused)).not.toContain('28,585');
    expect(bot.handle({ kind: 'command', name: 'help', text: '', platform: 'discord', workspace: 'G1' }).title).not.toContain('not enabled');
    expect(events).toEqual(['slack:T1:answer', 'slack:T9:refused', 'discord:G1:answer']);
  });
});
