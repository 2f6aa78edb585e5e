/**
 * What the Slack adapter needs of the configuration, narrowed once: the workspace token (or many workspaces through
 * OAuth) and how requests arrive (Socket Mode's app token, or HTTP mode's signing secret). Every Slack part asks
 * here, so a missing variable is named the same way wherever it is noticed.
 */
import { ConfigError, slackOAuthEnabled, type Config } from '../../config.js';

type SlackConfig = Pick<Config, 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN' | 'SLACK_SIGNING_SECRET' | 'SLACK_CLIENT_ID' | 'SLACK_CLIENT_SECRET' | 'SLACK_STATE_SECRET'>;

/** Who the bot speaks as: one workspace's bot token, and/or each workspace's installation (OAuth). */
export interface SlackAuth {
  botToken: string | undefined;
  oauth: boolean;
}

export type SlackIngress = { mode: 'socket'; appToken: string } | { mode: 'http'; signingSecret: string };

export function slackAuth(config: SlackConfig): SlackAuth {
  const oauth = slackOAuthEnabled(config);
  if (!config.SLACK_BOT_TOKEN && !oauth) {
    throw new ConfigError(['SLACK_BOT_TOKEN: required for Slack (or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET for many workspaces)']);
  }
  return { botToken: config.SLACK_BOT_TOKEN, oauth };
}

export function slackIngress(config: SlackConfig): SlackIngress {
  if (config.SLACK_APP_TOKEN) return { mode: 'socket', appToken: config.SLACK_APP_TOKEN };
  if (!config.SLACK_SIGNING_SECRET) throw new ConfigError(['SLACK_SIGNING_SECRET: required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)']);
  return { mode: 'http', signingSecret: config.SLACK_SIGNING_SECRET };
}
