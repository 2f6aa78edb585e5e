/**
 * `npm run ask -- "/sales xiaomi april"`: one answer as plain text.
 * `--chart out.png "/sales xiaomi"`: also writes the reply's chart as a PNG (the next ones as out-2.png, …).
 * `--csv out.csv "/sales xiaomi may"`, or a trailing `csv` ("/sales xiaomi may csv" writes ./sales-xiaomi-2025-05.csv):
 * also writes the reply's figures as CSV with their qualifiers and sources (the file Slack and Discord attach).
 * `--json "<text>"`: the reply document as JSON — the input, the query it was read as, the figures it states
 * (seller, month, units, qualifier, sources) and a `text` field; `--json` alone: one answer per stdin line,
 * blank lines included, so output lines up with input.
 */
import { createInterface } from 'node:readline';
import { readTerminalLine } from '../adapters/console/input.js';
import { parseArgs } from 'node:util';
import { createApp, exitOnStartupError } from '../app.js';
import { loadConfig } from '../config.js';
import type { Bot } from '../core/bot.js';
import { renderText } from '../core/render-text.js';
import { notice, type Reply } from '../core/reply.js';
import { writeChartFiles } from '../adapters/console/chart-file.js';
import { withNothingToExport, writeCsvFile } from '../adapters/shared/csv.js';
import { createLogger } from '../log.js';

/**
 * One run is one conversation: a line can follow up on the answer before it ("and in april?"). A trailing `csv`
 * (or `csvFile`) also writes the figures to a file, named on stderr.
 */
async function replyTo(bot: Bot, input: string, csvFile?: string): Promise<Reply> {
  if (!input.trim()) return notice('Empty line', []);
  // A trailing `public` (Slack: post in the channel) means nothing here: dropped, not read as a name.
  const { line, csv } = readTerminalLine(input);
  const reply = await bot.answerLine(line, { platform: 'cli', user: 'cli', thread: 'cli' });
  if (!csv && csvFile === undefined) return reply;
  const written = await writeCsvFile(reply, csvFile);
  if (written) process.stderr.write(`CSV written to ${written}\n`);
  return written ? reply : withNothingToExport(reply);
}

function answer(input: string, json: boolean, reply: Reply): string {
  const text = renderText(reply);
  return json ? JSON.stringify({ input, ...reply, text }) : text;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { json: { type: 'boolean', default: false }, chart: { type: 'string' }, csv: { type: 'string' } }, allowPositionals: true });
  const config = loadConfig();
  const { bot } = await createApp(config, createLogger(config.LOG_LEVEL ?? 'warn'));
  const query = positionals.join(' ').trim();
  if (query) {
    const reply = await replyTo(bot, query, values.csv);
    process.stdout.write(`${answer(query, values.json, reply)}\n`);
    if (values.chart !== undefined) {
      const written = await writeChartFiles(reply, values.chart);
      process.stderr.write(written.length ? `Chart written to ${written.join(', ')}\n` : 'This answer has no chart; no file written.\n');
    }
    return;
  }
  if (values.chart !== undefined || values.csv !== undefined) {
    process.stderr.write(`${values.chart !== undefined ? '--chart FILE' : '--csv FILE'} goes with one query: npm run ask -- ${values.chart !== undefined ? '--chart out.png' : '--csv out.csv'} "/sales xiaomi"\n`);
    process.exitCode = 64;
    return;
  }
  if (!values.json) {
    process.stderr.write('Usage: npm run ask -- "/sales xiaomi april"   (or --json, with queries one a line on stdin)\n');
    process.exitCode = 64;
    return;
  }
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    process.stdout.write(`${answer(line, true, await replyTo(bot, line))}\n`);
  }
}

main().catch(exitOnStartupError);
