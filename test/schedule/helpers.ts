/** Shared pieces of the digest scheduler tests: a recording platform, captured logs, data and state dirs. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { createApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { PostedMessage, Poster } from '../../src/core/adapter.js';
import type { Reply } from '../../src/core/reply.js';
import type { Platform } from '../../src/core/request.js';
import { createLogger, type Logger } from '../../src/log.js';
import { createDigestScheduler, type DigestSchedulerOptions } from '../../src/schedule/index.js';
import type { RunReport } from '../../src/schedule/run.js';
import { dataDirWith } from '../support/data-dir.js';

export interface Post {
  platform: Platform;
  channel: string;
  title: string;
  /** The (possibly fake) clock when the platform received it. */
  at: string;
}

/**
 * A stand-in for a chat platform at the Poster boundary: records what reaches it, fails on request.
 * Several posters can share one `log` to see the order across processes/schedulers.
 */
export class RecordingPoster implements Poster {
  private failures: Error[] = [];
  private n = 0;

  /**
   * `delayMs`: how long the platform takes to answer (real time), so runs racing each other overlap;
   * `spans`: where to note when each post was in flight, to check that a channel never has two at once.
   */
  constructor(
    readonly platform: Platform,
    readonly log: Post[] = [],
    private readonly options: { delayMs?: number; spans?: { channel: string; began: number; ended: number }[] } = {},
  ) {}

  /** The next `times` posts throw, as a platform API error would. */
  failNext(times = 1, message = 'channel_not_found'): void {
    for (let i = 0; i < times; i++) this.failures.push(new Error(`An API error occurred: ${message}`));
  }

  async post(channel: string, reply: Reply): Promise<PostedMessage> {
    const began = performance.now();
    // Yield to the event loop as a network call would, so concurrent runs interleave.
    const delay = this.options.delayMs ?? 0;
    await new Promise((resolve) => (delay > 0 ? setTimeout(resolve, delay) : setImmediate(resolve)));
    this.options.spans?.push({ channel: `${this.platform}:${channel}`, began, ended: performance.now() });
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.log.push({ platform: this.platform, channel, title: reply.title, at: new Date().toISOString() });
    return { id: `${this.platform}-${++this.n}`, channel };
  }

  titles(channel?: string): string[] {
    return this.log.filter((p) => p.platform === this.platform && (channel === undefined || p.channel === channel)).map((p) => p.title);
  }
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A real pino logger whose lines the test can read. */
export function captureLogger(): { logger: Logger; lines: LogLine[]; text: () => string } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: createLogger('debug', stream), lines, text: () => lines.map((l) => l.msg).join('\n') };
}

const dirs: string[] = [];

export function tempStateDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'salesbot-state-'));
  dirs.push(dir);
  return dir;
}

export function removeStateDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Figures for two sellers in `month`, with a source the bundled data already has. */
export function monthFigures(month: string, xiaomi: number, hima: number): Record<string, unknown>[] {
  return [
    { seller: 'xiaomi', month, units: xiaomi, qualifier: 'exact', sources: ['cpca'] },
    { seller: 'hima', month, units: hima, qualifier: 'exact', sources: ['cpca'] },
  ];
}

/** The bundled data (April and May 2025) plus the given extra months. */
export function dataDirWithMonths(...months: string[]): string {
  return dataDirWith({ 'sales.json': (sales) => [...sales, ...months.flatMap((m, i) => monthFigures(m, 30_000 + i * 1000, 40_000 + i * 500))] });
}

export interface Harness {
  scheduler: ReturnType<typeof createDigestScheduler>;
  /** Resolves with the report of the next run that finishes. */
  nextRun: () => Promise<RunReport>;
  logs: ReturnType<typeof captureLogger>;
}

export async function makeScheduler(options: {
  dataDir: string;
  stateDir: string;
  posters: Poster[];
  env?: Record<string, string>;
  extra?: Partial<DigestSchedulerOptions>;
}): Promise<Harness> {
  const config = parseConfig({
    DATA_DIR: options.dataDir, STATE_DIR: options.stateDir, DIGEST_SLACK_CHANNEL: 'C0DIGEST', DIGEST_DISCORD_CHANNEL: '123456789012345678',
    ...options.env,
  });
  const logs = captureLogger();
  const { bot, store } = await createApp(config, logs.logger);
  let waiting: ((r: RunReport) => void)[] = [];
  const scheduler = createDigestScheduler({
    bot, store, config, logger: logs.logger, posters: options.posters,
    ...options.extra,
    onRun: (report) => {
      const w = waiting;
      waiting = [];
      for (const resolve of w) resolve(report);
    },
  });
  return { scheduler, logs, nextRun: () => new Promise((resolve) => waiting.push(resolve)) };
}
