/**
 * Posting on the bot's own initiative (the monthly digest): one `chat.postMessage` with the rendered reply.
 * Only the Web API client is needed, not a running app, so the digest can post from a one-shot CLI too.
 */
import { webApi } from '@slack/bolt';
import { ConfigError, type Config } from '../../config.js';
import type { PostedMessage, Poster } from '../../core/adapter.js';
import type { Reply } from '../../core/reply.js';
import type { Logger } from '../../log.js';
import { webClientOptions } from './client.js';
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
  /** Command names, so replies mention `/ev-sales` when SLACK_COMMAND_PREFIX is `ev-`. */
  commandNames?: readonly string[];
}

export function createSlackPoster({ config, logger, retries = 0, commandNames = [] }: SlackPosterOptions): Poster {
  if (!config.SLACK_BOT_TOKEN) throw new ConfigError(['SLACK_BOT_TOKEN: required to post to Slack']);
  const client = new webApi.WebClient(config.SLACK_BOT_TOKEN, webClientOptions(config, logger, retries));
  return slackPoster(client, config.SLACK_COMMAND_PREFIX, commandNames);
}

/** A poster over an existing client. Throws (web-api's error, e.g. `not_in_channel`) when Slack refuses. */
export function slackPoster(client: webApi.WebClient, prefix = '', commandNames: readonly string[] = []): Poster {
  return {
    platform: 'slack',
    async post(channel: string, reply: Reply): Promise<PostedMessage> {
      const message = renderSlack(withCommandPrefix(reply, prefix, commandNames));
      const res = await client.chat.postMessage({ channel, ...message, unfurl_links: false, unfurl_media: false });
      if (!res.ts) throw new Error('Slack accepted the message but returned no ts');
      return { id: res.ts, channel: res.channel ?? channel };
    },
  };
}
