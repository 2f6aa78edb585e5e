/**
 * Direct messages on the bot's own initiative (subscriptions and alerts), over REST only: `POST /users/@me/channels`
 * with the recipient gives the DM channel, then the digest's poster posts there (its nonce makes a retry within
 * Discord's window return the first message instead of a second one).
 */
import { Routes, type APIDMChannel } from 'discord.js';
import type { Config } from '../../config.js';
import type { Poster } from '../../core/adapter.js';
import type { Logger } from '../../log.js';
import { createDiscordPoster } from './post.js';
import { createRest } from './rest.js';

export interface DiscordDmOptions {
  config: Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_API_URL'>;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

export function createDiscordDm({ config, logger }: DiscordDmOptions): Poster & { openDm(user: string): Promise<string> } {
  const rest = createRest(config);
  const poster = createDiscordPoster({ config, rest, ...(logger ? { logger } : {}) });
  const channels = new Map<string, string>();
  return {
    ...poster,
    async openDm(user) {
      const known = channels.get(user);
      if (known) return known;
      const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: user } })) as APIDMChannel;
      channels.set(user, channel.id);
      return channel.id;
    },
  };
}
