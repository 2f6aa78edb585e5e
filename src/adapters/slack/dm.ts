/**
 * Direct messages on the bot's own initiative (subscriptions and alerts): `conversations.open` with the user's id
 * gives the bot's DM channel with them (scope `im:write`), then the digest's poster posts there — the same
 * unknown-outcome rules, and `findPosted` reads that DM's history (`im:history`) to settle a post in doubt.
 * Web API only, no running app, so a DM goes out while the socket reconnects.
 */
import { webApi } from '@slack/bolt';
import { ConfigError, type Config } from '../../config.js';
import type { Poster } from '../../core/adapter.js';
import type { Logger } from '../../log.js';
import { webClientOptions } from './client.js';
import { slackPoster } from './post.js';

export interface SlackDmOptions {
  config: Config;
  logger: Logger;
  /** Command names, so a DM mentions `/ev-sales` when SLACK_COMMAND_PREFIX is `ev-`. */
  commandNames?: readonly string[];
}

export function createSlackDm({ config, logger, commandNames = [] }: SlackDmOptions): Poster & { openDm(user: string): Promise<string> } {
  if (!config.SLACK_BOT_TOKEN) throw new ConfigError(['SLACK_BOT_TOKEN: required to send direct messages in Slack']);
  // No retries inside the client: a post whose answer was lost may have landed, and only the caller's ledger knows.
  const client = new webApi.WebClient(config.SLACK_BOT_TOKEN, webClientOptions(config, logger, 0));
  const poster = slackPoster(client, config.SLACK_COMMAND_PREFIX, commandNames);
  const channels = new Map<string, string>();
  return {
    ...poster,
    async openDm(user) {
      const known = channels.get(user);
      if (known) return known;
      const res = await client.conversations.open({ users: user, return_im: false });
      const id = res.channel?.id;
      if (!id) throw new Error(`Slack opened no direct message channel with ${user}`);
      channels.set(user, id);
      return id;
    },
  };
}
