/**
 * `GET /healthz` (200 while at least one adapter is connected, else 503, with each adapter's state and the dataset
 * serving) and `GET /metrics` (Prometheus text).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../config.js';
import type { Adapter } from '../core/adapter.js';
import type { DataStore } from '../data/store.js';
import type { Metrics } from './metrics.js';

export interface HealthServerOptions {
  port: number;
  host?: string;
  adapters: () => readonly Adapter[];
  store: DataStore;
  metrics: Metrics;
  /** Shared mode: the database revision serving, the same on every instance. */
  revision?: () => number | undefined;
  /** More endpoints on this port, by "METHOD /path" (e.g. Discord's `POST /discord/interactions`). */
  handlers?: Record<string, (req: IncomingMessage, res: ServerResponse) => void>;
}

export function healthReport(adapters: readonly Adapter[], store: DataStore, revision?: () => number | undefined) {
  const data = store.current;
  const rev = revision?.();
  return {
    ok: adapters.some((a) => a.state === 'connected'),
    adapters: Object.fromEntries(adapters.map((a) => [a.platform, a.state])),
    dataset: {
      version: data.version, loadedAt: data.loadedAt.toISOString(), months: data.months.length, entities: data.entities.size,
      ...(revision ? { source: 'database', revision: rev ?? null } : {}),
    },
  };
}

export async function startHealthServer(options: HealthServerOptions): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const extra = options.handlers?.[`${req.method ?? ''} ${path ?? ''}`];
    if (extra) {
      extra(req, res);
      return;
    }
    if (req.method === 'GET' && path === '/healthz') {
      const report = healthReport(options.adapters(), options.store, options.revision);
      res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(report));
      return;
    }
    if (req.method === 'GET' && path === '/metrics') {
      options.metrics.text().then(
        (text) => res.writeHead(200, { 'content-type': options.metrics.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      // A port someone else holds (or one below 1024 without the right) is a setting to change, not a bug.
      const where = `port ${options.port}${options.host ? ` on ${options.host}` : ''}`;
      if (err.code === 'EADDRINUSE') reject(new ConfigError([`HEALTH_PORT: ${where} is already in use by another program; stop that program or set HEALTH_PORT to a free port`]));
      else if (err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL') reject(new ConfigError([`HEALTH_PORT: ${where} cannot be bound (${err.code}); choose another port`]));
      else reject(err);
    });
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    // Answers are immediate: at shutdown no connection (an idle keep-alive, a client that stalls) holds it open.
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
