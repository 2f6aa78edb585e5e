/**
 * The posters the digest needs, from the configuration: Slack when SLACK_BOT_TOKEN and DIGEST_SLACK_CHANNEL
 * are set, Discord when DISCORD_TOKEN and DIGEST_DISCORD_CHANNEL are. Both post over the platform's Web/REST
 * API alone (no socket), so a digest goes out even while a chat connection is reconnecting. SDKs load lazily.
 */
import type { Config } from '../config.js';
import type { Poster } from '../core/adapter.js';
import type { Logger } from '../log.js';

export async function createDigestPosters(config: Config, logger: Logger): Promise<Poster[]> {
  const posters: Poster[] = [];
  if (config.SLACK_BOT_TOKEN && config.DIGEST_SLACK_CHANNEL) {
    const { createSlackPoster } = await import('../adapters/slack/post.js');
    posters.push(createSlackPoster({ config, logger }));
  }
  if (config.DISCORD_TOKEN && config.DIGEST_DISCORD_CHANNEL) {
    const { createDiscordPoster } = await import('../adapters/discord/post.js');
    posters.push(createDiscordPoster({ config, logger }));
  }
  return posters;
}
