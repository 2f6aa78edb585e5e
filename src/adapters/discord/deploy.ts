/**
 * Registers the slash commands with Discord: in one server when DISCORD_GUILD_ID is set (they appear
 * at once, good for trying things out), else globally. A PUT replaces the whole set, so a removed
 * command disappears too.
 */
import { Routes, type REST } from 'discord.js';
import type { Config } from '../../config.js';
import type { AnyCommand } from '../../core/command.js';
import { slashCommands } from './commands.js';
import { createRest, DiscordSetupError } from './rest.js';

export interface DeployResult {
  scope: 'guild' | 'global';
  guildId?: string;
  /** Names as Discord stored them. */
  names: string[];
}

export interface DeployOptions {
  config: Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_APPLICATION_ID' | 'DISCORD_GUILD_ID' | 'DISCORD_API_URL'>;
  commands: readonly AnyCommand[];
  rest?: REST;
}

export async function deployCommands({ config, commands, rest }: DeployOptions): Promise<DeployResult> {
  const appId = config.DISCORD_APPLICATION_ID;
  if (!appId) {
    throw new DiscordSetupError('DISCORD_APPLICATION_ID is not set: copy the Application ID from the Discord Developer Portal (your application → General Information) into .env.');
  }
  const client = rest ?? createRest(config);
  const body = slashCommands(commands);
  const guildId = config.DISCORD_GUILD_ID;
  const route = guildId ? Routes.applicationGuildCommands(appId, guildId) : Routes.applicationCommands(appId);
  const stored = (await client.put(route, { body })) as { name: string }[];
  return { scope: guildId ? 'guild' : 'global', ...(guildId ? { guildId } : {}), names: stored.map((c) => c.name) };
}

/** What the CLI prints. */
export function describeDeploy(result: DeployResult): string {
  const where = result.scope === 'guild'
    ? `in server ${result.guildId} (they appear there at once)`
    : 'globally (in every server the bot is in; set DISCORD_GUILD_ID to try them in one server first)';
  const n = result.names.length;
  return `Registered ${n} slash command${n === 1 ? '' : 's'} ${where}: ${result.names.map((name) => `/${name}`).join(', ')}`;
}
