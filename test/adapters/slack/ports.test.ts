/**
 * `npm start` with a port it cannot have: SLACK_PORT or HEALTH_PORT already taken stops start-up with exit code 2
 * and one message naming the variable (no retry loop, no stack trace). And ports are decimal numbers only.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { BotProcess } from '../../support/process.js';
import { SlackStandin } from '../../support/slack-standin.js';

let standin: SlackStandin;
let taken: Server;
let takenPort: number;

beforeAll(async () => {
  standin = await SlackStandin.start();
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  takenPort = (taken.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((resolve) => taken.close(resolve));
  await standin?.close();
});

const slackEnv = () => ({ SLACK_BOT_TOKEN: 'xoxb-fake-ports', SLACK_SIGNING_SECRET: 'ports-secret', SLACK_API_URL: standin.apiUrl, LOG_LEVEL: 'info' });

describe('a port already in use', () => {
  it('SLACK_PORT: exit 2 with a message naming SLACK_PORT', async () => {
    const bot = BotProcess.start({ ...slackEnv(), SLACK_PORT: String(takenPort) });
    try {
      const { code } = await bot.exited;
      expect(code).toBe(2);
      expect(bot.stderr).toContain(`SLACK_PORT: port ${takenPort} on 127.0.0.1 is already in use`);
      expect(bot.stderr).not.toMatch(/\n\s+at /);
      expect(bot.logs('adapter failed to start; will retry')).toHaveLength(0);
    } finally {
      await bot.kill();
    }
  }, 30_000);

  it('HEALTH_PORT: exit 2 with a message naming HEALTH_PORT, no stack trace', async () => {
    const bot = BotProcess.start({ HEALTH_PORT: String(takenPort), LOG_LEVEL: 'info' });
    try {
      const { code } = await bot.exited;
      expect(code).toBe(2);
      expect(bot.stderr).toContain(`HEALTH_PORT: port ${takenPort} on 127.0.0.1 is already in use`);
      expect(bot.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await bot.kill();
    }
  }, 30_000);
});

describe('port values', () => {
  it.each(['1e3', '0x2f', '80.5', '0', '65536', '-1', ' 3000x'])('SLACK_PORT=%j and HEALTH_PORT=%j are refused', (value) => {
    expect(() => parseConfig({ SLACK_PORT: value })).toThrow(/SLACK_PORT: expected a port number from 1 to 65535/);
    expect(() => parseConfig({ HEALTH_PORT: value })).toThrow(/HEALTH_PORT: expected a port number from 1 to 65535/);
  });

  it('decimal ports are read as written', () => {
    expect(parseConfig({ SLACK_PORT: '1000', HEALTH_PORT: ' 047 ' })).toMatchObject({ SLACK_PORT: 1000, HEALTH_PORT: 47 });
  });
});
