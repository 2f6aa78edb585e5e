/** The real bot on a data directory (the bundled one by default), as every adapter builds it. */
import { createApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { Bot } from '../../src/core/bot.js';
import { renderText } from '../../src/core/render-text.js';
import type { Reply } from '../../src/core/reply.js';
import { BUNDLED_DATA } from './data-dir.js';

export async function makeBot(dataDir = BUNDLED_DATA): Promise<Bot> {
  return (await createApp(parseConfig({ DATA_DIR: dataDir }))).bot;
}

/** Runs one typed line through the bot and returns the reply with its plain-text rendering. */
export function ask(bot: Bot, line: string): Reply & { text: string } {
  const reply = bot.handleLine(line, { platform: 'cli' });
  return { ...reply, text: renderText(reply) };
}
