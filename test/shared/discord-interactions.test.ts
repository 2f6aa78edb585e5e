/** Discord's HTTP Interactions endpoint on the health port: Ed25519 checked with node:crypto, PING, commands, autocomplete. */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interactionsHandler } from '../../src/adapters/discord/interactions.js';
import { parseConfig } from '../../src/config.js';
import { DataStore } from '../../src/data/store.js';
import { Metrics } from '../../src/ops/metrics.js';
import { startHealthServer } from '../../src/ops/health.js';
import { makeSlackBot } from '../adapters/slack/harness.js';

describe('POST /discord/interactions', () => {
  let privateKey: KeyObject;
  let publicHex: string;
  let server: Awaited<ReturnType<typeof startHealthServer>>;
  let url: string;

  beforeAll(async () => {
    const pair = generateKeyPairSync('ed25519');
    privateKey = pair.privateKey;
    publicHex = (pair.publicKey.export({ format: 'der', type: 'spki' }) as Buffer).subarray(-32).toString('hex');
    const bot = await makeSlackBot();
    const store = await DataStore.open('data');
    server = await startHealthServer({
      port: 0, host: '127.0.0.1', adapters: () => [], store, metrics: new Metrics(),
      handlers: { 'POST /discord/interactions': interactionsHandler({ bot, publicKey: publicHex }) },
    });
    url = `http://127.0.0.1:${server.port}/discord/interactions`;
  });
  afterAll(async () => server?.close());

  async function post(body: object, how: 'valid' | 'forged' | 'missing' = 'valid') {
    const text = JSON.stringify(body);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signed = sign(null, Buffer.from(timestamp + (how === 'forged' ? `${text} ` : text)), privateKey).toString('hex');
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-signature-timestamp': timestamp };
    if (how !== 'missing') headers['x-signature-ed25519'] = signed;
    const res = await fetch(url, { method: 'POST', headers, body: text });
    return { status: res.status, body: res.status === 200 ? await res.json() as Record<string, unknown> : undefined };
  }

  it('answers PING with PONG, and refuses a forged or unsigned interaction with 401', async () => {
    expect(await post({ type: 1 })).toEqual({ status: 200, body: { type: 1 } });
    expect((await post({ type: 1 }, 'forged')).status).toBe(401);
    expect((await post({ type: 1 }, 'missing')).status).toBe(401);
  });

  it('answers a slash command and autocomplete statelessly', async () => {
    const command = await post({ type: 2, id: '1', guild_id: '10', channel_id: '20', member: { user: { id: '30' } }, data: { name: 'sales', options: [{ name: 'company', type: 3, value: 'xiaomi' }, { name: 'month', type: 3, value: 'april' }] } });
    expect(command.status).toBe(200);
    expect(command.body).toMatchObject({ type: 4, data: { allowed_mentions: { parse: [] } } });
    expect(JSON.stringify(command.body)).toContain('28,585');
    const complete = await post({ type: 4, data: { name: 'sales', options: [{ name: 'company', type: 3, value: 'xiom', focused: true }] } });
    expect(complete.body).toMatchObject({ type: 8 });
    expect(JSON.stringify(complete.body)).toMatch(/Xiaomi/);
  });

  it('answers with suggestion buttons, and a click runs the line for whoever clicked, privately', async () => {
    const command = await post({ type: 2, id: '1', guild_id: '10', channel_id: '20', member: { user: { id: '30' } }, data: { name: 'sales', options: [{ name: 'company', type: 3, value: 'xiaomi' }, { name: 'month', type: 3, value: 'april' }] } });
    const data = command.body!.data as { components?: { components: { custom_id: string; label: string }[] }[] };
    const buttons = (data.components ?? []).flatMap((row) => row.components);
    expect(buttons.map((b) => b.label)).toContain('/compare xiaomi hima 2025-04');
    expect(buttons.map((b) => b.label)).not.toContain('Export CSV');
    const compare = buttons.find((b) => b.label.startsWith('/compare'))!;
    const click = await post({ type: 3, id: '2', guild_id: '10', channel_id: '20', member: { user: { id: '31' }, permissions: '0' }, data: { custom_id: compare.custom_id, component_type: 2 } });
    expect(click.body).toMatchObject({ type: 4, data: { flags: 64, allowed_mentions: { parse: [] } } });
    expect(JSON.stringify(click.body)).toMatch(/Xiaomi vs Huawei \(HIMA\), April 2025/);
    const foreign = await post({ type: 3, id: '3', guild_id: '10', channel_id: '20', member: { user: { id: '31' } }, data: { custom_id: 'someone-elses-button', component_type: 2 } });
    expect(foreign.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(JSON.stringify(foreign.body)).toMatch(/does not work here/);
  });

  it('takes DISCORD_PUBLIC_KEY as 64 hex characters only', () => {
    expect(parseConfig({ DISCORD_PUBLIC_KEY: 'a'.repeat(64) }).DISCORD_PUBLIC_KEY).toBe('a'.repeat(64));
    expect(() => parseConfig({ DISCORD_PUBLIC_KEY: 'xyz' })).toThrow(/DISCORD_PUBLIC_KEY: expected the application's public key/);
  });
});

describe('Discord sharding settings', () => {
  it('takes DISCORD_SHARDS (auto or a number) and DISCORD_SHARD_IDS within it', () => {
    expect(parseConfig({}).DISCORD_SHARDS).toBe('auto');
    expect(parseConfig({ DISCORD_SHARDS: '4', DISCORD_SHARD_IDS: '2,3' })).toMatchObject({ DISCORD_SHARDS: '4', DISCORD_SHARD_IDS: ['2', '3'] });
    expect(() => parseConfig({ DISCORD_SHARD_IDS: '0' })).toThrow(/DISCORD_SHARD_IDS: needs DISCORD_SHARDS set to the number of shards/);
    expect(() => parseConfig({ DISCORD_SHARDS: '2', DISCORD_SHARD_IDS: '1,2' })).toThrow(/expected shard numbers from 0 to 1 \(DISCORD_SHARDS=2\), got 2/);
    expect(() => parseConfig({ DISCORD_SHARDS: '0' })).toThrow(/DISCORD_SHARDS: expected auto or a number of shards/);
  });
});
