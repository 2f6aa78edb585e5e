/**
 * Guards run before any work is done: the workspace allow-list and the per-user rate limit.
 * Each returns undefined to let a request through, or the reply that refuses it.
 */
import type { RateLimiter } from './rate-limit.js';
import { notice, type Reply } from './reply.js';
import type { Platform, Request } from './request.js';

export interface GuardLogger {
  error(details: Record<string, unknown>, message: string): void;
}

export interface Refusal {
  outcome: 'refused' | 'rate_limited';
  reply: Reply;
}

export type Guard = (request: Request) => Refusal | undefined;

/** Requests from a workspace (Slack team, Discord guild) outside a non-empty allow-list are refused. */
export function allowListGuard(allowed: Partial<Record<Platform, readonly string[]>>, logger?: GuardLogger): Guard {
  return (request) => {
    const list = allowed[request.platform];
    if (!list || list.length === 0 || (request.workspace && list.includes(request.workspace))) return undefined;
    logger?.error({ platform: request.platform, workspace: request.workspace, user: request.user }, 'request from a workspace that is not allowed');
    return { outcome: 'refused', reply: notice('Sorry, this bot is not enabled here', ['Ask the admin who installed it to add this workspace to its allow-list.']) };
  };
}

/** Chat platforms are limited per user; the console, the CLI and the scheduler are not. */
export function rateLimitGuard(limiter: RateLimiter): Guard {
  return (request) => {
    if (request.platform !== 'slack' && request.platform !== 'discord') return undefined;
    const decision = limiter.check(`${request.platform}:${request.workspace ?? ''}:${request.user ?? ''}`);
    if (decision.allowed) return undefined;
    const reply = notice('Slow down a little', [`You have sent a lot of requests in the last minute. Try again in ${decision.retryInSeconds} s.`]);
    return { outcome: 'rate_limited', reply: decision.warn ? reply : { ...reply, silent: true } };
  };
}
