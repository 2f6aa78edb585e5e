/**
 * Run by the harness in its own process: `node --import tsx bench/slack-server.ts ours|bare DATA_DIR`.
 * `ours`: the real app (createApp + the Slack adapter in HTTP mode) with a Web API stand-in for auth.test;
 * `bare`: a bare @slack/bolt App whose /sales handler only acks; `bare-fanout`: the same with as many listeners as commands. Both listen on 127.0.0.1 only. Prints
 * `{"port":N}` once listening and exits when its stdin closes.
 */
import { openSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { commands } from '../commands/index.js';
import { createApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';

export const SIGNING_SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-fake-bench';
const HOST = '127.0.0.1';

/** Answers every Web API call with ok (only auth.test is called: answers go back inside the ack). */
async function webApiStandIn(): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, url: 'https://bench.invalid/', team: 'bench', user: 'bench', team_id: 'T0BENCH', user_id: 'U0BENCH', bot_id: 'B0BENCH' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return { url: `http://${HOST}:${(server.address() as AddressInfo).port}/api/`, close: () => server.close() };
}

async function main(): Promise<void> {
  const [kind, dataDir] = process.argv.slice(2);
  let stop: () => Promise<void>;
  let port: number;
  if (kind === 'bare' || kind === 'bare-fanout') {
    const app = new App({
      token: TOKEN, signingSecret: SIGNING_SECRET, botId: 'B0BENCH', botUserId: 'U0BENCH', logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: `http://${HOST}:9/api/`, retryConfig: { retries: 0 } },
    });
    app.command('/sales', async ({ ack }) => {
      await ack();
    });
    if (kind === 'bare-fanout') {
      // Bolt runs every listener's matching middleware for every request: the same acks behind one listener
      // per command, a catch-all, mentions and DMs show what that fan-out costs on its own.
      for (const c of commands.filter((c) => c.name !== 'sales')) app.command(`/${c.name}`, async ({ ack }) => ack());
      app.command(/^\/.+/, async () => undefined);
      app.event('app_mention', async () => undefined);
      app.message(async () => undefined);
    }
    const server = await app.start({ port: 0, host: HOST });
    port = (server.address() as AddressInfo).port;
    stop = () => app.stop().then(() => undefined);
  } else if (kind === 'ours' && dataDir) {
    const api = await webApiStandIn();
    const config = parseConfig({
      DATA_DIR: dataDir, SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: api.url,
      // Every request comes from one bench user: the per-user limit would otherwise answer "slow down".
      RATE_LIMIT_PER_MINUTE: '1000000000', LOG_LEVEL: 'info',
    });
    // Logged at info as in production (one line per request), into /dev/null.
    const logger = createLogger('info', openSync('/dev/null', 'w'));
    const { bot } = await createApp(config, logger);
    const { createSlackAdapter } = await import('../src/adapters/slack/index.js');
    const adapter = createSlackAdapter({ bot, config, logger, listen: { host: HOST, port: 0 } });
    await adapter.start();
    port = adapter.port!;
    stop = async () => {
      await adapter.stop();
      api.close();
    };
  } else {
    throw new Error('usage: slack-server.ts ours|bare|bare-fanout DATA_DIR');
  }
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    void stop().finally(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
