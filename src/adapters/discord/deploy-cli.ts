/** `npm run discord:deploy`: registers the slash commands and says what it did. */
import { DiscordAPIError, HTTPError } from 'discord.js';
import { commands } from '../../../commands/index.js';
import { exitOnStartupError } from '../../app.js';
import { loadConfig } from '../../config.js';
import { describeDeploy, deployCommands } from './deploy.js';

const HINTS: Record<number, string> = {
  401: 'Discord did not accept DISCORD_TOKEN: copy a fresh bot token (Developer Portal → your application → Bot → Reset Token).',
  403: 'The bot may not register commands there: check DISCORD_APPLICATION_ID, and that the bot was invited to DISCORD_GUILD_ID with the applications.commands scope.',
  404: 'Discord does not know that application or server: check DISCORD_APPLICATION_ID and DISCORD_GUILD_ID.',
};

async function main(): Promise<void> {
  const config = loadConfig();
  const missing = (['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID'] as const).filter((k) => !config[k]);
  if (missing.length > 0) {
    process.stderr.write(
      `Cannot register the slash commands: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set.\n` +
        'Set them in .env (Developer Portal: General Information → Application ID; Bot → Reset Token). See docs/discord.md.\n',
    );
    process.exit(2);
  }
  try {
    process.stdout.write(`${describeDeploy(await deployCommands({ config, commands }))}\n`);
  } catch (err) {
    if (err instanceof DiscordAPIError || err instanceof HTTPError) {
      process.stderr.write(`Discord refused the registration (${err.status}): ${err.message}\n${HINTS[err.status] ?? ''}\n`);
      process.exit(1);
    }
    // Network trouble (DNS, refused, timeout): the message says enough, a stack trace would not help.
    process.stderr.write(`Could not reach Discord to register the slash commands: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

main().catch(exitOnStartupError);
