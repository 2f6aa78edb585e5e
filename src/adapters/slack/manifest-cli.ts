/**
 * `npm run slack:manifest [-- --socket | --http] [--url https://bot.example.com]`: prints the Slack app manifest
 * (JSON) for the declared commands. Socket Mode is on when SLACK_APP_TOKEN is set, unless a flag says otherwise.
 */
import { commands } from '../../../commands/index.js';
import { exitOnStartupError } from '../../app.js';
import { loadConfig } from '../../config.js';
import { buildManifest, MANIFEST_USAGE, ManifestUsageError, manifestOptionsFromArgs, PLACEHOLDER_URL } from './manifest.js';

function main(): void {
  const options = manifestOptionsFromArgs(process.argv.slice(2), commands, loadConfig());
  if (options === 'help') {
    process.stdout.write(`${MANIFEST_USAGE}\n`);
    return;
  }
  process.stdout.write(`${JSON.stringify(buildManifest(options), null, 2)}\n`);
  if (!options.socketMode && !options.url) {
    process.stderr.write(`Note: replace ${PLACEHOLDER_URL} with the bot's public HTTPS address (or pass --url).\n`);
  }
}

try {
  main();
} catch (err) {
  if (err instanceof ManifestUsageError) {
    process.stderr.write(`${err.message}\n\n${MANIFEST_USAGE}\n`);
    process.exit(64);
  }
  exitOnStartupError(err);
}
