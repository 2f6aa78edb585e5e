/**
 * Posting on the bot's own initiative (the monthly digest): one `chat.postMessage` with the rendered reply.
 * Only the Web API client is needed, not a running app, so the digest can post from a one-shot CLI too.
 *
 * Slack has no idempotency key for `chat.postMessage`, so a post whose answer is lost (timeout, reset, 5xx) is
 * reported as an unknown outcome, never retried here; the message carries the post's key in its metadata, and
 * `findPosted` looks for it among the bot's own recent messages (`conversations.history`).
 *
 * Many workspaces (OAuth): a channel named `T0123/C0456` is that workspace's digest channel, posted with the bot
 * token of its installation; `channels()` lists one per installed workspace. A plain id is DIGEST_SLACK_CHANNEL,
 * posted with SLACK_BOT_TOKEN.
 */
import { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { slackAuth } from './settings.js';
import { markOutcomeUnknown, type PostedMessage, type PostOptions, type Poster } from '../../core/adapter.js';
import type { Reply } from '../../core/reply.js';
import type { Logger } from '../../log.js';
import { webClientOptions } from './client.js';
import { FileInstallations, installationsDir, parseWorkspaceChannel, workspaceChannel, type SlackInstallations } from './installations.js';
import { withCommandPrefix } from './prefix.js';
import { renderSlack } from './render.js';

export interface SlackPosterOptions {
  config: Config;
  logger: Logger;
  /**
   * Web API retries. Default 0: the caller retries, and only it knows whether a timed-out post may already
   * have landed (a retry here could post the digest twice).
   */
  retries?: number;
  /** How long to wait for Slack's answer before the outcome counts as unknown. Default 10 s. */
  timeoutMs?: number;
  /** Command names, so replies mention `/ev-sales` when SLACK_COMMAND_PREFIX is `ev-`. */
  commandNames?: readonly string[];
  /** Many workspaces: where installations are kept (default: files under STATE_DIR; shared mode: PostgreSQL). */
  installations?: SlackInstallations;
}

export function createSlackPoster({ config, logger, retries = 0, timeoutMs, commandNames = [], installations }: SlackPosterOptions): Poster {
  const { botToken, oauth } = slackAuth(config);
  const base = webClientOptions(config, logger, retries);
  const options = timeoutMs !== undefined ? { ...base, timeout: timeoutMs } : base;
  const posterFor = (token: string) => slackPoster(new webApi.WebClient(token, options), config.SLACK_COMMAND_PREFIX, commandNames);
  const single = botToken ? posterFor(botToken) : undefined;
  if (!oauth) return single!;
  return workspacesPoster(installations ?? new FileInstallations(installationsDir(config)), posterFor, single);
}

/**
 * Posts to `T0123/C0456` with that workspace's installation, looked up at each post (a workspace installed again
 * has a new token); one client per workspace and token, so its identity (auth.test) is asked once.
 */
function workspacesPoster(installations: SlackInstallations, posterFor: (token: string) => Poster, single: Poster | undefined): Poster {
  const byTeam = new Map<string, { token: string; poster: Poster }>();
  const resolve = async (key: string): Promise<{ poster: Poster; channel: string }> => {
    const where = parseWorkspaceChannel(key);
    if (!where) {
      if (single) return { poster: single, channel: key };
      throw new Error(`${key}: a plain channel id needs SLACK_BOT_TOKEN; with many workspaces each digest channel is named T…/C…`);
    }
    let installation;
    try {
      installation = await installations.fetchInstallation({ teamId: where.team, isEnterpriseInstall: false, enterpriseId: undefined });
    } catch {
      throw new Error(`the app is no longer installed in Slack workspace ${where.team}; no digest goes there`);
    }
    const token = installation.bot?.token;
    if (!token) throw new Error(`the installation in Slack workspace ${where.team} has no bot token; install the app there again`);
    let cached = byTeam.get(where.team);
    if (cached?.token !== token) {
      cached = { token, poster: posterFor(token) };
      byTeam.set(where.team, cached);
    }
    const { poster } = cached;
    return { poster, channel: where.channel };
  };
  return {
    platform: 'slack',
    async post(channel, reply, options) {
      const { poster, channel: id } = await resolve(channel);
      return poster.post(id, reply, options);
    },
    async findPosted(channel, query) {
      const { poster, channel: id } = await resolve(channel);
      return poster.findPosted!(id, query);
    },
    async channels() {
      return (await installations.list()).map(workspaceChannel).filter((c): c is string => c !== undefined);
    },
  };
}

/** Where in the message the post's key is kept: metadata `event_payload.key`. */
const historySchema = z.object({
  messages: z.array(z.object({
    ts: z.string().optional(),
    user: z.string().optional(),
    bot_id: z.string().optional(),
    metadata: z.object({ event_type: z.string().optional(), event_payload: z.record(z.string(), z.unknown()).optional() }).optional(),
  }).loose()).default([]),
  has_more: z.boolean().optional(),
  response_metadata: z.object({ next_cursor: z.string().optional() }).loose().optional(),
}).loose();

/** Pages of history read before giving up ("cannot tell"): 5 × 200 messages since the post. */
const HISTORY_PAGES = 5;
const HISTORY_PAGE_SIZE = 200;

const codeOf = (err: unknown): string | undefined => (typeof err === 'object' && err !== null ? (err as { code?: unknown }).code as string | undefined : undefined);

/**
 * Whether Slack may have created the message despite the error: a lost answer (timeout, reset) or a 5xx may
 * follow a processed request; a refusal (`ok:false`), a rate limit or a refused connection means it did not.
 */
export function slackOutcomeUnknown(err: unknown): boolean {
  const code = codeOf(err);
  if (code === 'slack_webapi_http_error') return ((err as { statusCode?: number }).statusCode ?? 0) >= 500;
  if (code !== 'slack_webapi_request_error') return false;
  const original = (err as { original?: Error & { cause?: unknown } }).original;
  if (original?.message.includes('A rate limit was exceeded')) return false;
  const cause = codeOf(original?.cause) ?? codeOf(original);
  return !['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(cause ?? '');
}

/** A poster over an existing client. Throws (web-api's error, e.g. `not_in_channel`) when Slack refuses. */
export function slackPoster(client: webApi.WebClient, prefix = '', commandNames: readonly string[] = []): Poster {
  let self: Promise<{ userId?: string; botId?: string }> | undefined;
  const identity = () => {
    self ??= client.auth.test().then((r) => ({ ...(r.user_id ? { userId: r.user_id } : {}), ...(r.bot_id ? { botId: r.bot_id } : {}) }));
    self.catch(() => (self = undefined));
    return self;
  };
  return {
    platform: 'slack',
    async post(channel: string, reply: Reply, options: PostOptions = {}): Promise<PostedMessage> {
      const message = renderSlack(withCommandPrefix(reply, prefix, commandNames));
      const metadata = options.idempotencyKey !== undefined || options.metadata
        ? { metadata: { event_type: options.metadata?.type ?? 'bot_post', event_payload: { ...options.metadata?.payload, ...(options.idempotencyKey !== undefined ? { key: options.idempotencyKey } : {}) } } }
        : {};
      let res: Awaited<ReturnType<typeof client.chat.postMessage>>;
      try {
        res = await client.chat.postMessage({ channel, ...message, ...metadata, unfurl_links: false, unfurl_media: false });
      } catch (err) {
        throw slackOutcomeUnknown(err) ? markOutcomeUnknown(err) : err;
      }
      if (!res.ts) throw new Error('Slack accepted the message but returned no ts');
      return { id: res.ts, channel: res.channel ?? channel };
    },

    async findPosted(channel, { idempotencyKey, since }) {
      let me: { userId?: string; botId?: string };
      let cursor: string | undefined;
      try {
        me = await identity();
        for (let page = 0; page < HISTORY_PAGES; page++) {
          const raw = await client.conversations.history({
            channel, oldest: (since.getTime() / 1000).toFixed(6), limit: HISTORY_PAGE_SIZE, include_all_metadata: true, ...(cursor ? { cursor } : {}),
          });
          const res = historySchema.parse(raw);
          const mine = res.messages.find((m) => m.metadata?.event_payload?.key === idempotencyKey && m.ts
            && ((me.botId !== undefined && m.bot_id === me.botId) || (me.userId !== undefined && m.user === me.userId)));
          if (mine?.ts) return { id: mine.ts, channel };
          cursor = res.response_metadata?.next_cursor;
          if (!res.has_more || !cursor) return undefined;
        }
      } catch (err) {
        const why = codeOf(err) === 'slack_webapi_platform_error' ? (err as { data?: { error?: string } }).data?.error ?? 'refused' : err instanceof Error ? err.message : String(err);
        throw new Error(
          `Slack would not show the bot's recent messages in ${channel} (${why}); with the channels:history scope ` +
          `(groups:history for a private channel) an unconfirmed digest is checked automatically`, { cause: err },
        );
      }
      throw new Error(`more than ${HISTORY_PAGES * HISTORY_PAGE_SIZE} messages in ${channel} since ${since.toISOString()}; cannot tell whether the digest is among them`);
    },
  };
}
