/** The Discord adapter's public surface: main.ts imports this lazily when DISCORD_TOKEN is set. */
import type { Adapter } from '../../core/adapter.js';
import { DiscordAdapter, type DiscordAdapterOptions } from './app.js';

export function createDiscordAdapter(options: DiscordAdapterOptions): Adapter & { readonly client: DiscordAdapter['client'] } {
  return new DiscordAdapter(options);
}

export { DiscordAdapter, type DiscordAdapterOptions, type DiscordBot } from './app.js';
export { fromDiscordText } from './text.js';
export { createDiscordPoster, type DiscordPosterOptions } from './post.js';
export { deployCommands, describeDeploy, type DeployResult } from './deploy.js';
export { slashCommands } from './commands.js';
export { DiscordSetupError } from './rest.js';
