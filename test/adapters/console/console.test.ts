import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConsoleAdapter, GREETING } from '../../../src/adapters/console/console.js';
import { displayWidth, renderConsole, wrapLine } from '../../../src/adapters/console/render.js';
import type { Bot } from '../../../src/core/bot.js';
import { answer } from '../../../src/core/reply.js';
import { makeBot } from '../../support/bot.js';

let bot: Bot;
beforeAll(async () => {
  bot = await makeBot();
});

/** Types `lines` into a console adapter; resolves with what it printed once it has finished. */
async function session(lines: string[], options: { interactive?: boolean; width?: number; keepOpen?: boolean } = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (d: Buffer) => (text += d.toString()));
  const adapter = new ConsoleAdapter({ bot, input, output, interactive: options.interactive ?? false, ...(options.width ? { width: options.width } : {}) });
  await adapter.start();
  input.write(lines.map((l) => `${l}\n`).join(''));
  if (!options.keepOpen) input.end();
  const ended = await Promise.race([adapter.done.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2000))]);
  if (!ended) await adapter.stop();
  return { text, ended };
}

describe('leaving the console', () => {
  it.each(['quit', 'exit', '/quit', '/exit', 'bye', 'q', 'Quit', 'BYE!', '  exit  '])('"%s" ends the session, and nothing after it is answered', async (word) => {
    const { text, ended } = await session(['/sales xiaomi april', word, '/partners huawei'], { keepOpen: true });
    expect(ended).toBe(true);
    expect(text).toContain('28,585');
    expect(text).not.toContain('Maextro');
    expect(text).not.toContain("I don't know");
  });

  it('a sentence that merely contains a quit word is still a question', async () => {
    const { text } = await session(['how do I quit smoking']);
    expect(text.length).toBeGreaterThan(0);
  });

  it('the greeting says how to leave', async () => {
    const { text } = await session([], { interactive: true });
    expect(GREETING).toMatch(/quit/);
    expect(text).toContain(GREETING);
    expect(text).toContain('Ctrl-D');
  });
});

describe('width', () => {
  it('/help fits 80 columns: the wide table becomes one entry per command', async () => {
    const { text } = await session(['/help']);
    const lines = text.split('\n');
    expect(Math.max(...lines.map(displayWidth))).toBeLessThanOrEqual(80);
    expect(lines).toContain('/sales <company|alliance|brand> [month]');
    expect(text).toContain('  Example: /sales xiaomi april');
    expect(text).toMatch(/What it does: Monthly vehicle sales/);
  });

  it('every reply to the commands in /help fits 80 columns, Chinese names counted as two columns', async () => {
    const { text } = await session(['/sales xiaomi', '/compare xiaomi huawei april', '/partners huawei', '/company seres', '/timeline 2025', '/digest may', '/help sales', '小米4月卖了多少']);
    for (const line of text.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
  });

  it('a wide terminal keeps the table', async () => {
    const { text } = await session(['/help'], { width: 240 });
    expect(text).toMatch(/Command\s+What it does\s+Example/);
  });

  it('a narrow table stays a table; a two-column one too wide becomes "label: value" lines', () => {
    const narrow = renderConsole(answer('t', [{ type: 'table', columns: ['Month', 'Units'], rows: [['April 2025', '28,585']] }]), 80);
    expect(narrow).toMatch(/Month\s+Units/);
    const wide = renderConsole(answer('t', [{ type: 'table', columns: ['Name', 'Note'], rows: [['Xiaomi', 'a long note '.repeat(9)]] }]), 80);
    expect(wide).toContain('Xiaomi: a long note a long note');
    expect(Math.max(...wide.split('\n').map(displayWidth))).toBeLessThanOrEqual(80);
  });

  it('wraps words, cuts only a word longer than the line, and indents continuation lines', () => {
    expect(wrapLine('aaa bbb ccc', 7, 2)).toEqual(['aaa bbb', '  ccc']);
    expect(wrapLine('x'.repeat(12), 5)).toEqual(['xxxxx', 'xxxxx', 'xx']);
    expect(wrapLine('short', 80)).toEqual(['short']);
  });
});

describe('platform words', () => {
  it('a trailing "public" (Slack: post in the channel) is ignored, not read as a name', async () => {
    const { text } = await session(['/sales xiaomi april public']);
    expect(text).toContain('Xiaomi sold 28,585 vehicles in April 2025.');
    expect(text).not.toContain("I don't know");
  });

  it('"public" inside a line is left alone', async () => {
    const { text } = await session(['/company public']);
    expect(text).not.toContain('28,585');
  });
});

describe('the sources line', () => {
  it('has no parentheses inside parentheses', async () => {
    const { text } = await session(['/sales xiaomi april'], { width: 400 });
    const sources = text.split('\n').find((l) => l.startsWith('Sources: '))!;
    expect(sources).toContain('China Passenger Car Association (CPCA) monthly figures, as cited by Caixin Global');
    expect(sources).not.toMatch(/\([^()]*\(/);
  });
});
