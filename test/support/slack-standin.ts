/**
 * Loopback stand-in of the Slack platform, for driving the real @slack/bolt App in tests.
 *
 * One HTTP server on 127.0.0.1 (ephemeral port) serves:
 *   - the Web API            POST /api/<method>           (point `clientOptions.slackApiUrl` at `standin.apiUrl`)
 *   - response_url targets   POST /response/<id>          (`standin.responseUrl(id)`)
 *   - file uploads           files.getUploadURLExternal -> POST /upload/<file id> (the bytes) -> files.completeUploadExternal
 *                            shares the file in a channel; GET /files/<id>/<name> reads it back (`standin.files`).
 *                            The retired files.upload answers `method_deprecated`, as Slack does.
 *   - Socket Mode            POST /api/apps.connections.open -> ws://127.0.0.1:PORT/socket
 *   - OAuth (many workspaces) GET /oauth/v2/authorize (the consent screen: answers with the redirect a visitor's
 *     browser would follow after "Allow") and POST /api/oauth.v2.access (the code for that workspace's tokens);
 *     `configureOAuth`, `addWorkspace` and `nextInstall` say which app and workspaces exist and who installs next.
 *     Calls made with a workspace's bot token act in that workspace (auth.test, the `team` of a posted message).
 *
 * Plus free functions that sign requests the way Slack does, for Bolt's HTTP receiver.
 *
 * Shutdown order matters: stop the App (`await app.stop()`) BEFORE `await standin.close()`. A Socket Mode
 * client whose socket is dropped by the server reconnects, i.e. calls apps.connections.open again.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

// ---------------------------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------------------------

/** One Web API call as received by the stand-in. */
export interface ApiCall {
  /** e.g. 'chat.postMessage' */
  method: string;
  /**
   * Parsed request body. Form fields stay strings (web-api sends booleans and numbers as "true"/"1"), except the
   * fields in JSON_FIELDS (blocks, attachments, ...), which web-api JSON-encodes inside the form and we parse back.
   */
  body: Record<string, unknown>;
  /** Raw Authorization header, e.g. 'Bearer xoxb-test' (the app token for apps.connections.open). */
  authorization: string | undefined;
  /** The token the call was made with (Bearer header, or a `token` form field), if any. */
  token: string | undefined;
  /** JSON the stand-in answered with; undefined when the call was failed at the HTTP level. */
  response: Record<string, unknown> | undefined;
}

/** A JSON body POSTed to a response_url (what Bolt's `respond()` sends). */
export interface ResponseUrlPost {
  id: string;
  body: unknown;
}

/**
 * How to fail the next call of a method:
 *   - a string: a Slack error code, answered HTTP 200 `{ok:false, error}` (web-api throws `slack_webapi_platform_error`);
 *   - `{status}`: an HTTP failure. web-api throws `slack_webapi_http_error` for non-200 (once retries are exhausted).
 *     429 is special: we send `retry-after: <retryAfter ?? 0>` and web-api SLEEPS that many seconds, then retries or
 *     throws `slack_webapi_request_error` ("A rate limit was exceeded"), even with `retries: 0`. With
 *     `rejectRateLimitedCalls: true` it throws `slack_webapi_rate_limited_error` at once instead.
 */
export type ApiFailure = string | {
  status: number;
  retryAfter?: number;
  body?: string;
  /** Carry the call out first (a chat.postMessage lands in the channel), then fail: the answer is what is lost. */
  afterProcessing?: boolean;
  /** Instead of answering `status`, drop the connection (the client sees a reset / "other side closed"). */
  reset?: boolean;
};

/** A call whose answer the stand-in holds back (see `holdNext`): it has been carried out, the client is waiting. */
export interface HeldAnswer {
  /** Resolves with the call once it has arrived (and been carried out). */
  arrived: Promise<ApiCall>;
  /** Sends the answer (to a client that may have given up on it already). */
  release(): void;
}

/** A file uploaded through the current flow; `shared` once files.completeUploadExternal put it in a channel. */
export interface StoredFile {
  id: string;
  /** As declared to files.getUploadURLExternal. */
  filename: string;
  length: number;
  title?: string;
  /** The bytes POSTed to the upload URL (undefined until then). */
  data?: Buffer;
  channel?: string;
  threadTs?: string;
  initialComment?: string;
  /** Where a client downloads it (url_private_download). */
  url: string;
  shared: boolean;
}

/** A button click as Slack sends it in a `block_actions` payload. */
export interface BlockActionFields {
  user: string;
  channel: string;
  team?: string;
  actionId: string;
  value: string;
  /** The button's label. */
  text?: string;
  /** The message the button is on, and its thread when it is in one. */
  messageTs?: string;
  threadTs?: string;
  isEphemeral?: boolean;
  /** Pass `standin.responseUrl('id')`: the handler answers the click there. */
  responseUrl: string;
}

/** A message the stand-in keeps per channel, as `conversations.history` returns it. */
export interface StoredMessage extends Record<string, unknown> {
  ts: string;
  channel: string;
}

/** What the Socket Mode client sent back for an envelope. */
export interface SocketAck {
  envelope_id: string;
  /** The ack body: slash command `ack({...})` arguments; `{}` or absent for plain events. */
  payload?: Record<string, unknown>;
}

/** An envelope to push over the socket (envelope_id is added by `sendEnvelope`). */
export interface EnvelopeSpec {
  type: string;
  payload: object;
  accepts_response_payload?: boolean;
}

/** Fields of a slash command, identical for the HTTP form body and the Socket Mode payload. */
export interface SlashCommandFields {
  token: string;
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  is_enterprise_install: string;
  response_url: string;
  trigger_id: string;
}

