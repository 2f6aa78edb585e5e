/**
 * The posters the digest needs, from the configuration: Slack when SLACK_BOT_TOKEN and DIGEST_SLACK_CHANNEL
 * are set, or when Slack runs in many workspaces (SLACK_CLIENT_ID…: each workspace's installer picked its
 * channel); Discord when DISCORD_TOKEN and DIGEST_DISCORD_CHANNEL are. Both post over the platform's Web/REST
 * API alone (no socket), so a digest goes out even while a chat connection is reconnecting. SDKs load lazily.
 */
import { slackOAuthEnabled, type Config } from '../config.js';
import type { Poster } from '../core/adapter.js';
import type { Logger } from '../log.js';
import type { SlackInstallations } from '../adapters/slack/installations.js';

export interface DigestPosterOptions {
  /** Slack in many workspaces, shared mode: installations in PostgreSQL (default: files under STATE_DIR). */
  slackInstallations?: SlackInstallations;
}

export async function createDigestPosters(config: Config, logger: Logger, options: DigestPosterOptions = {}): Promise<Poster[]> {
  const posters: Poster[] = [];
  if ((config.SLACK_BOT_TOKEN && config.DIGEST_SLACK_CHANNEL) || slackOAuthEnabled(config)) {
    const { createSlackPoster } = await import('../adapters/slack/post.js');
    posters.push(createSlackPoster({ config, logger, ...(options.slackInstallations ? { installations: options.slackInstallations } : {}) }));
  }
  if (config.DISCORD_TOKEN && config.DIGEST_DISCORD_CHANNEL) {
    const { createDiscordPoster } = await import('../adapters/discord/post.js');
    posters.push(createDiscordPoster({ config, logger }));
  }
  return posters;
}
