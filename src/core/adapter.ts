/** The small interfaces every platform adapter exposes, so main and the scheduler treat them alike. */
import type { Reply } from './reply.js';
import type { Platform } from './request.js';

export type AdapterState = 'starting' | 'connected' | 'reconnecting' | 'stopped' | 'failed';

export interface PostedMessage {
  /** Slack `ts` or Discord message id. */
  id: string;
  channel: string;
}

/** Posts a reply to a channel on the bot's own initiative (the digest), rendered for its platform. */
export interface Poster {
  readonly platform: Platform;
  post(channel: string, reply: Reply): Promise<PostedMessage>;
}

export interface Adapter extends Poster {
  readonly state: AdapterState;
  start(): Promise<void>;
  /** Stops taking new work, lets replies in flight finish, closes the client. */
  stop(): Promise<void>;
}
