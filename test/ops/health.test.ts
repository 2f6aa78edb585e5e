import { afterEach, describe, expect, it } from 'vitest';
import type { Adapter, AdapterState } from '../../src/core/adapter.js';
import { DataStore } from '../../src/data/store.js';
import { startHealthServer } from '../../src/ops/health.js';
import { Metrics } from '../../src/ops/metrics.js';
import { BUNDLED_DATA } from '../support/data-dir.js';

/** A platform whose connection state the test sets: the health server only reads `state`. */
class FakePlatform implements Adapter {
  constructor(readonly platform: 'slack' | 'discord', public state: AdapterState) {}
  async start() {}
  async stop() {}
  async post(channel: string) {
    return { id: '1', channel };
  }
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('health and metrics', () => {
  it('reports each adapter, the dataset version, and 503 when nothing is connected', async () => {
    const store = await DataStore.open(BUNDLED_DATA);
    const metrics = new Metrics({ defaultMetrics: false });
    const slack = new FakePlatform('slack', 'connected');
    const discord = new FakePlatform('discord', 'reconnecting');
    const server = await startHealthServer({ port: 0, host: '127.0.0.1', adapters: () => [slack, discord], store, metrics });
    close = server.close;
    const base = `http://127.0.0.1:${server.port}`;

    const ok = await fetch(`${base}/healthz`);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { adapters: Record<string, string>; dataset: { version: string; months: number } };
    expect(body.adapters).toEqual({ slack: 'connected', discord: 'reconnecting' });
    expect(body.dataset).toMatchObject({ version: store.current.version, months: 2 });

    slack.state = 'failed';
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('serves requests, latency, reloads and digests in Prometheus text format', async () => {
    const store = await DataStore.open(BUNDLED_DATA);
    const metrics = new Metrics();
    metrics.request({ requestId: 'r1', platform: 'slack', command: 'sales', outcome: 'answer', latencyMs: 0.2 });
    metrics.request({ requestId: 'r2', platform: 'discord', command: 'question:compare', outcome: 'notice', latencyMs: 3 });
    metrics.reload('failed');
    metrics.digest('slack', 'posted');
    const server = await startHealthServer({ port: 0, host: '127.0.0.1', adapters: () => [], store, metrics });
    close = server.close;
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('salesbot_requests_total{platform="slack",command="sales",outcome="answer"} 1');
    expect(text).toContain('salesbot_requests_total{platform="discord",command="question:compare",outcome="notice"} 1');
    expect(text).toContain('salesbot_request_duration_seconds_count{platform="slack"} 1');
    expect(text).toContain('salesbot_dataset_reloads_total{result="failed"} 1');
    expect(text).toContain('salesbot_digests_total{platform="slack",result="posted"} 1');
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});
