/** Prometheus metrics (prom-client), in a registry of our own so tests and processes never share state. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HandledEvent } from '../core/bot.js';

export class Metrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'salesbot_requests_total', help: 'Requests answered, by platform, command and outcome',
    labelNames: ['platform', 'command', 'outcome'] as const, registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'salesbot_request_duration_seconds', help: 'Time from request to reply document, in the core',
    labelNames: ['platform'] as const, buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1], registers: [this.registry],
  });
  private readonly reloads = new Counter({
    name: 'salesbot_dataset_reloads_total', help: 'Dataset reloads, by result (ok, unchanged, failed)',
    labelNames: ['result'] as const, registers: [this.registry],
  });
  private readonly digests = new Counter({
    name: 'salesbot_digests_total', help: 'Scheduled digests, by platform and result (posted, failed)',
    labelNames: ['platform', 'result'] as const, registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  request(event: HandledEvent): void {
    // A question's command label stays within the known commands, so label cardinality is bounded.
    this.requests.inc({ platform: event.platform, command: event.command, outcome: event.outcome });
    this.latency.observe({ platform: event.platform }, event.latencyMs / 1000);
  }

  reload(result: 'ok' | 'unchanged' | 'failed'): void {
    this.reloads.inc({ result });
  }

  digest(platform: string, result: 'posted' | 'failed'): void {
    this.digests.inc({ platform, result });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
