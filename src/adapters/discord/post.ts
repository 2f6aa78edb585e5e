/**
 * Posts a reply (the digest) to a channel through REST only: no gateway login, so a one-off
 * `npm run digest` or the scheduler can post without holding a bot connection.
 *
 * A post with an idempotency key carries a `nonce` derived from it, with `enforce_nonce: true`: Discord then
 * returns the first message for a second create with the same nonce in the past few minutes, so the retries of
 * @discordjs/rest (after a timeout or a 5xx) and our own (after a dropped connection) cannot post twice.
 * An outcome that stays unknown after them is thrown as `PostOutcomeUnknownError`.
 */
import { createHash } from 'node:crypto';
import { DiscordAPIError, RateLimitError, Routes, type APIMessage, type REST, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { Config } from '../../config.js';
import { PostOutcomeUnknownError, type PostedMessage, type PostOptions, type Poster } from '../../core/adapter.js';
import type { Reply } from '../../core/reply.js';
import type { Logger } from '../../log.js';
import { chartFiles } from './chart.js';
import { renderEmbeds } from './render.js';
import { createRest, type RestOptions } from './rest.js';

export interface DiscordPosterOptions extends RestOptions {
  config: Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_API_URL'>;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** A REST client to share (the adapter passes its Client's, so rate limits are tracked once); `timeoutMs`/`retries` are then its own. */
  rest?: REST;
  /**
   * Extra attempts, with the same nonce, after an unknown outcome @discordjs/rest does not retry itself (a
   * dropped connection). Only for posts with an idempotency key. Default 2.
   */
  extraAttempts?: number;
  /** No attempt starts later than this after the first, well inside Discord's nonce window of "a few minutes". Default 60 s. */
  nonceWindowMs?: number;
}

/** Discord nonces are at most 25 characters: a digest of the key, the same for every retry and run. */
export function nonceFor(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 25);
}

/** Whether Discord may have created the message: a refusal (4xx), a rate limit or a refused connection means it did not. */
export function discordOutcomeUnknown(err: unknown): boolean {
  if (err instanceof DiscordAPIError || err instanceof RateLimitError) return false;
  const cause = (err as { cause?: { code?: string } } | undefined)?.cause;
  const code = (err as { code?: string } | undefined)?.code ?? cause?.code;
  return !['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(code ?? '');
}

export function createDiscordPoster(options: DiscordPosterOptions): Poster {
  const { config, logger, extraAttempts = 2, nonceWindowMs = 60_000 } = options;
  const client = options.rest ?? createRest(config, {
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
  });
  return {
    platform: 'discord',
    async post(channel: string, reply: Reply, postOptions: PostOptions = {}): Promise<PostedMessage> {
      const key = postOptions.idempotencyKey;
      const charts = await chartFiles(reply, (err) => logger?.warn({ channel, err }, 'discord chart could not be drawn; posting text bars'));
      const body: RESTPostAPIChannelMessageJSONBody = {
        embeds: renderEmbeds(reply, charts), allowed_mentions: { parse: [] },
        ...(charts.length ? { attachments: charts.map((c, id) => ({ id, filename: c.name })) } : {}),
        ...(key !== undefined ? { nonce: nonceFor(key), enforce_nonce: true } : {}),
      };
      const files = charts.map((c) => ({ name: c.name, data: c.data, contentType: 'image/png' }));
      const started = Date.now();
      for (let attempt = 0; ; attempt++) {
        try {
          const message = (await client.post(Routes.channelMessages(channel), { body, ...(files.length ? { files } : {}) })) as APIMessage;
          logger?.info({ channel, message: message.id, title: reply.title, attempt }, 'posted to discord');
          return { id: message.id, channel: message.channel_id };
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          if (!discordOutcomeUnknown(err)) {
            logger?.error({ channel, err }, 'discord post failed');
            throw new Error(`Could not post to Discord channel ${channel}: ${reason}`, { cause: err });
          }
          // Safe to try again only with a nonce, and only while Discord still remembers it.
          if (key !== undefined && attempt < extraAttempts && Date.now() - started < nonceWindowMs) {
            logger?.warn({ channel, err, attempt }, 'discord did not confirm the post; trying again with the same nonce');
            continue;
          }
          logger?.error({ channel, err }, 'discord did not confirm the post; its outcome is unknown');
          throw new PostOutcomeUnknownError(`Discord did not confirm the post to channel ${channel} (${reason}); it may be there`, { cause: err });
        }
      }
    },
  };
}
