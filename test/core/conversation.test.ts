/**
 * The kernel's conversation memory and its async path: the last answer of a thread is the context of the next
 * request there, nowhere else; a command that answers later is awaited by `answer`.
 */
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { Bot } from '../../src/core/bot.js';
import { defineCommand, type CommandContext } from '../../src/core/command.js';
import { ConversationMemory } from '../../src/core/conversation.js';
import { answer, notice } from '../../src/core/reply.js';
import type { Origin } from '../../src/core/request.js';
import { DataStore } from '../../src/data/store.js';
import { z } from 'zod';
import { BUNDLED_DATA } from '../support/data-dir.js';

const withQuery = (title: string) => ({ ...answer(title, []), query: { ask: 'figure' } });

describe('ConversationMemory', () => {
  const thread = (over: Partial<Origin> = {}): Origin => ({ platform: 'slack', workspace: 'T1', channel: 'C1', thread: '100.1', ...over });

  it('keeps the last answer per thread, and none for a request outside a thread', () => {
    const memory = new ConversationMemory();
    memory.remember(thread(), withQuery('first'));
    memory.remember(thread(), withQuery('second'));
    memory.remember(thread({ thread: '200.2' }), withQuery('other thread'));
    expect(memory.previous(thread())?.title).toBe('second');
    expect(memory.previous(thread({ thread: '200.2' }))?.title).toBe('other thread');
    expect(memory.previous(thread({ thread: undefined }))).toBeUndefined();
    memory.remember(thread({ thread: undefined }), withQuery('no thread'));
    expect(memory.size).toBe(2);
  });

  it('never serves one DM from another, nor one workspace from another', () => {
    const memory = new ConversationMemory();
    memory.remember(thread({ channel: 'D-alice', thread: 'D-alice', direct: true }), withQuery('alice'));
    expect(memory.previous(thread({ channel: 'D-bob', thread: 'D-bob', direct: true }))).toBeUndefined();
    expect(memory.previous(thread({ workspace: 'T2', channel: 'D-alice', thread: 'D-alice' }))).toBeUndefined();
  });

  it('keeps the last few answers of a thread, newest first, and no more', () => {
    const memory = new ConversationMemory({ depth: 2 });
    for (const title of ['one', 'two', 'three']) memory.remember(thread(), withQuery(title));
    memory.remember(thread(), notice('Unknown name', []));
    expect(memory.recent(thread()).map((r) => r.title)).toEqual(['three', 'two']);
    expect(memory.recent(thread({ thread: '200.2' }))).toEqual([]);
  });

  it('keeps an answer, not a notice, and forgets after its time and beyond its size', () => {
    let t = 1_000_000;
    {
      const memory = new ConversationMemory({ max: 2, ttlMs: 60_000, now: () => t });
      memory.remember(thread(), withQuery('answer'));
      memory.remember(thread(), notice('Unknown name', []));
      expect(memory.previous(thread())?.title).toBe('answer');
      t += 61_000;
      expect(memory.previous(thread())).toBeUndefined();
      for (const t of ['a', 'b', 'c']) memory.remember(thread({ thread: t }), withQuery(t));
      expect(memory.size).toBe(2);
      expect(memory.previous(thread({ thread: 'a' }))).toBeUndefined();
    }
  });
});

describe('Bot.answer', () => {
  const seen: CommandContext[] = [];
  const later = defineCommand({
    name: 'later', description: 'answers after a tick', options: z.object({}), examples: [],
    run: async (_input, ctx) => {
      seen.push(ctx);
      await new Promise((resolve) => setImmediate(resolve));
      return withQuery(`later for ${ctx.origin.user}`);
    },
  });
  const failing = defineCommand({
    name: 'failing', description: 'rejects', options: z.object({}), examples: [],
    run: async () => {
      throw new Error('store down');
    },
  });

  async function bot() {
    const store = await DataStore.open(BUNDLED_DATA);
    return new Bot({ commands: [...commands, later, failing], data: () => store.current });
  }

  it('awaits a command that answers later, with who asked and the thread context', async () => {
    const b = await bot();
    const origin: Origin = { platform: 'discord', user: 'u1', channel: 'c1', thread: 't1' };
    await b.answerLine('/sales xiaomi may', origin);
    const reply = await b.answer({ kind: 'command', name: 'later', text: '', ...origin });
    expect(reply.title).toBe('later for u1');
    expect(seen.at(-1)?.previous?.title).toMatch(/Xiaomi/);
    await b.answerLine('/sales huawei may', origin);
    await b.answer({ kind: 'command', name: 'later', text: '', ...origin });
    expect(seen.at(-1)?.previous?.title).toMatch(/Huawei/);
    expect(seen.at(-1)?.earlier?.map((r) => r.title)).toEqual(['later for u1', 'Xiaomi sales, May 2025']);
    expect(seen.at(-1)?.origin.thread).toBe('t1');
  });

  it('turns a rejected command into an apology, and tells handle callers to use answer', async () => {
    const b = await bot();
    expect((await b.answer({ kind: 'command', name: 'failing', text: '', platform: 'cli' }, { requestId: 'r-1' })).kind).toBe('error');
    const synced = b.handle({ kind: 'command', name: 'later', text: '', platform: 'cli' }, { requestId: 'r-2' });
    expect(synced.kind).toBe('error');
    expect(synced.blocks).toEqual([{ type: 'text', lines: [expect.stringContaining('r-2')] }]);
  });
});