/** An Events API event (`app_mention`, `message`, ...). */
export type SlackEvent = { type: string } & Record<string, unknown>;

/** The `event_callback` envelope Slack POSTs to /slack/events (and wraps in `events_api` socket envelopes). */
export interface EventCallbackBody {
  token: string;
  team_id: string;
  api_app_id: string;
  event: SlackEvent;
  type: 'event_callback';
  event_id: string;
  event_time: number;
  authorizations: Array<{ enterprise_id: null; team_id: string; user_id: string; is_bot: boolean }>;
  is_ext_shared_channel: boolean;
}

export interface SignOptions {
  /** 'forged' signs with a wrong secret; 'missing' omits the x-slack-signature header. Default 'valid'. */
  signature?: 'valid' | 'forged' | 'missing';
  /** Backdate x-slack-request-timestamp (still validly signed). Bolt rejects anything older than 300 s. */
  ageSeconds?: number;
  /** Default '/slack/events' (Bolt's default endpoint). */
  path?: string;
  /** Extra request headers, e.g. Slack's `x-slack-retry-num` on a redelivery. */
  headers?: Record<string, string>;
}

/** A workspace the stand-in knows: its identity, its bot, and the channel its installer picks for the webhook. */
export interface StandinWorkspace {
  teamId: string;
  teamName: string;
  botToken: string;
  botUserId: string;
  botId: string;
  /** The person who installs the app (authed_user). */
  installer: string;
  /** The channel picked on the consent screen (`incoming-webhook` scope). */
  channel: { id: string; name: string };
}

/** One visit to the consent screen, as the browser made it. */
export interface AuthorizeVisit {
  query: Record<string, string>;
  /** 302 with the redirect, or the error page's status. */
  status: number;
  location: string | undefined;
}

export interface HttpResult {
  status: number;
  /** Parsed JSON when the body is JSON, else the raw text ('' for Bolt's empty 401s). */
  body: unknown;
}

// ---------------------------------------------------------------------------------------------------------------
// Identity of the fake workspace
// ---------------------------------------------------------------------------------------------------------------

export const TEAM_ID = 'T1';
export const APP_ID = 'A1';
export const BOT_USER_ID = 'UBOT';
export const BOT_ID = 'BBOT';

