/**
 * The console is one conversation: typed through the real console adapter, a question follows up on the answer
 * before it, and a follow-up typed first says what is missing. `npm run ask --json` reading lines from stdin is one
 * conversation too.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../../../src/adapters/console/console.js';
import { makeBot } from '../../support/bot.js';
import { runScript } from '../../support/child.js';

/** Types `lines` into a console adapter on a bot of its own (one process, one conversation); resolves with what it printed. */
async function session(lines: string[]): Promise<string> {
  const bot = await makeBot();
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (d: Buffer) => (text += d.toString()));
  const adapter = new ConsoleAdapter({ bot, input, output, interactive: false, width: 100 });
  await adapter.start();
  input.end(lines.map((l) => `${l}\n`).join(''));
  await adapter.done;
  return text;
}

/** The printed answers, cut at each expected title (which must appear in this order). */
function answersTitled(text: string, titles: string[]): string[] {
  const at: number[] = [];
  for (const title of titles) {
    const i = text.indexOf(`${title}\n`, (at.at(-1) ?? -1) + 1);
    expect(i, title).toBeGreaterThanOrEqual(0);
    at.push(i);
  }
  return at.map((start, k) => text.slice(start, at[k + 1] ?? text.length));
}

describe('the console keeps the last answer as the context', () => {
  it('"/sales xiaomi may", "and in april?", "what about huawei?", "compare them", "as a chart"', async () => {
    const text = await session(['/sales xiaomi may', 'and in april?', 'what about huawei?', 'compare them', 'as a chart']);
    const answers = answersTitled(text, [
      'Xiaomi sales, May 2025',
      'Xiaomi sales, April 2025',
      'Huawei sales, April 2025',
      'Xiaomi vs Huawei (HIMA), April 2025',
      'Xiaomi vs Huawei (HIMA), April 2025',
    ]);
    expect(answers[1]).toContain('28,585');
    expect(answers[2]).toContain('27,555');
    expect(answers[3]).toContain('Xiaomi is ahead by 1,030');
    // The chart, drawn in the terminal as text bars.
    expect(answers[4]).toMatch(/Xiaomi +█+ +28,585/);
  });

  it('a follow-up typed first says what is missing, then works once there is an answer', async () => {
    const text = await session(['and in april?', '/sales huawei may', 'and in april?']);
    const answers = answersTitled(text, ['In April 2025 — of which seller?', 'Huawei sales, May 2025', 'Huawei sales, April 2025']);
    expect(answers[0]).toContain('/sales xiaomi april 2025');
    expect(answers[2]).toContain('27,555');
  });
});

describe('npm run ask -- --json: the lines of one run are one conversation', () => {
  it('follows up line by line, and a new run starts afresh', async () => {
    const r = await runScript('src/cli/ask.ts', ['--json'], { input: '/sales xiaomi may\nand in april?\nwhat about huawei?\ncompare them\n' });
    expect(r.code).toBe(0);
    const docs = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { title: string; figures?: { seller: string; month: string; units: number; qualifier: string }[] });
    expect(docs.map((d) => d.title)).toEqual(['Xiaomi sales, May 2025', 'Xiaomi sales, April 2025', 'Huawei sales, April 2025', 'Xiaomi vs Huawei (HIMA), April 2025']);
    expect(docs[3]!.figures?.map((f) => `${f.seller} ${f.units} ${f.qualifier}`)).toEqual(['xiaomi 28585 exact', 'hima 27555 exact']);
    const fresh = await runScript('src/cli/ask.ts', ['and in april?']);
    expect(fresh.stdout).toMatch(/^In April 2025 — of which seller\?/);
  });
});
