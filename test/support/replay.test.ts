/**
 * The stand-ins are only as honest as their payloads: each builder's output is checked against a sanitised payload
 * of the shape the platform really sends (test/fixtures/replay/), key by key and type by type, so a stand-in cannot
 * drift into a friendlier shape than Slack or Discord deliver.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordStandin } from './discord-standin.js';
import { blockActionsPayload, eventCallback, slashCommandFields } from './slack-standin.js';

const recorded = (name: string): Record<string, unknown> => {
  const { _about, ...payload } = JSON.parse(readFileSync(new URL(`../fixtures/replay/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
  return payload;
};

/** Every path of `value` with the JSON type found there ("event.ts: string"); arrays by their first element. */
function shape(value: unknown, path = ''): string[] {
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  const here = path ? [`${path}: ${type}`] : [];
  if (Array.isArray(value)) return value.length > 0 ? [...here, ...shape(value[0], `${path}[]`)] : here;
  if (type === 'object') return [...here, ...Object.entries(value as object).flatMap(([k, v]) => shape(v, path ? `${path}.${k}` : k))];
  return here;
}

/** What the recorded payload has that the stand-in's lacks, or has with another type. */
const missing = (real: unknown, standin: unknown) => {
  const built = new Set(shape(standin));
  return shape(real).filter((p) => !built.has(p));
};

describe('the Slack stand-in sends what Slack sends', () => {
  it('a slash command', () => {
    expect(missing(recorded('slack-slash-command'), slashCommandFields({ command: '/sales', text: 'xiaomi april' }))).toEqual([]);
  });

  it('an app_mention event_callback', () => {
    const real = recorded('slack-app-mention');
    const event = real.event as Record<string, unknown>;
    expect(missing(real, eventCallback({ type: 'app_mention', user: 'U1', text: 'hi', ts: '1.000001', channel: 'C1' }))).toEqual([]);
    expect(Object.keys(event)).toEqual(expect.arrayContaining(['type', 'user', 'text', 'ts', 'channel', 'event_ts']));
  });

  it('a button click (block_actions)', () => {
    const built = blockActionsPayload({ user: 'U1', channel: 'C1', actionId: 'run-0', value: '/compare xiaomi huawei april', responseUrl: 'http://127.0.0.1:1/r' });
    expect(missing(recorded('slack-block-actions'), built)).toEqual([]);
  });
});

describe('the Discord stand-in sends what Discord sends', () => {
  let standin: DiscordStandin;
  beforeAll(async () => {
    standin = await DiscordStandin.start();
  });
  afterAll(() => standin.close());

  it('a slash command interaction', () => {
    const built = standin.slashCommandInteraction({ name: 'sales', options: [{ name: 'company', type: 3, value: 'xiaomi' }] });
    expect(missing(recorded('discord-slash-command'), built)).toEqual([]);
  });

  it('a message in a guild channel', () => {
    const built = standin.messageCreate({ content: 'who sold more in may?', mentions: [standin.botUser] });
    expect(missing(recorded('discord-message-create'), built)).toEqual([]);
  });
});