/** Form fields that web-api sends as JSON strings; parsed back so tests can assert on structure. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view', 'unfurls']);

const DEFAULT_WAIT_MS = 2000;

// ---------------------------------------------------------------------------------------------------------------
// The stand-in
// ---------------------------------------------------------------------------------------------------------------

interface Waiter {
  check: () => boolean;
  reject: (err: Error) => void;
}

interface PendingAck {
  resolve: (ack: SocketAck) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class SlackStandin {
  /** Every Web API call, in arrival order (including auth.test and apps.connections.open). */
  readonly calls: ApiCall[] = [];
  /** Every POST to a response_url, in arrival order. */
  readonly responses: ResponseUrlPost[] = [];

  private readonly failures = new Map<string, ApiFailure[]>();
  private readonly delays = new Map<string, number[]>();
  private readonly holds = new Map<string, { arrived: (call: ApiCall) => void; released: Promise<void>; release: () => void }[]>();
  private readonly openHolds = new Set<() => void>();
  /** Messages posted with chat.postMessage (and not failed before processing), oldest first. */
  readonly messages: StoredMessage[] = [];
  /** Users `users.info` reports as workspace admins (`is_admin: true`); everyone else is a plain member. */
  readonly admins = new Set<string>();
  /** Files from files.getUploadURLExternal on, oldest first. */
  readonly files: StoredFile[] = [];
  /** Channels the bot is not a member of: sharing a file there fails with `not_in_channel`. */
  readonly notMemberOf = new Set<string>();
  private readonly waiters = new Set<Waiter>();
  private readonly sockets = new Set<WebSocket>();
  private readonly pendingAcks = new Map<string, PendingAck>();
  private tsCounter = 0;
  private oauthApp: { clientId: string; clientSecret: string; redirectUrl?: string } | undefined;
  private readonly workspaces = new Map<string, StandinWorkspace>();
  private readonly installQueue: StandinWorkspace[] = [];
  private readonly codes = new Map<string, { workspace: StandinWorkspace; scope: string; redirectUri: string | undefined }>();
  /** Every visit to the consent screen (GET /oauth/v2/authorize). */
  readonly authorizeVisits: AuthorizeVisit[] = [];

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    /** 'http://127.0.0.1:PORT' */
    readonly baseUrl: string,
  ) {}

  /** Start a stand-in on 127.0.0.1 with an ephemeral port. */
  static async start(): Promise<SlackStandin> {
    // noServer: we route upgrades ourselves so that only /socket is accepted.
    const wss = new WebSocketServer({ noServer: true });
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const standin = new SlackStandin(server, wss, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => {
      standin.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'standin_crashed', detail: String(err) });
      });
    });
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      if (new URL(req.url ?? '/', standin.baseUrl).pathname !== '/socket') {
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => standin.onSocket(ws));
    });
    return standin;
  }

  /** Value for `clientOptions.slackApiUrl` (trailing slash required by web-api). */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  /** A response_url that records what is POSTed to it under `id`. */
  responseUrl(id: string = randomUUID()): string {
    return `${this.baseUrl}/response/${encodeURIComponent(id)}`;
  }

  /** Slack's consent screen, next to the Web API (what the app derives from SLACK_API_URL). */
  get authorizeUrl(): string {
    return `${this.baseUrl}/oauth/v2/authorize`;
  }

  /** The distributed app: its credentials, and the redirect URL configured for it (used when none is sent). */
  configureOAuth(app: { clientId: string; clientSecret: string; redirectUrl?: string }): void {
    this.oauthApp = { ...app };
  }

  /** A workspace that exists; its bot token acts in it. */
  addWorkspace(workspace: StandinWorkspace): StandinWorkspace {
    this.workspaces.set(workspace.botToken, workspace);
    return workspace;
  }

  /** The next visitor at the consent screen installs into `workspace` (added if new) and picks its channel. */
  nextInstall(workspace: StandinWorkspace): void {
    this.addWorkspace(workspace);
    this.installQueue.push(workspace);
  }

  /** The workspace a token acts in, if it is a known workspace's bot token. */
  workspaceOf(token: string | undefined): StandinWorkspace | undefined {
    return token ? this.workspaces.get(token) : undefined;
  }

  /** Calls of one Web API method, in arrival order. */
  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Make the next call of `method` fail; queue several to fail several calls in a row. */
  failNext(method: string, failure: ApiFailure): void {
    const queue = this.failures.get(method) ?? [];
    queue.push(failure);
    this.failures.set(method, queue);
  }

  /** Hold the answer to the next call of `method` for `ms` (a slow Slack), e.g. to catch a reply in flight. */
  delayNext(method: string, ms: number): void {
    const queue = this.delays.get(method) ?? [];
    queue.push(ms);
    this.delays.set(method, queue);
  }

  /**
   * Carry out the next call of `method` (a chat.postMessage lands in the channel) but hold its answer until
   * `release()` (or the stand-in closes): a Slack that answers after the client's timeout.
   */
  holdNext(method: string): HeldAnswer {
    let arrived!: (call: ApiCall) => void;
    let release!: () => void;
    const arrivedP = new Promise<ApiCall>((resolve) => (arrived = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const queue = this.holds.get(method) ?? [];
    queue.push({ arrived, released, release });
    this.holds.set(method, queue);
    this.openHolds.add(release);
    return { arrived: arrivedP, release };
  }

  /** Messages in `channel`, oldest first (what chat.postMessage created there). */
  messagesIn(channel: string): StoredMessage[] {
    return this.messages.filter((m) => m.channel === channel);
  }

  /** Resolve with the n-th (1-based) call of `method` once it has arrived; reject after `timeoutMs`. */
  waitForCalls(method: string, n: number, timeoutMs = DEFAULT_WAIT_MS): Promise<ApiCall> {
    return this.waitFor(
      () => this.callsOf(method)[n - 1],
      timeoutMs,
      () =>
        `expected ${n} call(s) of ${method}, got ${this.callsOf(method).length}; ` +
        `methods seen: [${this.calls.map((c) => c.method).join(', ')}]`,
    );
  }

  /** Resolve with the n-th (1-based) response_url POST; reject after `timeoutMs`. */
  waitForResponses(n: number, timeoutMs = DEFAULT_WAIT_MS): Promise<ResponseUrlPost> {
    return this.waitFor(
      () => this.responses[n - 1],
      timeoutMs,
      () => `expected ${n} response_url POST(s), got ${this.responses.length}`,
    );
  }

  /** Forget recorded calls, responses, stored messages, queued failures and holds (sockets stay connected). */
  reset(): void {
    this.calls.length = 0;
    this.authorizeVisits.length = 0;
    this.responses.length = 0;
    this.messages.length = 0;
    this.files.length = 0;
    this.failures.clear();
    this.delays.clear();
    this.holds.clear();
    for (const release of this.openHolds) release();
    this.openHolds.clear();
  }

  /**
   * Push an envelope to the most recently connected Socket Mode client and resolve with its ack.
   * `sendEnvelope(slashCommandEnvelope({...}))` or `sendEnvelope('events_api', eventCallback(...))`.
   */
  sendEnvelope(envelope: EnvelopeSpec, timeoutMs?: number): Promise<SocketAck>;
  sendEnvelope(type: string, payload: object, timeoutMs?: number): Promise<SocketAck>;
  sendEnvelope(a: EnvelopeSpec | string, b?: object | number, c?: number): Promise<SocketAck> {
    const spec: EnvelopeSpec = typeof a === 'string' ? { type: a, payload: b as object } : a;
    const timeoutMs = (typeof a === 'string' ? c : (b as number | undefined)) ?? DEFAULT_WAIT_MS;
    const ws = [...this.sockets].filter((s) => s.readyState === s.OPEN).at(-1);
    if (!ws) return Promise.reject(new Error('slack-standin: no Socket Mode client connected (did app.start() resolve?)'));

    const envelope_id = randomUUID();
    return new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingAcks.delete(envelope_id);
        reject(new Error(`slack-standin: no ack for ${spec.type} envelope within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pendingAcks.set(envelope_id, { resolve, reject, timer });
      ws.send(
        JSON.stringify({
          envelope_id,
          type: spec.type,
          // Slack sets this for slash commands and interactivity: it lets ack() carry a response body.
          accepts_response_payload: spec.accepts_response_payload ?? spec.type !== 'events_api',
          payload: spec.payload,
          retry_attempt: 0,
          retry_reason: '',
        }),
      );
    });
  }

  /** Close sockets, the WebSocket server and the HTTP server; reject anything still waiting. */
  async close(): Promise<void> {
    for (const release of this.openHolds) release();
    this.openHolds.clear();
    const closed = new Error('slack-standin: closed');
    for (const w of this.waiters) w.reject(closed);
    this.waiters.clear();
    for (const p of this.pendingAcks.values()) {
      clearTimeout(p.timer);
      p.reject(closed);
    }
    this.pendingAcks.clear();
    // Close handshake first, terminate as a fallback. Bolt's SocketModeReceiver.stop() resolves right after the
    // client SENDS its close frame; terminating then makes the client log "WebSocket error occurred".
    await Promise.all([...this.sockets].map((ws) => closeGracefully(ws, 300)));
    this.sockets.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    // Clients keep-alive their HTTP connections; without this server.close() would wait for them to time out.
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  // ---- internals ---------------------------------------------------------------------------------------------

  private waitFor<T>(get: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    const now = get();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const v = get();
          if (v === undefined) return false;
          clearTimeout(timer);
          resolve(v);
          return true;
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`slack-standin: timed out after ${timeoutMs} ms: ${describe()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private notify(): void {
    for (const w of this.waiters) if (w.check()) this.waiters.delete(w);
  }

  /** The bytes of an upload URL: raw, or the one file part of a multipart form (what web-api's filesUploadV2 sends). */
  private async receiveUpload(id: string, bytes: Buffer, contentType: string | undefined, res: ServerResponse): Promise<void> {
    const file = this.files.find((f) => f.id === id && !f.shared);
    if (!file) return void res.writeHead(404).end('unknown upload');
    let data = bytes;
    if (contentType?.includes('multipart/form-data')) {
      const form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData();
      const part = [...form.values()].find((v): v is File => typeof v !== 'string');
      if (!part) return void res.writeHead(400).end('no file in the form');
      data = Buffer.from(await part.arrayBuffer());
    }
    file.data = data;
    this.notify();
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${data.length}`);
  }

  /** Shares uploaded files in a channel (or thread) as one message, as Slack does; the bot must be a member. */
  private completeUpload(body: Record<string, unknown>): Record<string, unknown> {
    const listed = typeof body.files === 'string' ? parseJson(body.files) : body.files;
    if (!Array.isArray(listed) || listed.length === 0) return { ok: false, error: 'invalid_arguments' };
    const files: StoredFile[] = [];
    for (const item of listed) {
      const file = isRecord(item) ? this.files.find((f) => f.id === item.id && !f.shared) : undefined;
      if (!file) return { ok: false, error: 'file_not_found' };
      // Slack checks the bytes against the declared length.
      if (!file.data || file.data.length !== file.length) return { ok: false, error: 'file_upload_size_mismatch' };
      if (typeof item.title === 'string') file.title = item.title;
      files.push(file);
    }
    const channel = typeof body.channel_id === 'string' ? body.channel_id : undefined;
    if (channel && this.notMemberOf.has(channel)) return { ok: false, error: 'not_in_channel' };
    const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
    const comment = typeof body.initial_comment === 'string' ? body.initial_comment : undefined;
    const shown = files.map((f) => ({ id: f.id, name: f.filename, title: f.title ?? f.filename, size: f.length, url_private_download: f.url }));
    for (const f of files) Object.assign(f, { shared: true, channel, threadTs, initialComment: comment });
    if (channel) {
      this.messages.push({
        type: 'message', subtype: 'file_share', user: BOT_USER_ID, bot_id: BOT_ID, text: comment ?? '', files: shown,
        ...(threadTs ? { thread_ts: threadTs } : {}), ts: this.nextTs(), channel,
      });
    }
    this.notify();
    return { ok: true, files: shown.map(({ id, title }) => ({ id, title })) };
  }

  /** Resolve with the n-th (1-based) file shared in a channel; reject after `timeoutMs`. */
  waitForSharedFiles(n: number, timeoutMs = DEFAULT_WAIT_MS): Promise<StoredFile> {
    return this.waitFor(
      () => this.files.filter((f) => f.shared)[n - 1],
      timeoutMs,
      () => `expected ${n} shared file(s), got ${this.files.filter((f) => f.shared).length}; methods seen: [${this.calls.map((c) => c.method).join(', ')}]`,
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const bytes = await readBytes(req);
    const raw = bytes.toString('utf8');

    if (req.method === 'POST' && url.pathname.startsWith('/upload/')) {
      await this.receiveUpload(decodeURIComponent(url.pathname.slice('/upload/'.length)), bytes, req.headers['content-type'], res);
      return;
    }

    if (req.method === 'GET' && url.pathname.startsWith('/files/')) {
      const file = this.files.find((f) => f.url === `${this.baseUrl}${url.pathname}` && f.shared && f.data);
      if (file) res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.data!.length }).end(file.data);
      else sendJson(res, 404, { ok: false, error: 'file_not_found' });
      return;
    }

    if (req.method === 'POST' && url.pathname.startsWith('/response/')) {
      const id = decodeURIComponent(url.pathname.slice('/response/'.length));
      this.responses.push({ id, body: parseJson(raw) });
      this.notify();
      sendJson(res, 200, { ok: true });
      return;
    }

    if (req.method === 'GET' && url.pathname === '/oauth/v2/authorize') {
      this.consentScreen(url, res);
      return;
    }

    if (req.method === 'POST' && url.pathname.startsWith('/api/')) {
      const method = url.pathname.slice('/api/'.length);
      const body = parseApiBody(raw, req.headers['content-type']);
      const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      const call: ApiCall = {
        method,
        body,
        authorization: req.headers.authorization,
        token: bearer ?? (typeof body.token === 'string' ? body.token : undefined),
        response: undefined,
      };
      this.calls.push(call);
      const delay = this.delays.get(method)?.shift();
      if (delay !== undefined) {
        this.notify();
        await new Promise((r) => setTimeout(r, delay));
      }

      const failure = this.failures.get(method)?.shift();
      if (typeof failure === 'object') {
        if (failure.afterProcessing) this.answer(method, call.body, call.token, req.headers.authorization);
        if (failure.reset) {
          req.socket.destroy();
        } else {
          const headers: Record<string, string> = {};
          if (failure.status === 429) headers['retry-after'] = String(failure.retryAfter ?? 0);
          res.writeHead(failure.status, headers).end(failure.body ?? '');
        }
      } else {
        call.response = failure !== undefined ? { ok: false, error: failure } : this.answer(method, call.body, call.token, req.headers.authorization);
        const hold = this.holds.get(method)?.shift();
        if (hold) {
          hold.arrived(call);
          this.notify();
          await hold.released;
          this.openHolds.delete(hold.release);
        }
        if (!res.destroyed) sendJson(res, 200, call.response);
      }
      // Notify after answering: a test awaiting this call may close the stand-in right away.
      this.notify();
      return;
    }

    sendJson(res, 404, { ok: false, error: 'standin_unknown_path', path: url.pathname });
  }

  /**
   * The consent screen: a visitor who arrives with the app's client id and a state "clicks Allow" for the workspace
   * queued by `nextInstall`, and is sent back to the redirect URL with a one-time code and the same state.
   */
  private consentScreen(url: URL, res: ServerResponse): void {
    const query = Object.fromEntries(url.searchParams);
    const visit: AuthorizeVisit = { query, status: 400, location: undefined };
    this.authorizeVisits.push(visit);
    const redirectUri = query.redirect_uri ?? this.oauthApp?.redirectUrl;
    const workspace = this.installQueue.shift();
    if (!this.oauthApp || query.client_id !== this.oauthApp.clientId || !redirectUri || !workspace) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end(!workspace ? 'no workspace to install into' : 'invalid_client_id or no redirect URL');
    } else {
      const code = `code-${randomUUID()}`;
      this.codes.set(code, { workspace, scope: query.scope ?? '', redirectUri: query.redirect_uri });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      if (query.state !== undefined) back.searchParams.set('state', query.state);
      visit.status = 302;
      visit.location = back.toString();
      res.writeHead(302, { location: visit.location }).end();
    }
    this.notify();
  }

  /** oauth.v2.access: the app's credentials (form fields or HTTP Basic) and a one-time code → the installation. */
  private oauthAccess(body: Record<string, unknown>, authorization: string | undefined): Record<string, unknown> {
    let clientId = body.client_id;
    let clientSecret = body.client_secret;
    const basic = /^Basic (\S+)$/.exec(authorization ?? '')?.[1];
    if (basic) [clientId, clientSecret] = Buffer.from(basic, 'base64').toString('utf8').split(':');
    if (!this.oauthApp || clientId !== this.oauthApp.clientId) return { ok: false, error: 'invalid_client_id' };
    if (clientSecret !== this.oauthApp.clientSecret) return { ok: false, error: 'bad_client_secret' };
    const grant = this.codes.get(String(body.code));
    if (!grant) return { ok: false, error: 'invalid_code' };
    this.codes.delete(String(body.code));
    if (grant.redirectUri !== undefined && body.redirect_uri !== grant.redirectUri) return { ok: false, error: 'bad_redirect_uri' };
    const { workspace } = grant;
    return {
      ok: true,
      app_id: APP_ID,
      authed_user: { id: workspace.installer },
      scope: grant.scope,
      token_type: 'bot',
      access_token: workspace.botToken,
      bot_user_id: workspace.botUserId,
      team: { id: workspace.teamId, name: workspace.teamName },
      enterprise: null,
      is_enterprise_install: false,
      incoming_webhook: {
        channel: `#${workspace.channel.name}`,
        channel_id: workspace.channel.id,
        configuration_url: `https://${workspace.teamName.toLowerCase()}.slack.com/services/B${workspace.teamId}`,
        url: `https://hooks.slack.com/services/${workspace.teamId}/B0001/standin`,
      },
    };
  }

  private answer(method: string, body: Record<string, unknown>, token?: string, authorization?: string): Record<string, unknown> {
    const workspace = this.workspaceOf(token);
    switch (method) {
      case 'oauth.v2.access':
        return this.oauthAccess(body, authorization);
      case 'auth.test':
        return {
          ok: true,
          url: 'https://standin.slack.com/',
          team: workspace?.teamName ?? 'Standin',
          user: 'bot',
          team_id: workspace?.teamId ?? TEAM_ID,
          user_id: workspace?.botUserId ?? BOT_USER_ID,
          bot_id: workspace?.botId ?? BOT_ID,
        };
      case 'apps.connections.open':
        return { ok: true, url: `${this.baseUrl.replace(/^http/, 'ws')}/socket` };
      case 'chat.postMessage': {
        // Slack refuses a message whose blocks break a documented limit, naming what is wrong.
        const problems = slackBlockProblems(typeof body.blocks === 'string' ? parseJson(body.blocks) : body.blocks);
        if (problems.length > 0) return { ok: false, error: 'invalid_blocks', errors: problems };
        const ts = this.nextTs();
        const { channel, ...message } = body;
        const { token: _token, ...fields } = message;
        const stored = {
          ...fields, type: 'message', user: workspace?.botUserId ?? BOT_USER_ID, bot_id: workspace?.botId ?? BOT_ID, app_id: APP_ID,
          team: workspace?.teamId ?? TEAM_ID, ts,
        };
        this.messages.push({ ...stored, channel: String(channel) });
        return { ok: true, channel, ts, message: stored };
      }
      case 'files.upload':
        // Retired (Slack stopped it in 2025): the current flow is getUploadURLExternal + completeUploadExternal.
        return { ok: false, error: 'method_deprecated' };
      case 'files.getUploadURLExternal': {
        const length = Number(body.length);
        if (typeof body.filename !== 'string' || body.filename === '') return { ok: false, error: 'invalid_arguments' };
        if (!Number.isInteger(length) || length <= 0) return { ok: false, error: 'invalid_arguments' };
        const id = `F${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
        this.files.push({ id, filename: body.filename, length, url: `${this.baseUrl}/files/${id}/${encodeURIComponent(body.filename)}`, shared: false });
        return { ok: true, upload_url: `${this.baseUrl}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal':
        return this.completeUpload(body);
      case 'users.info': {
        const id = typeof body.user === 'string' ? body.user : '';
        if (!/^[UW][A-Z0-9]+$/.test(id)) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { id, team_id: workspace?.teamId ?? TEAM_ID, name: id.toLowerCase(), deleted: false, is_bot: false, is_admin: this.admins.has(id), is_owner: false, is_primary_owner: false } };
      }
      case 'conversations.open': {
        // The bot's DM with one user (a multi-person DM is not modelled): the same id every time, as Slack gives.
        const users = typeof body.users === 'string' ? body.users.split(',').filter(Boolean) : [];
        if (users.length !== 1) return { ok: false, error: users.length === 0 ? 'users_list_not_supplied' : 'not_supported' };
        return { ok: true, channel: { id: `D${users[0]}` } };
      }
      case 'conversations.history': {
        // Newest first, from `oldest` on; metadata only with include_all_metadata, as Slack does. The cursor is an offset.
        const oldest = Number(body.oldest ?? 0);
        const limit = Number(body.limit ?? 100) || 100;
        const offset = Number(body.cursor ?? 0) || 0;
        const all = this.messagesIn(String(body.channel)).filter((m) => Number(m.ts) >= oldest).reverse();
        const page = all.slice(offset, offset + limit).map(({ channel: _c, metadata, ...m }) => (body.include_all_metadata === 'true' && metadata ? { ...m, metadata } : m));
        const more = offset + limit < all.length;
        return { ok: true, messages: page, has_more: more, ...(more ? { response_metadata: { next_cursor: String(offset + limit) } } : {}) };
      }
      default:
        return { ok: true };
    }
  }

  /** Slack ts values look like '1700000000.000123' and are unique per channel; ours are unique per stand-in. */
  private nextTs(): string {
    this.tsCounter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (data) => {
      const msg = parseJson(String(data));
      if (!isRecord(msg) || typeof msg.envelope_id !== 'string') return;
      const pending = this.pendingAcks.get(msg.envelope_id);
      if (!pending) return;
      this.pendingAcks.delete(msg.envelope_id);
      clearTimeout(pending.timer);
      const ack: SocketAck = { envelope_id: msg.envelope_id };
      if (isRecord(msg.payload)) ack.payload = msg.payload;
      pending.resolve(ack);
    });
    // The Socket Mode client's start() resolves on this message.
    ws.send(
      JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'standin' }, connection_info: { app_id: APP_ID } }),
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Payload builders
// ---------------------------------------------------------------------------------------------------------------

/**
 * Slash command fields with defaults. Pass `response_url: standin.responseUrl('id')` if the handler calls
 * `respond()`: the default points at a closed port.
 */
export function slashCommandFields(fields: Partial<SlashCommandFields> = {}): SlashCommandFields {
  return {
    token: 'legacy-verification-token',
    team_id: TEAM_ID,
    team_domain: 'standin',
    channel_id: 'C1',
    channel_name: 'general',
    user_id: 'U1',
    user_name: 'alice',
    command: '/ping',
    text: '',
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: 'http://127.0.0.1:1/response/unset',
    trigger_id: `trigger.${randomUUID()}`,
    ...fields,
  };
}

/** Socket Mode envelope for a slash command (its ack carries the `ack({...})` body). */
export function slashCommandEnvelope(fields: Partial<SlashCommandFields> = {}): EnvelopeSpec {
  return { type: 'slash_commands', payload: slashCommandFields(fields), accepts_response_payload: true };
}

/** An `event_callback` body around `event` (HTTP: `signedEvent`; Socket Mode: `eventsApiEnvelope`). */
export function eventCallback(event: SlackEvent, overrides: Partial<EventCallbackBody> = {}): EventCallbackBody {
  const now = Math.floor(Date.now() / 1000);
  return {
    token: 'legacy-verification-token',
    team_id: TEAM_ID,
    api_app_id: APP_ID,
    event: { event_ts: `${now}.000100`, ...event },
    type: 'event_callback',
    event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
    event_time: now,
    authorizations: [{ enterprise_id: null, team_id: TEAM_ID, user_id: BOT_USER_ID, is_bot: true }],
    is_ext_shared_channel: false,
    ...overrides,
  };
}

/** Socket Mode envelope for an Events API event. */
export function eventsApiEnvelope(event: SlackEvent, overrides: Partial<EventCallbackBody> = {}): EnvelopeSpec {
  return { type: 'events_api', payload: eventCallback(event, overrides), accepts_response_payload: false };
}

// ---------------------------------------------------------------------------------------------------------------
// Signed requests for Bolt's HTTP receiver
// ---------------------------------------------------------------------------------------------------------------

/** Slack's v0 request signature: 'v0=' + hex(HMAC-SHA256(secret, 'v0:' + ts + ':' + rawBody)). */
export function slackSignature(signingSecret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/** POST `rawBody` to `baseUrl + path`, signed like Slack does (or deliberately not, see SignOptions). */
export async function signedPost(
  baseUrl: string,
  signingSecret: string,
  contentType: string,
  rawBody: string,
  opts: SignOptions = {},
): Promise<HttpResult> {
  const timestamp = Math.floor(Date.now() / 1000) - (opts.ageSeconds ?? 0);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    ...opts.headers,
  };
  const signature = opts.signature ?? 'valid';
  if (signature !== 'missing') {
    const secret = signature === 'forged' ? `${signingSecret}-forged` : signingSecret;
    headers['x-slack-signature'] = slackSignature(secret, timestamp, rawBody);
  }
  const res = await fetch(new URL(opts.path ?? '/slack/events', baseUrl), { method: 'POST', headers, body: rawBody });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}

/** A slash command as Slack sends it in HTTP mode (form-encoded). */
export function signedSlashCommand(
  baseUrl: string,
  signingSecret: string,
  fields: Partial<SlashCommandFields> = {},
  opts: SignOptions = {},
): Promise<HttpResult> {
  const raw = new URLSearchParams({ ...slashCommandFields(fields) }).toString();
  return signedPost(baseUrl, signingSecret, 'application/x-www-form-urlencoded', raw, opts);
}

/** A JSON body (`eventCallback(...)`, or `{type:'url_verification', challenge, token}`) as Slack sends events. */
export function signedEvent(
  baseUrl: string,
  signingSecret: string,
  body: object,
  opts: SignOptions = {},
): Promise<HttpResult> {
  return signedPost(baseUrl, signingSecret, 'application/json', JSON.stringify(body), opts);
}

/** A button click's `block_actions` payload, as Slack sends it to the request URL (HTTP) or in an `interactive` envelope. */
export function blockActionsPayload(fields: BlockActionFields): Record<string, unknown> {
  const team = fields.team ?? TEAM_ID;
  const messageTs = fields.messageTs ?? `${Math.floor(Date.now() / 1000)}.000200`;
  return {
    type: 'block_actions',
    user: { id: fields.user, username: fields.user.toLowerCase(), name: fields.user.toLowerCase(), team_id: team },
    api_app_id: APP_ID,
    token: 'legacy-verification-token',
    container: {
      type: 'message', message_ts: messageTs, channel_id: fields.channel, is_ephemeral: fields.isEphemeral ?? false,
      ...(fields.threadTs ? { thread_ts: fields.threadTs } : {}),
    },
    trigger_id: `trigger.${randomUUID()}`,
    team: { id: team, domain: 'standin' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: fields.channel, name: 'general' },
    ...(fields.isEphemeral ? {} : { message: { type: 'message', user: BOT_USER_ID, bot_id: BOT_ID, ts: messageTs, ...(fields.threadTs ? { thread_ts: fields.threadTs } : {}), text: '' } }),
    state: { values: {} },
    response_url: fields.responseUrl,
    actions: [{
      type: 'button', action_id: fields.actionId, block_id: 'b1', text: { type: 'plain_text', text: fields.text ?? fields.value, emoji: false },
      value: fields.value, action_ts: `${Date.now() / 1000}`,
    }],
  };
}

/** A click as Slack POSTs it in HTTP mode: `payload=<json>`, form-encoded and signed. */
export function signedBlockActions(baseUrl: string, signingSecret: string, fields: BlockActionFields, opts: SignOptions = {}): Promise<HttpResult> {
  const raw = new URLSearchParams({ payload: JSON.stringify(blockActionsPayload(fields)) }).toString();
  return signedPost(baseUrl, signingSecret, 'application/x-www-form-urlencoded', raw, opts);
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------------------

function readBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseApiBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) {
    const parsed = parseJson(raw);
    return isRecord(parsed) ? parsed : {};
  }
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    body[key] = JSON_FIELDS.has(key) ? (parseJson(value) ?? value) : value;
  }
  return body;
}

