/**
 * A REST client for the parts that need no gateway connection (the digest poster, command deployment).
 * `REST` is @discordjs/rest, re-exported by discord.js (our declared dependency); it handles rate limits.
 */
import { UserError } from '../../core/errors.js';
import { REST } from 'discord.js';
import type { Config } from '../../config.js';

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

export function createRest(config: Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_API_URL'>, options: RestOptions = {}): REST {
  if (!config.DISCORD_TOKEN) {
    throw new DiscordSetupError('DISCORD_TOKEN is not set: copy the bot token from the Discord Developer Portal (your application → Bot → Reset Token) into .env.');
  }
  return new REST({
    version: '10',
    ...(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}),
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
  }).setToken(config.DISCORD_TOKEN);
}
