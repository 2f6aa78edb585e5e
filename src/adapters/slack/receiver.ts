/**
 * Our own HTTP receiver for Bolt (it implements Bolt's `Receiver` interface and verifies with Bolt's own
 * `verifySlackRequest`), built for an endpoint on the open internet:
 *
 * - what the headers already refuse is refused before a byte of the body is read: an unknown path, a body larger
 *   than `maxBodyBytes`, no signature, no timestamp or one more than five minutes off (stale or in the future);
 * - a body is read up to `maxBodyBytes` and no further (413), within `requestTimeoutMs` (Node answers 408);
 * - at most `maxConnections` sockets at once (Node drops the ones above);
 * - a signed request whose body is not a Slack payload gets a prompt 400 and a log line;
 * - `stop()` stops accepting, finishes every request already received, and closes idle and slow sockets at once;
 * - with `pages`, a GET of one of those paths is answered by its handler (the OAuth install pages), unsigned.
 *
 * Per request it does only what Slack's protocol needs (no URL parsing, no per-request timer), which is most of
 * the throughput difference with Bolt's HTTPReceiver.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type AddressInfo, type Socket } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { ReceiverMultipleAckError, verifySlackRequest, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../log.js';

/** Slack refuses requests older than five minutes; we refuse those as far in the future too. */
export const MAX_CLOCK_SKEW_S = 5 * 60;

export interface ReceiverLimits {
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Time for a client to send the request headers. */
  headersTimeoutMs: number;
  /** Time for a client to send the whole request (headers and body). */
  requestTimeoutMs: number;
  /** Sockets open at once; Node closes any above it as soon as it is accepted. */
  maxConnections: number;
}

export interface SlackReceiverOptions {
  signingSecret: string;
  /** The one path Slack POSTs to, e.g. `/slack/events`. */
  path: string;
  logger: Logger;
  limits: ReceiverLimits;
  /** The clock the timestamp is checked against (milliseconds); tests may inject one. */
  now?: () => number;
  /**
   * Pages served to a browser on GET, by path (Slack for many workspaces: `/slack/install`, `/slack/oauth_redirect`).
   * Not signed by Slack, as OAuth pages never are; every POST stays signature-checked.
   */
  pages?: Record<string, PageHandler>;
}

/** Answers one GET; a handler that throws gets a plain 500 page, never a stack trace. */
export type PageHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Thrown by `start()` when the port is taken or not ours to bind: a configuration problem, not a bug. */
export class PortUnavailableError extends Error {
  override readonly name = 'PortUnavailableError';
  constructor(readonly port: number, readonly host: string | undefined, readonly code: string) {
    super(code === 'EADDRINUSE'
      ? `port ${port}${host ? ` on ${host}` : ''} is already in use by another program`
      : `port ${port}${host ? ` on ${host}` : ''} cannot be bound (${code})`);
  }
}

interface Connection {
  /** The request being received or answered on this socket, if any, and its response. */
  request: IncomingMessage | undefined;
  response: ServerResponse | undefined;
  /** Its body has been read entirely (it is being answered). */
  received: boolean;
}

type Json = Record<string, unknown>;

