/**
 * A REST client for the parts that need no gateway connection (the digest poster, command deployment).
 * `REST` is @discordjs/rest, re-exported by discord.js (our declared dependency); it handles rate limits.
 */
import { UserError } from '../../core/errors.js';
import { REST, type ResponseLike, type RESTOptions } from 'discord.js';
import type { Config } from '../../config.js';

/** `fetch` as @discordjs/rest's `makeRequest` (its response satisfies the ResponseLike it reads). */
export const globalFetch: RESTOptions['makeRequest'] = async (url, init) => (await fetch(url, init as unknown as RequestInit)) as unknown as ResponseLike;

export class DiscordSetupError extends UserError {
  constructor(message: string, options?: ErrorOptions) {
    super('discord.setup', message, options);
  }
}

export interface RestOptions {
  /** Per-attempt timeout. Default 15 s (@discordjs/rest's). */
  timeoutMs?: number;
  /** Retries after a timeout, a reset connection or a 5xx. Default 3 (@discordjs/rest's). */
  retries?: number;
}

/** The bot token, narrowed once for every Discord part (gateway, REST, deploy, DMs), with the same message. */
export function discordToken(config: Pick<Config, 'DISCORD_TOKEN'>): string {
  if (!config.DISCORD_TOKEN) {
    throw new DiscordSetupError('DISCORD_TOKEN is not set: copy the bot token from the Discord Developer Portal (your application → Bot → Reset Token) into .env.');
  }
  return config.DISCORD_TOKEN;
}

export function createRest(config: Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_API_URL'>, options: RestOptions = {}): REST {
  const token = discordToken(config);
  return new REST({
    version: '10',
    // Node's own fetch, whose FormData is of the same realm: with @discordjs/rest's bundled undici, a file upload
    // stalls ("action is not a function") once another undici (Slack's socket-mode) set the global dispatcher.
    makeRequest: globalFetch,
    ...(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}),
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
  }).setToken(token);
}
