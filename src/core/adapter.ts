/** The small interfaces every platform adapter exposes, so main and the scheduler treat them alike. */
import type { Reply } from './reply.js';
import type { Platform } from './request.js';

export type AdapterState = 'starting' | 'connected' | 'reconnecting' | 'stopped' | 'failed';

export interface PostedMessage {
  /** Slack `ts` or Discord message id. */
  id: string;
  channel: string;
}

/** Optional extras of a post; a poster that knows none of them still posts the reply. */
export interface PostOptions {
  /**
   * Names this post across retries and runs (the digest: `slack:C0123:2025-05`). Where the platform can, a second
   * post with the same key within a few minutes returns the first message instead of creating one (Discord's
   * `nonce` + `enforce_nonce`), and `findPosted` finds the message by it (Slack message metadata).
   */
  idempotencyKey?: string;
  /** A machine-readable label kept with the message where the platform allows it (Slack: metadata `event_type`). */
  metadata?: { type: string; payload: Record<string, string> };
}

/**
 * Thrown by `post` when the platform may or may not have created the message: the request timed out, the
 * connection dropped, or the platform answered 5xx after receiving it. Never retry such a post blindly.
 */
export class PostOutcomeUnknownError extends Error {
  override readonly name = 'PostOutcomeUnknownError';
  readonly outcomeUnknown = true;
}

/** Marks a platform's own error (keeping its type and code) as an unknown outcome, for `isOutcomeUnknown`. */
export function markOutcomeUnknown(err: unknown): Error {
  if (!(err instanceof Error)) return new PostOutcomeUnknownError(String(err));
  Object.defineProperty(err, 'outcomeUnknown', { value: true, enumerable: false });
  return err;
}

/** True for a post whose outcome is unknown (works across module copies, unlike `instanceof` alone). */
export function isOutcomeUnknown(err: unknown): boolean {
  return err instanceof PostOutcomeUnknownError || (typeof err === 'object' && err !== null && (err as { outcomeUnknown?: unknown }).outcomeUnknown === true);
}

/** Posts a reply to a channel on the bot's own initiative (the digest), rendered for its platform. */
export interface Poster {
  readonly platform: Platform;
  /** Throws `PostOutcomeUnknownError` when the message may have been created; any other error means it was not. */
  post(channel: string, reply: Reply, options?: PostOptions): Promise<PostedMessage>;
  /**
   * Looks for this bot's own message posted with `idempotencyKey` since `since`: the message, or undefined when
   * it is certainly not there. Throws when it cannot tell (no permission to read history, too many messages).
   * Optional: a platform that cannot check leaves an unknown outcome to an operator.
   */
  findPosted?(channel: string, query: { idempotencyKey: string; since: Date }): Promise<PostedMessage | undefined>;
  /**
   * Channels the poster finds by itself rather than from the configuration (Slack in many workspaces: the channel
   * each workspace's installer picked). Asked again before every digest run, so a workspace installed later is
   * included. Optional.
   */
  channels?(): Promise<readonly string[]>;
}

export interface Adapter extends Poster {
  readonly state: AdapterState;
  start(): Promise<void>;
  /** Stops taking new work, lets replies in flight finish, closes the client. */
  stop(): Promise<void>;
}
