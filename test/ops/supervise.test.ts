import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Adapter, AdapterState } from '../../src/core/adapter.js';
import { createLogger } from '../../src/log.js';
import { SupervisedAdapter } from '../../src/ops/supervise.js';

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
    const logger = createLogger('info', new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
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