export class SlackHttpReceiver implements Receiver {
  private app: App | undefined;
  private server: Server | undefined;
  private stopping = false;
  private readonly connections = new Map<Socket, Connection>();
  private readonly inflight = new Set<Promise<void>>();
  /** Counts connections accepted and request bytes read: how settleIo() sees that input is still arriving. */
  private progress = 0;
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly options: SlackReceiverOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.logger.child({ component: 'slack-receiver' });
  }

  init(app: App): void {
    this.app = app;
  }

  /** Listens on `port` (0: any free port) and resolves with the server once bound. */
  async start(port: number, host?: string): Promise<Server> {
    if (this.server) throw new Error('the Slack receiver is already started');
    const { limits } = this.options;
    const server = createServer({
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      // Node enforces both timeouts on this interval (30 s by default): check often enough to mean them.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 2))),
    });
    server.maxConnections = limits.maxConnections;
    server.on('connection', (socket: Socket) => this.track(socket));
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.onRequest(req, res));
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
      // Malformed HTTP, an oversized header, a headers or request timeout: answer when the socket still can.
      this.log.debug({ code: err.code }, 'slack: bad or slow HTTP client');
      if (socket.writable && !(err.code === 'ECONNRESET')) {
        const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_HEADERS_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
        socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      }
      socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        reject(err.code === 'EADDRINUSE' || err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL'
          ? new PortUnavailableError(port, host, err.code)
          : err);
      };
      server.once('error', onError);
      server.listen({ port, ...(host ? { host } : {}) }, () => {
        server.off('error', onError);
        server.on('error', (err) => this.log.error({ err: { message: err.message } }, 'slack: HTTP server error'));
        resolve();
      });
    });
    this.server = server;
    this.stopping = false;
    return server;
  }

  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  /**
   * Stops accepting connections; every request already received is answered (then its socket closes), and
   * sockets that are idle or still sending (slow or stalled clients) are closed at once.
   */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.stopping = true;
    this.server = undefined;
    // Connections the kernel has already accepted for us are taken, not reset with the listening socket.
    await this.settleIo();
    // net.Server's close, not http.Server's: the latter also drops "idle" sockets whose request bytes have
    // arrived but are not parsed yet, i.e. resets requests clients have already sent.
    const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
    // Let bytes already on their way in (sent before the stop) be read and parsed.
    await this.settleIo();
    for (const [socket, c] of this.connections) {
      // Idle: no request yet, or its answer is sent (a keep-alive socket waiting for the next one).
      if (!c.request || !c.received || c.response?.writableFinished) socket.destroy();
      // An answer still to come closes its socket once sent.
      else if (c.response && !c.response.headersSent) c.response.shouldKeepAlive = false;
    }
    // Requests received are answered (a keep-alive socket may still deliver one already sent).
    for (let round = 0; this.inflight.size > 0 && round < 100; round++) await Promise.allSettled([...this.inflight]);
    server.closeAllConnections();
    // http.Server's close now: it also stops Node's timer that enforces the request and header timeouts.
    server.close();
    await closed;
  }

  // ---- requests ------------------------------------------------------------------------------------------------

  private track(socket: Socket): void {
    this.progress++;
    this.connections.set(socket, { request: undefined, response: undefined, received: false });
    socket.once('close', () => this.connections.delete(socket));
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    this.progress++;
    const connection = this.connections.get(req.socket);
    if (connection) {
      connection.request = req;
      connection.response = res;
      connection.received = false;
    }
    if (this.stopping) res.shouldKeepAlive = false;

    const page = req.method === 'GET' ? this.options.pages?.[pathOf(req.url)] : undefined;
    if (page) {
      if (connection) connection.received = true;
      req.resume();
      const work = this.servePage(page, req, res);
      this.inflight.add(work);
      void work.finally(() => this.inflight.delete(work));
      return;
    }

    const refusal = this.refuseByHeaders(req);
    if (refusal) {
      this.log.warn({ status: refusal.status, reason: refusal.reason, ...(refusal.status === 404 ? { method: req.method, path: req.url } : {}) }, 'slack: request refused');
      // The body, if any, is never read: the socket closes after the answer.
      finish(res, refusal.status, undefined, true);
      return;
    }

    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      this.progress++;
      if (tooLarge) return;
      size += chunk.length;
      if (size > this.options.limits.maxBodyBytes) {
        tooLarge = true;
        chunks.length = 0;
        this.log.warn({ status: 413, limit: this.options.limits.maxBodyBytes }, 'slack: request refused');
        finish(res, 413, undefined, true);
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      if (tooLarge) return;
      if (connection) connection.received = true;
      const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const work = this.handle(req, res, raw.toString('utf8'));
      this.inflight.add(work);
      void work.finally(() => this.inflight.delete(work));
    });
  }

  /** What the headers alone refuse: anything but POST to our path, an oversized body, no or a stale signature. */
  private refuseByHeaders(req: IncomingMessage): { status: number; reason: string } | undefined {
    const { path } = this.options;
    const url = req.url ?? '';
    if (req.method !== 'POST' || (url !== path && !url.startsWith(`${path}?`))) return { status: 404, reason: 'not the Slack endpoint' };
    const length = req.headers['content-length'];
    if (length !== undefined && Number(length) > this.options.limits.maxBodyBytes) return { status: 413, reason: 'body too large' };
    const signature = req.headers['x-slack-signature'];
    if (typeof signature !== 'string' || !signature.startsWith('v0=')) return { status: 401, reason: 'no signature' };
    const timestamp = req.headers['x-slack-request-timestamp'];
    if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return { status: 401, reason: 'no timestamp' };
    const skew = Number(timestamp) - Math.floor(this.now() / 1000);
    if (skew < -MAX_CLOCK_SKEW_S) return { status: 401, reason: 'stale timestamp' };
    if (skew > MAX_CLOCK_SKEW_S) return { status: 401, reason: 'timestamp in the future' };
    return undefined;
  }

  private async servePage(page: PageHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await page(req, res);
    } catch (err) {
      this.log.error({ path: pathOf(req.url), err: { message: err instanceof Error ? err.message : String(err) } }, 'slack: serving a page failed');
      if (!res.headersSent) {
        const text = 'Something went wrong on our side. Please try again in a minute.';
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) }).end(text);
      }
    }
    if (!res.writableEnded) res.end();
  }

  private async handle(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    try {
      verifySlackRequest({
        signingSecret: this.options.signingSecret,
        body: raw,
        headers: {
          'x-slack-signature': req.headers['x-slack-signature'] as string,
          'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
        },
        nowMilliseconds: this.now(),
      });
    } catch {
      this.log.warn({ status: 401, reason: 'signature mismatch' }, 'slack: request refused');
      finish(res, 401);
      return;
    }

    const body = parseBody(raw, req.headers['content-type']);
    if (typeof body === 'string') {
      this.log.warn({ status: 400, reason: body }, 'slack: malformed request');
      finish(res, 400);
      return;
    }
    if (body.ssl_check === '1') {
      finish(res, 200);
      return;
    }
    if (body.type === 'url_verification') {
      finish(res, 200, { challenge: body.challenge });
      return;
    }
    const app = this.app;
    if (!app) {
      finish(res, 503);
      return;
    }

    let acked = false;
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => {
        if (acked) throw new ReceiverMultipleAckError();
        acked = true;
        finish(res, 200, response);
      },
      ...retryOf(req),
    };
    try {
      await app.processEvent(event);
      // Nothing acknowledged it (a kind of request the bot does not handle): an empty 200, not Slack's timeout.
      if (!acked) finish(res, 200);
    } catch (err) {
      this.log.error({ err: { message: err instanceof Error ? err.message : String(err) } }, 'slack: processing a request failed');
      if (!acked) finish(res, 500);
    }
  }

  /**
   * Turns of the event loop until one passes without a connection accepted or a byte read: what the kernel
   * already holds for us (connections, requests sent before the stop) is taken in. A stalled client makes no
   * progress, so it does not hold this up; bounded all the same.
   */
  private async settleIo(): Promise<void> {
    let quiet = 0;
    for (let turn = 0; turn < 200 && quiet < 3; turn++) {
      const before = this.progress;
      await new Promise((resolve) => setImmediate(resolve));
      quiet = this.progress === before ? quiet + 1 : 0;
    }
  }
}

