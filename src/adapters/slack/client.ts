/** Options shared by every Slack Web API client we create (Bolt's, Socket Mode's, the digest poster's). */
import type { webApi } from '@slack/bolt';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import { boltLogger } from './bolt-logger.js';

/**
 * web-api's default retries span about thirty minutes: an answer that late is useless in chat, and the
 * digest's caller retries on its own. A few quick retries ride out a blip.
 */
export const DEFAULT_RETRIES = 2;

export function webClientOptions(config: Config, logger: Logger, retries = DEFAULT_RETRIES): webApi.WebClientOptions {
  return {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    retryConfig: { retries, factor: 2, minTimeout: 500, maxTimeout: 4000 },
    timeout: 10_000,
    logger: boltLogger(logger, 'slack-web-api'),
  };
}

