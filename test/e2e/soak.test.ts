/**
 * A bounded soak (not timed): 20,000 signed `/sales` commands over loopback against the running Slack app. Every one
 * must be answered correctly, and the heap after the run must stay within 10% of the heap after warm-up.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackStandin, signedSlashCommand } from '../support/slack-standin.js';
import { LogCapture, makeSlackBot, startAdapter, SIGNING_SECRET, type Started } from '../adapters/slack/harness.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const TOTAL = 20_000;
const WARM_UP = 2_000;
const CONCURRENCY = 16;
const QUERIES: [string, string][] = [
  ['xiaomi april', '28,585'], ['huawei may', '44,454'], ['xiaomi may', 'over 28,000'], ['hima 2025-04', '27,555'], ['小米 4月', '28,585'],
];

let standin: SlackStandin;
let started: Started;
beforeAll(async () => {
  standin = await SlackStandin.start();
    // Logs are not kept in memory here: the heap must show the app, not the test's log capture.
  const quiet = new LogCapture('silent');
  started = await startAdapter(standin, await makeSlackBot(quiet), { LOG_LEVEL: 'silent' }, quiet);
});
afterAll(async () => {
  await started?.adapter.stop();
  await standin?.close();
});

/** Sends `count` commands, `CONCURRENCY` at a time, from many users; returns how many were answered wrongly. */
async function send(count: number, offset: number): Promise<number> {
  let next = 0;
  let wrong = 0;
  const worker = async () => {
    while (next < count) {
      const i = offset + next++;
      const [text, expected] = QUERIES[i % QUERIES.length]!;
      const r = await signedSlashCommand(started.baseUrl, SIGNING_SECRET, { command: '/sales', text, user_id: `U${i % 5000}` });
      if (r.status !== 200 || !JSON.stringify(r.body).includes(expected)) wrong++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return wrong;
}

function settledHeap(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

describe('soak', () => {
  it(`answers ${TOTAL.toLocaleString('en-US')} signed commands correctly with a flat heap`, async () => {
    expect(await send(WARM_UP, 0)).toBe(0);
    const afterWarmUp = settledHeap();
    const started_ = Date.now();
    expect(await send(TOTAL, WARM_UP)).toBe(0);
    const seconds = (Date.now() - started_) / 1000;
    const afterRun = settledHeap();
    const growth = (afterRun - afterWarmUp) / afterWarmUp;
    console.log(`soak: ${TOTAL} commands in ${seconds.toFixed(1)} s (${Math.round(TOTAL / seconds)}/s); heap after warm-up ${(afterWarmUp / 2 ** 20).toFixed(1)} MiB, after run ${(afterRun / 2 ** 20).toFixed(1)} MiB (${(growth * 100).toFixed(1)}%)`);
    expect(growth).toBeLessThan(0.1);
  }, 240_000);
});
