/**
 * The guards as units (with an injected clock) and as the bot composes them: what a refused or
 * over-eager user gets back, and what the operator's log gets.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { Bot } from '../../src/core/bot.js';
import { allowListGuard, rateLimitGuard, rateLimitKey, workspaceAllowed } from '../../src/core/guards.js';
import { RateLimiter } from '../../src/core/rate-limit.js';
import type { Request } from '../../src/core/request.js';
import { DataStore } from '../../src/data/store.js';
import { createLogger } from '../../src/log.js';
import { BUNDLED_DATA } from '../support/data-dir.js';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

interface LogLine {
  level: number;
  msg: string;
  workspace?: string;
}

function capture() {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as LogLine);
      done();
    },
  });
  return { lines, logger: createLogger('info', sink) };
}

const discord = (user: string, guild?: string): Request => ({ kind: 'command', name: 'sales', text: 'xiaomi april', platform: 'discord', user, ...(guild ? { workspace: guild } : {}) });
const slack = (user: string, team: string): Request => ({ kind: 'command', name: 'sales', text: 'xiaomi april', platform: 'slack', user, workspace: team });

async function realBot(options: Partial<ConstructorParameters<typeof Bot>[0]> = {}): Promise<Bot> {
  const store = await DataStore.open(BUNDLED_DATA);
  return new Bot({ commands, data: () => store.current, ...options });
}

describe('workspaceAllowed', () => {
  it('allows everyone without a list; with one, only the listed workspaces (not a DM, which has none)', () => {
    expect(workspaceAllowed(undefined, 'G1')).toBe(true);
    expect(workspaceAllowed([], undefined)).toBe(true);
    expect(workspaceAllowed(['G1'], 'G1')).toBe(true);
    expect(workspaceAllowed(['G1'], 'G2')).toBe(false);
    expect(workspaceAllowed(['G1'], undefined)).toBe(false);
    expect(workspaceAllowed(['G1'], '')).toBe(false);
  });
});

describe('allowListGuard', () => {
  it('tells a refused user once per window, then refuses silently; the next window tells again', () => {
    const c = clock();
    const guard = allowListGuard({ discord: ['G1'] }, undefined, { now: c.now });
    const replies = Array.from({ length: 5 }, () => guard(discord('U1', 'G9')));
    expect(replies.map((r) => r?.outcome)).toEqual(Array(5).fill('refused'));
    expect(replies[0]!.reply).toMatchObject({ title: 'Sorry, this bot is not enabled here' });
    expect(replies[0]!.reply.silent).toBeFalsy();
    expect(replies.slice(1).every((r) => r!.reply.silent === true)).toBe(true);
    // Another user in the same guild is told once too.
    expect(guard(discord('U2', 'G9'))!.reply.silent).toBeFalsy();
    // An allowed guild is untouched, and so is another platform without a list.
    expect(guard(discord('U1', 'G1'))).toBeUndefined();
    expect(guard(slack('U1', 'T1'))).toBeUndefined();
    c.advance(60_000);
    expect(guard(discord('U1', 'G9'))!.reply.silent).toBeFalsy();
  });
});

describe('the bot refuses a workspace outside the allow-list', () => {
  it('100 mentions from a refused guild: one notice, 99 silent refusals, one info line and no error line', async () => {
    const { lines, logger } = capture();
    const bot = await realBot({ allowedWorkspaces: { discord: ['G1'] }, logger });
    const replies = Array.from({ length: 100 }, () => bot.handleLine('who sold more in may?', { platform: 'discord', user: 'U1', workspace: 'G9' }));
    expect(replies.filter((r) => !r.silent)).toHaveLength(1);
    expect(replies[0]!.title).toBe('Sorry, this bot is not enabled here');
    expect(JSON.stringify(replies)).not.toContain('44,454'); // nothing of the answer leaks
    // Other users of the refused guild are each told once, but the guild is logged once in the window.
    bot.handleLine('hi', { platform: 'discord', user: 'U2', workspace: 'G9' });
    const refusalLines = lines.filter((l) => /not allowed/.test(l.msg));
    expect(refusalLines).toHaveLength(1);
    expect(refusalLines[0]).toMatchObject({ level: 30, workspace: 'G9' });
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    // The allowed guild is answered as before.
    expect(bot.handle(discord('U1', 'G1')).kind).toBe('answer');
  });
});

describe('the rate limit counts per person on a platform', () => {
  it('keys by platform and user only', () => {
    expect(rateLimitKey({ platform: 'discord', user: 'U1' })).toBe('discord:U1');
    expect(rateLimitKey(discord('U1', 'G1'))).toBe(rateLimitKey(discord('U1')));
    expect(rateLimitKey(slack('U1', 'T1'))).not.toBe(rateLimitKey(discord('U1', 'T1')));
  });

  it('a Discord user gets 20 answers a minute in all, not 20 per guild and 20 more by DM', async () => {
    const c = clock();
    const bot = await realBot({ rateLimiter: new RateLimiter({ limit: 20, now: c.now }) });
    const inGuild = Array.from({ length: 20 }, () => bot.handle(discord('U1', 'G1')));
    const inDm = bot.handle(discord('U1'));
    const inOtherGuild = bot.handle(discord('U1', 'G2'));
    expect(inGuild.every((r) => r.kind === 'answer')).toBe(true);
    expect(inDm).toMatchObject({ title: 'Slow down a little' });
    expect(inDm.silent).toBeFalsy();
    expect(inOtherGuild.silent).toBe(true);
    // Slack's limit is the same rule: one count for a user across teams.
    const guard = rateLimitGuard(new RateLimiter({ limit: 1, now: c.now }));
    expect(guard(slack('U1', 'T1'))).toBeUndefined();
    expect(guard(slack('U1', 'T2'))?.outcome).toBe('rate_limited');
    expect(guard(discord('U1', 'T1'))).toBeUndefined(); // another platform, another person
  });
});