function closeGracefully(ws: WebSocket, timeoutMs: number): Promise<void> {
  if (ws.readyState === ws.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => ws.terminate(), timeoutMs);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (ws.readyState === ws.OPEN) ws.close(1001, 'stand-in closing');
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

// ---------------------------------------------------------------------------------------------------------------
// Block validation: data_visualization and data_table, against the limits Slack documents
// (docs.slack.dev/reference/block-kit/blocks/data-visualization-block and …/data-table-block), kept here on their
// own so the renderer's constants are checked, not trusted.
// ---------------------------------------------------------------------------------------------------------------

const DOCUMENTED = {
  chartsPerMessage: 2,
  chartTitle: 50,
  chartTypes: ['bar', 'line', 'area', 'pie'],
  series: { min: 1, max: 6 },
  seriesName: 20,
  points: { min: 1, max: 20 },
  category: 20,
  axisLabel: 50,
  pieSegments: { min: 1, max: 6 },
  tableRows: { min: 2, max: 101 },
  tableColumns: { min: 1, max: 20 },
  tableCellChars: 10_000,
  pageSize: { min: 1, max: 100 },
} as const;

/** What is wrong with a message's blocks (empty when Slack would take them), for the block types with charts. */
export function slackBlockProblems(blocks: unknown): string[] {
  if (blocks === undefined) return [];
  if (!Array.isArray(blocks)) return ['blocks: not an array'];
  const problems: string[] = [];
  let charts = 0;
  let tableChars = 0;
  blocks.forEach((block: unknown, n) => {
    if (!isRecord(block)) return void problems.push(`blocks[${n}]: not an object`);
    const at = `blocks[${n}] (${String(block.type)})`;
    if (block.type === 'data_visualization') {
      charts++;
      problems.push(...chartProblems(block, at));
    } else if (block.type === 'data_table') {
      const { problems: p, chars } = dataTableProblems(block, at);
      problems.push(...p);
      tableChars += chars;
    }
  });
  if (charts > DOCUMENTED.chartsPerMessage) problems.push(`${charts} data_visualization blocks; at most ${DOCUMENTED.chartsPerMessage} per message`);
  if (tableChars > DOCUMENTED.tableCellChars) problems.push(`data tables hold ${tableChars} characters; at most ${DOCUMENTED.tableCellChars} per message`);
  return problems;
}

const length = (s: unknown): number => (typeof s === 'string' ? [...s].length : -1);

function chartProblems(block: Record<string, unknown>, at: string): string[] {
  const out: string[] = [];
  if (length(block.title) < 1 || length(block.title) > DOCUMENTED.chartTitle) out.push(`${at}: title must be 1–${DOCUMENTED.chartTitle} characters, got ${JSON.stringify(block.title)}`);
  const chart = block.chart;
  if (!isRecord(chart)) return [...out, `${at}: chart missing`];
  if (!DOCUMENTED.chartTypes.includes(chart.type as never)) out.push(`${at}: chart.type ${String(chart.type)} is not one of ${DOCUMENTED.chartTypes.join(', ')}`);
  if (chart.type === 'pie') {
    const segments = Array.isArray(chart.segments) ? chart.segments : [];
    if (segments.length < DOCUMENTED.pieSegments.min || segments.length > DOCUMENTED.pieSegments.max) out.push(`${at}: ${segments.length} segments`);
    return out;
  }
  const axis = chart.axis_config;
  if (!isRecord(axis) || !Array.isArray(axis.categories)) return [...out, `${at}: axis_config.categories missing`];
  const categories = axis.categories as unknown[];
  categories.forEach((c, i) => {
    if (length(c) < 1 || length(c) > DOCUMENTED.category) out.push(`${at}: category ${i} must be 1–${DOCUMENTED.category} characters, got ${JSON.stringify(c)}`);
  });
  for (const key of ['x_label', 'y_label'] as const) {
    if (axis[key] !== undefined && length(axis[key]) > DOCUMENTED.axisLabel) out.push(`${at}: axis_config.${key} over ${DOCUMENTED.axisLabel} characters`);
  }
  const series = Array.isArray(chart.series) ? (chart.series as unknown[]) : [];
  if (series.length < DOCUMENTED.series.min || series.length > DOCUMENTED.series.max) out.push(`${at}: ${series.length} series; ${DOCUMENTED.series.min}–${DOCUMENTED.series.max} allowed`);
  const names = new Set<string>();
  series.forEach((s, i) => {
    if (!isRecord(s)) return void out.push(`${at}: series ${i} not an object`);
    if (length(s.name) < 1 || length(s.name) > DOCUMENTED.seriesName) out.push(`${at}: series ${i} name must be 1–${DOCUMENTED.seriesName} characters, got ${JSON.stringify(s.name)}`);
    if (names.has(String(s.name))) out.push(`${at}: series name ${JSON.stringify(s.name)} repeated`);
    names.add(String(s.name));
    const data = Array.isArray(s.data) ? (s.data as unknown[]) : [];
    if (data.length < DOCUMENTED.points.min || data.length > DOCUMENTED.points.max) out.push(`${at}: series ${i} has ${data.length} points; ${DOCUMENTED.points.min}–${DOCUMENTED.points.max} allowed`);
    // One point per category, in the categories' order.
    const labels = data.map((p) => (isRecord(p) ? p.label : undefined));
    if (JSON.stringify(labels) !== JSON.stringify(categories)) out.push(`${at}: series ${i} labels ${JSON.stringify(labels)} do not match the categories`);
    data.forEach((p, k) => {
      if (!isRecord(p) || typeof p.value !== 'number' || !Number.isFinite(p.value)) out.push(`${at}: series ${i} point ${k} has no numeric value`);
    });
  });
  return out;
}

function dataTableProblems(block: Record<string, unknown>, at: string): { problems: string[]; chars: number } {
  const out: string[] = [];
  if (length(block.caption) < 1) out.push(`${at}: caption is required`);
  const rows = Array.isArray(block.rows) ? (block.rows as unknown[]) : [];
  if (rows.length < DOCUMENTED.tableRows.min || rows.length > DOCUMENTED.tableRows.max) out.push(`${at}: ${rows.length} rows (header included); ${DOCUMENTED.tableRows.min}–${DOCUMENTED.tableRows.max} allowed`);
  let chars = 0;
  const width = Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : 0;
  if (width < DOCUMENTED.tableColumns.min || width > DOCUMENTED.tableColumns.max) out.push(`${at}: ${width} columns; ${DOCUMENTED.tableColumns.min}–${DOCUMENTED.tableColumns.max} allowed`);
  rows.forEach((row, r) => {
    if (!Array.isArray(row)) return void out.push(`${at}: row ${r} is not an array`);
    if (row.length !== width) out.push(`${at}: row ${r} has ${row.length} cells, the header ${width}`);
    row.forEach((cell: unknown, c) => {
      if (!isRecord(cell)) return void out.push(`${at}: cell ${r},${c} not an object`);
      if (cell.type === 'raw_text') {
        if (length(cell.text) < 1) out.push(`${at}: cell ${r},${c} raw_text is empty`);
        chars += Math.max(0, length(cell.text));
      } else if (cell.type === 'raw_number') {
        if (typeof cell.value !== 'number') out.push(`${at}: cell ${r},${c} raw_number has no number`);
        chars += Math.max(0, length(cell.text));
      } else if (cell.type === 'rich_text') {
        if (r === 0) out.push(`${at}: header cell ${c} may not be rich_text`);
      } else out.push(`${at}: cell ${r},${c} has type ${String(cell.type)}`);
    });
  });
  if (chars > DOCUMENTED.tableCellChars) out.push(`${at}: ${chars} characters in its cells; at most ${DOCUMENTED.tableCellChars}`);
  if (block.page_size !== undefined && (typeof block.page_size !== 'number' || block.page_size < DOCUMENTED.pageSize.min || block.page_size > DOCUMENTED.pageSize.max)) out.push(`${at}: page_size ${String(block.page_size)}`);
  return { problems: out, chars };
}
