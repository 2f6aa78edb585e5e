/**
 * The real Slack adapter (real Bolt) against the loopback stand-in: start/stop helpers, captured logs, and
 * readers for what a Slack user would see in a message (its blocks' text) and checks of Slack's limits.
 */
import { Writable } from 'node:stream';
import { expect } from 'vitest';
import { createApp } from '../../../src/app.js';
import { parseConfig } from '../../../src/config.js';
import type { Bot } from '../../../src/core/bot.js';
import { createLogger, type Logger } from '../../../src/log.js';
import { createSlackAdapter, type SlackAdapter, type SlackAdapterOptions } from '../../../src/adapters/slack/index.js';
import { SLACK_LIMITS } from '../../../src/adapters/slack/limits.js';
import { BUNDLED_DATA } from '../../support/data-dir.js';
import { slackBlockProblems, type SlackStandin } from '../../support/slack-standin.js';

export const BOT_TOKEN = 'xoxb-fake-harness';
export const APP_TOKEN = 'xapp-1-secret-app-token';
export const SIGNING_SECRET = 'signing-secret-never-logged';

/** A pino logger writing JSON lines into memory. */
export class LogCapture {
  readonly lines: string[] = [];
  readonly logger: Logger;

  constructor(level = 'debug') {
    const sink = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    this.logger = createLogger(level, sink);
  }

  get text(): string {
    return this.lines.join('\n');
  }

  entries(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  /** Log entries whose message is `msg`. */
  find(msg: string): Record<string, unknown>[] {
    return this.entries().filter((e) => e.msg === msg);
  }
}

/**
 * The bot exactly as `npm start` wires it (question interpreter, rate limit, allow-lists, request log line),
 * logging into `logs`. The rate limit is raised unless `env` sets it: suites send many requests.
 */
export async function makeSlackBot(logs?: LogCapture, env: Record<string, string> = {}): Promise<Bot> {
  const config = parseConfig({ DATA_DIR: BUNDLED_DATA, RATE_LIMIT_PER_MINUTE: '100000', ...env });
  return (await createApp(config, logs?.logger)).bot;
}

export interface Started {
  adapter: SlackAdapter;
  logs: LogCapture;
  /** 'http://127.0.0.1:PORT' (HTTP mode). */
  baseUrl: string;
}

export async function startAdapter(
  standin: SlackStandin,
  bot: Bot,
  env: Record<string, string> = {},
  logs = new LogCapture(),
  options: Partial<Pick<SlackAdapterOptions, 'retries' | 'webApiTimeoutMs'>> = {},
): Promise<Started> {
  const config = parseConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: standin.apiUrl,
    LOG_LEVEL: 'debug',
    ...env,
  });
  const adapter = createSlackAdapter({
    bot,
    config,
    logger: logs.logger,
    listen: { host: '127.0.0.1', port: 0 },
    retries: { answers: 0, post: 0 },
    ...options,
  });
  try {
    await adapter.start();
  } catch (err) {
    // As the supervisor does: a failed start is stopped, so no socket keeps retrying behind the test.
    await adapter.stop();
    throw err;
  }
  return { adapter, logs, baseUrl: adapter.port ? `http://127.0.0.1:${adapter.port}` : '' };
}

// ---- reading a message -----------------------------------------------------------------------------------------

export interface Message {
  text?: unknown;
  blocks?: unknown;
  response_type?: unknown;
}

type TextObject = { type: string; text: string; verbatim?: boolean };
type AnyBlock = { type: string; text?: TextObject; fields?: TextObject[]; elements?: TextObject[] };
/** A button of an actions block, as Slack shows it (its text) and hands it back on a click (action_id, value). */
export type ButtonElement = { type: 'button'; text: TextObject; action_id: string; value?: string; style?: string };

/** The buttons of a message's actions blocks, in order. */
export function buttonsOf(message: unknown): ButtonElement[] {
  return blocksOf(message).filter((b) => b.type === 'actions').flatMap((b) => b.elements as unknown as ButtonElement[]);
}

export function blocksOf(message: unknown): AnyBlock[] {
  const blocks = (message as Message).blocks;
  expect(Array.isArray(blocks), 'message has blocks').toBe(true);
  return blocks as AnyBlock[];
}

/** Every text a reader sees, block by block (header, section text and fields, context elements). */
export function visibleTexts(message: unknown): string[] {
  return blocksOf(message).flatMap((b) => {
    const native = b as { caption?: string; rows?: { text?: string }[][]; title?: string };
    return [
      ...(b.text ? [b.text.text] : []),
      ...(b.fields ?? []).map((f) => f.text),
      // Context elements are text; an actions block shows its buttons' labels.
      ...(b.elements ?? []).map((e) => (b.type === 'actions' ? (e as unknown as ButtonElement).text.text : e.text)),
      // A data table shows its caption and cells; a chart its title.
      ...(b.type === 'data_table' ? [native.caption ?? '', ...(native.rows ?? []).map((r) => r.map((c) => c.text ?? '').join('\t'))] : []),
      ...(b.type === 'data_visualization' ? [native.title ?? ''] : []),
    ];
  });
}

export function visible(message: unknown): string {
  return visibleTexts(message).join('\n');
}

/** Slack decodes these three entities when it displays a message. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Slack's Block Kit limits, checked the way Slack would reject a message. */
export function expectWithinSlackLimits(message: unknown): void {
  const blocks = blocksOf(message);
  expect(blocks.length).toBeGreaterThan(0);
  expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const b of blocks) {
    if (b.type === 'header') {
      expect(b.text?.type).toBe('plain_text');
      expect(b.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    } else if (b.type === 'section') {
      if (b.text) {
        expect(b.text.text.trim().length).toBeGreaterThan(0);
        expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      } else {
        expect(b.fields?.length ?? 0).toBeGreaterThan(0);
      }
      expect(b.fields?.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.sectionFields);
      for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    } else if (b.type === 'context') {
      expect(b.elements?.length ?? 0).toBeGreaterThan(0);
      expect(b.elements!.length).toBeLessThanOrEqual(10);
      for (const e of b.elements!) expect(e.text.length).toBeLessThanOrEqual(SLACK_LIMITS.contextText);
    } else if (b.type === 'actions') {
      const buttons = b.elements as unknown as ButtonElement[];
      expect(buttons.length).toBeGreaterThan(0);
      expect(buttons.length).toBeLessThanOrEqual(25);
      expect(new Set(buttons.map((e) => e.action_id)).size).toBe(buttons.length);
      for (const e of buttons) {
        expect(e.type).toBe('button');
        expect(e.text.type).toBe('plain_text');
        expect(e.text.text.length).toBeGreaterThan(0);
        expect(e.text.text.length).toBeLessThanOrEqual(75);
        expect(e.action_id.length).toBeLessThanOrEqual(255);
        expect((e.value ?? '').length).toBeLessThanOrEqual(2000);
      }
    } else if (b.type === 'data_visualization' || b.type === 'data_table') {
      // Checked against Slack's documented limits by the stand-in's own validator, below.
    } else {
      throw new Error(`unexpected block type ${b.type}`);
    }
  }
  expect(slackBlockProblems(blocks)).toEqual([]);
  const text = (message as Message).text;
  expect(typeof text).toBe('string');
  expect((text as string).length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
}

/** No `<!channel>`, `<!here>`, `<!everyone>`, `<@U…>`, `<#C…>`, `<!subteam^…>` or link markup anywhere in the payload. */
export function expectNoLiveMention(message: unknown): void {
  const json = JSON.stringify(message);
  expect(json).not.toMatch(/<[!@#]/);
  expect(json).not.toMatch(/<https?:/);
}
