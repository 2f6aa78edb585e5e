/** Wiring shared by every entry point: configuration → dataset → bot. */
import { commands } from '../commands/index.js';
import type { Config } from './config.js';
import { Bot } from './core/bot.js';
import { DataStore } from './data/store.js';
import type { Logger } from './log.js';

export interface App {
  config: Config;
  store: DataStore;
  bot: Bot;
}

export async function createApp(config: Config, logger?: Logger): Promise<App> {
  const store = await DataStore.open(config.DATA_DIR);
  const bot = new Bot({ commands, data: () => store.current, ...(logger ? { logger } : {}) });
  return { config, store, bot };
}

/** Start-up failures a user can fix (bad data, bad config) print their message alone: no stack trace. */
export function exitOnStartupError(err: unknown): never {
  const name = err instanceof Error ? err.name : '';
  if (name === 'DataError' || name === 'ConfigError') process.stderr.write(`${(err as Error).message}\n`);
  else process.stderr.write(`Could not start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(2);
}
