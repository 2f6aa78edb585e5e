/**
 * Posts a reply (the digest) to a channel through REST only: no gateway login, so a one-off
 * `npm run digest` or the scheduler can post without holding a bot connection.
 */
import { Routes, type APIMessage, type REST, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { Config } from '../../config.js';
import type { PostedMessage, Poster } from '../../core/adapter.js';
import type { Reply } from '../../core/reply.js';
import type { Logger } from '../../log.js';
import { renderEmbed } from './render.js';
import { createRest } from './rest.js';

export interface DiscordPosterOptions {
  config: Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_API_URL'>;
  logger?: Pick<Logger, 'info' | 'error'>;
  /** A REST client to share (the adapter passes its Client's, so rate limits are tracked once). */
  rest?: REST;
}

export function createDiscordPoster({ config, logger, rest }: DiscordPosterOptions): Poster {
  const client = rest ?? createRest(config);
  return {
    platform: 'discord',
    async post(channel: string, reply: Reply): Promise<PostedMessage> {
      const body: RESTPostAPIChannelMessageJSONBody = { embeds: [renderEmbed(reply)], allowed_mentions: { parse: [] } };
      try {
        const message = (await client.post(Routes.channelMessages(channel), { body })) as APIMessage;
        logger?.info({ channel, message: message.id, title: reply.title }, 'posted to discord');
        return { id: message.id, channel: message.channel_id };
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        logger?.error({ channel, err }, 'discord post failed');
        throw new Error(`Could not post to Discord channel ${channel}: ${reason}`, { cause: err });
      }
    },
  };
}
