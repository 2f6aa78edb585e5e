import { ConfigError } from '../../src/config.js';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Adapter, AdapterState } from '../../src/core/adapter.js';
import { createLogger } from '../../src/log.js';
import { startFailureReason, SupervisedAdapter } from '../../src/ops/supervise.js';

class FlakyPlatform implements Adapter {
  readonly platform = 'discord' as const;
  state: AdapterState = 'starting';
  constructor(private readonly fail: boolean) {}
  async start() {
    if (this.fail) {
      this.state = 'failed';
      throw new Error('connect ECONNREFUSED 127.0.0.1:9');
    }
    this.state = 'connected';
  }
  async stop() {
    this.state = 'stopped';
  }
  async post(channel: string) {
    return { id: 'm1', channel };
  }
}

describe('a platform that cannot connect', () => {
  it('is logged and retried with backoff until it connects', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({
      write: (chunk, _enc, done) => {
        lines.push(String(chunk));
        done();
      },
    }));
    let attempts = 0;
    const supervised = new SupervisedAdapter({
      platform: 'discord', logger, initialDelayMs: 20,
      create: () => new FlakyPlatform(++attempts < 3),
    });
    await supervised.start();
    expect(supervised.state).toBe('reconnecting');
    await expect(supervised.post('C1', { kind: 'answer', title: 't', blocks: [], sources: [], suggestions: [] })).rejects.toThrow('not connected');
    await new Promise((r) => setTimeout(r, 200));
    expect(attempts).toBe(3);
    expect(supervised.state).toBe('connected');
    expect(lines.filter((l) => l.includes('adapter failed to start; will retry'))).toHaveLength(2);
    expect(lines.join('')).toContain('"retryInMs":40');
    await supervised.stop();
    expect(supervised.state).toBe('stopped');
  });
});

describe('why a platform could not start, in one line', () => {
  const dnsError = () => {
    const cause = Object.assign(new Error('getaddrinfo ENOTFOUND slack.example.invalid'), { code: 'ENOTFOUND', hostname: 'slack.example.invalid' });
    return new Error('Could not connect to Slack: A request error occurred: fetch failed', { cause: new Error('fetch failed', { cause }) });
  };

  it('names the host and the DNS failure, found anywhere in the cause chain', () => {
    expect(startFailureReason(dnsError(), 'slack')).toBe('slack.example.invalid: the host name does not resolve in DNS (ENOTFOUND); check the network and SLACK_API_URL');
  });

  it('a refused connection names the address', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 9 });
    expect(startFailureReason(err, 'discord')).toMatch(/^127\.0\.0\.1:9: the connection was refused \(ECONNREFUSED\)/);
  });

  it('a refused token gives the setup message on one line', () => {
    const err = new ConfigError(['SLACK_BOT_TOKEN or SLACK_APP_TOKEN: Slack refused the token (invalid_auth)']);
    const reason = startFailureReason(err, 'slack')!;
    expect(reason).toContain('Slack refused the token (invalid_auth)');
    expect(reason).not.toContain('\n');
  });

  it('anything else is a bug: no reason, so the stack is logged', () => {
    expect(startFailureReason(new TypeError('x is undefined'))).toBeUndefined();
  });

  it('logs one line with the reason and no stack trace for every retry', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({
      write: (chunk, _enc, done) => {
        lines.push(String(chunk));
        done();
      },
    }));
    const supervised = new SupervisedAdapter({
      platform: 'slack', logger, initialDelayMs: 10,
      create: (): Adapter => ({
        platform: 'slack', state: 'failed', start: () => Promise.reject(dnsError()), stop: async () => undefined, post: async (channel: string) => ({ id: '1', channel }),
      }),
    });
    await supervised.start();
    await new Promise((r) => setTimeout(r, 60));
    await supervised.stop();
    const failures = lines.filter((l) => l.includes('adapter failed to start'));
    expect(failures.length).toBeGreaterThanOrEqual(2);
    for (const line of failures) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(entry.reason).toContain('does not resolve in DNS');
      expect(entry.err).toBeUndefined();
      expect(line).not.toContain('    at ');
    }
  });
});
