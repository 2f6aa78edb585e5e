/** `npm start`: starts every adapter whose credentials are configured; the console when none are. */
import { createApp, exitOnStartupError } from './app.js';
import { ConsoleAdapter } from './adapters/console/console.js';
import { loadConfig } from './config.js';
import { createLogger } from './log.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const { bot } = await createApp(config, logger);
  const consoleAdapter = new ConsoleAdapter({ bot });
  await consoleAdapter.start();
  await consoleAdapter.done;
}

main().catch(exitOnStartupError);
