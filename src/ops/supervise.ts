/**
 * Keeps an adapter running: when it cannot connect (bad token, unreachable API) the failure is logged and a
 * fresh adapter is tried again with exponential backoff, so one platform's trouble never stops the others.
 */
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
      log.error({ err, retryInMs: delay }, 'adapter failed to start; will retry');
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