/** The parsed payload, or a reason it is not one. */
export function parseBody(raw: string, contentType: string | undefined): Json | string {
  let parsed: unknown;
  try {
    if (contentType?.startsWith('application/x-www-form-urlencoded')) {
      const form = parseQuery(raw);
      parsed = typeof form.payload === 'string' ? JSON.parse(form.payload) : { ...form };
    } else {
      parsed = JSON.parse(raw);
    }
  } catch {
    return 'not JSON or form data';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'not a JSON object';
  const body = parsed as Json;
  if (body.type === 'event_callback') {
    const event = body.event;
    if (typeof event !== 'object' || event === null || Array.isArray(event) || typeof (event as Json).type !== 'string') return 'an event_callback without an event';
  }
  if ('command' in body && typeof body.command !== 'string') return 'a command that is not a string';
  return body;
}

function pathOf(url: string | undefined): string {
  const q = url?.indexOf('?') ?? -1;
  return q === -1 ? url ?? '' : url!.slice(0, q);
}

function retryOf(req: IncomingMessage): { retryNum?: number; retryReason?: string } {
  const num = req.headers['x-slack-retry-num'];
  const reason = req.headers['x-slack-retry-reason'];
  return {
    ...(typeof num === 'string' && /^\d+$/.test(num) ? { retryNum: Number(num) } : {}),
    ...(typeof reason === 'string' ? { retryReason: reason } : {}),
  };
}

function finish(res: ServerResponse, status: number, body?: unknown, close = false): void {
  if (res.headersSent) return;
  if (close) res.shouldKeepAlive = false;
  if (body === undefined || body === null || body === '') {
    res.writeHead(status, { 'content-length': '0' }).end();
  } else {
    // With a length, not chunked: one write for the whole answer.
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const type = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
    res.writeHead(status, { 'content-type': type, 'content-length': String(Buffer.byteLength(text)) }).end(text);
  }
}
