/**
 * Keeps an adapter running: when it cannot connect (bad token, unreachable API) the failure is logged and a
 * fresh adapter is tried again with exponential backoff, so one platform's trouble never stops the others.
 */
import { UserError } from '../core/errors.js';
import type { Adapter, AdapterState, PostedMessage } from '../core/adapter.js';
import type { Reply } from '../core/reply.js';
import type { Platform } from '../core/request.js';
import type { Logger } from '../log.js';

export interface SuperviseOptions {
  platform: Platform;
  /** Builds a fresh adapter for each attempt (a client that failed to start is not reused). */
  create: () => Adapter | Promise<Adapter>;
  logger: Logger;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** Network error codes (Node and undici) that mean "cannot reach the platform", not a bug. */
const UNREACHABLE: Record<string, string> = {
  ENOTFOUND: 'the host name does not resolve in DNS',
  EAI_AGAIN: 'DNS could not resolve the host name right now',
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  ENETUNREACH: 'the network is unreachable',
  EHOSTUNREACH: 'the host is unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  CERT_HAS_EXPIRED: 'the TLS certificate has expired',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the TLS certificate could not be verified',
  SELF_SIGNED_CERT_IN_CHAIN: 'the TLS certificate could not be verified',
};


/**
 * One line saying why an adapter could not start, when the cause is the network or the credentials
 * ("slack.com: the host name does not resolve in DNS (ENOTFOUND)"); undefined for anything else (a bug: log the stack).
 * Generic over adapters: it reads only the error, its `cause` chain and their Node error codes.
 */
export function startFailureReason(err: unknown, platform?: string): string | undefined {
  const chain: unknown[] = [];
  for (let e: unknown = err; e && chain.length < 8 && !chain.includes(e); e = (e as { cause?: unknown }).cause) chain.push(e);
  for (const e of chain) {
    // Something the user configures (a refused token, a missing intent): its own message says what to fix.
    if (e instanceof UserError) return oneLine(e.message.replace(/^The configuration is invalid:\s*/, ''));
  }
  for (const e of chain) {
    const { code, hostname, address, port } = e as { code?: unknown; hostname?: unknown; address?: unknown; port?: unknown };
    if (typeof code === 'string' && code in UNREACHABLE) {
      const where = typeof hostname === 'string' ? hostname : typeof address === 'string' ? `${address}${typeof port === 'number' ? `:${port}` : ''}` : '';
      return `${where ? `${where}: ` : ''}${UNREACHABLE[code]} (${code}); check the network${platform ? ` and ${platform.toUpperCase()}_API_URL` : ''}`;
    }
  }
  return undefined;
}

function oneLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).join('; ');
}

export class SupervisedAdapter implements Adapter {
  readonly platform: Platform;
  private current?: Adapter;
  private stopped = false;
  private waiting = false;
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: SuperviseOptions) {
    this.platform = options.platform;
  }

  get state(): AdapterState {
    if (this.stopped) return 'stopped';
    if (this.waiting) return 'reconnecting';
    return this.current?.state ?? 'starting';
  }

  /** Resolves after the first attempt, whatever its result; retries go on in the background. */
  async start(): Promise<void> {
    await this.attempt(this.options.initialDelayMs ?? 1000);
  }

  private async attempt(delay: number): Promise<void> {
    this.waiting = false;
    if (this.stopped) return;
    const log = this.options.logger.child({ adapter: this.platform });
    try {
      this.current = await this.options.create();
      await this.current.start();
      log.info('adapter started');
    } catch (err) {
      const reason = startFailureReason(err, this.platform);
      // A failure the user can fix (network, DNS, a refused token) is one line with the reason; anything else is
      // a bug, logged with its stack.
      if (reason) log.error({ reason, retryInMs: delay }, 'adapter failed to start; will retry');
      else log.error({ err, retryInMs: delay }, 'adapter failed to start; will retry');
      await this.current?.stop().catch(() => undefined);
      this.current = undefined;
      if (this.stopped) return;
      this.waiting = true;
      this.timer = setTimeout(() => void this.attempt(Math.min(delay * 2, this.options.maxDelayMs ?? 60_000)), delay);
    }
  }

  async post(channel: string, reply: Reply): Promise<PostedMessage> {
    if (!this.current || this.state !== 'connected') throw new Error(`${this.platform} is not connected`);
    return this.current.post(channel, reply);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current?.stop();
  }
}
