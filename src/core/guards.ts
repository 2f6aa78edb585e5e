/**
 * Guards run before any work is done: the workspace allow-list and the per-user rate limit.
 * Each returns undefined to let a request through, or the reply that refuses it. A refusal is told once per
 * user and window; after that the reply is `silent` (adapters send nothing), so a flood costs no messages.
 */
import { OncePerWindow, type RateDecision, type RateLimiter, type RateLimiterOptions } from './rate-limit.js';
import { notice, type Reply } from './reply.js';
import type { Platform, Request } from './request.js';

type LogMethod = (details: Record<string, unknown>, message: string) => void;

/**
 * Refusals are routine (a bot added to a server it does not serve, a user who keeps asking): they are logged at
 * info, once per workspace and window. `error` is never used; it is accepted so the bot's error logger fits as is
 * (a logger without `info` logs no refusals).
 */
export interface GuardLogger {
  info?: LogMethod;
  error?: LogMethod;
}

export interface Refusal {
  outcome: 'refused' | 'rate_limited';
  /** `silent: true` means "send nothing": the user was already told in this window. */
  reply: Reply;
}

export type Guard = (request: Request) => Refusal | undefined;

/** The window a refusal is told (and logged) once in; the same minute as the rate limit by default. */
export type RefusalWindowOptions = Omit<RateLimiterOptions, 'limit'>;

/**
 * Whether a workspace (Slack team, Discord guild) may use the bot. An absent or empty list allows every one;
 * with a list, a request from no workspace at all (a Discord DM) is refused too, since it cannot be placed.
 * The single definition of the rule: the core's guard and an adapter's own checks (autocomplete) both use it.
 */
export function workspaceAllowed(list: readonly string[] | undefined, workspace: string | undefined): boolean {
  if (!list || list.length === 0) return true;
  return workspace !== undefined && workspace !== '' && list.includes(workspace);
}

/** The key the rate limit counts under: one per person on a platform, whatever server, channel or DM they write from. */
export function rateLimitKey(request: Pick<Request, 'platform' | 'user'>): string {
  return `${request.platform}:${request.user ?? ''}`;
}

const notEnabled = (): Reply => notice('Sorry, this bot is not enabled here', ['Ask the admin who installed it to add this workspace to its allow-list.']);

/**
 * Requests from a workspace outside a non-empty allow-list are refused: the first one per user and workspace in a
 * window gets the notice, the rest of that window nothing. One info line per workspace and window says so.
 */
export function allowListGuard(allowed: Partial<Record<Platform, readonly string[]>>, logger?: GuardLogger, window: RefusalWindowOptions = {}): Guard {
  const told = new OncePerWindow(window);
  const logged = new OncePerWindow(window);
  return (request) => {
    if (workspaceAllowed(allowed[request.platform], request.workspace)) return undefined;
    const workspace = request.workspace ?? '';
    if (logged.first(`${request.platform}:${workspace}`)) {
      logger?.info?.(
        { platform: request.platform, workspace: request.workspace, user: request.user },
        'request from a workspace that is not allowed (refused; more from this workspace in this window are not logged)',
      );
    }
    const tell = told.first(`${request.platform}:${workspace}:${request.user ?? ''}`);
    return { outcome: 'refused', reply: tell ? notEnabled() : { ...notEnabled(), silent: true } };
  };
}

/** Only chat platforms are rate limited: the console, the CLI and the scheduler are not. */
export const rateLimited = (request: Pick<Request, 'platform'>): boolean => request.platform === 'slack' || request.platform === 'discord';

/** The refusal a limiter's decision means: the "slow down" notice once per window, then silence. */
export function rateLimitRefusal(decision: RateDecision): Refusal | undefined {
  if (decision.allowed) return undefined;
  const reply = notice('Slow down a little', [`You have sent a lot of requests in the last minute. Try again in ${decision.retryInSeconds} s.`]);
  return { outcome: 'rate_limited', reply: decision.warn ? reply : { ...reply, silent: true } };
}

/** Chat platforms are limited per user (see `rateLimitKey`); the console, the CLI and the scheduler are not. */
export function rateLimitGuard(limiter: RateLimiter): Guard {
  return (request) => (rateLimited(request) ? rateLimitRefusal(limiter.check(rateLimitKey(request))) : undefined);
}

/**
 * A limiter kept outside this process (shared mode: PostgreSQL, src/shared/rate-limit.ts), so a user's requests
 * count together whichever instance answers. Asked before the synchronous guards, by `Bot.admit`.
 */
export interface AsyncRateLimiter {
  check(key: string): Promise<RateDecision>;
}
