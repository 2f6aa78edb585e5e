/**
 * `npm run digest -- --post`: one digest run for deployments with an external scheduler (cron, systemd timer,
 * Kubernetes CronJob), with the same exactly-once state as the bot's own schedule; exits when done.
 * `npm run digest -- --dry-run [--month 2025-05]`: prints what would be posted, and where; posts nothing.
 * `npm run digest -- --resolve slack:C0123:2025-05=posted|repost`: settles a digest left in doubt by a crash.
 *
 * Exit codes (also in USAGE and README): 0 done; 1 a post failed, a digest could not be made or a month is held
 * (see stderr); 2 invalid configuration or data; 3 nothing to act on (`--month` names a month with no figures,
 * `--resolve` names a digest that is not in doubt); 64 bad flags.
 */
import { parseArgs } from 'node:util';
import { createApp, exitOnStartupError } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import type { Bot } from '../core/bot.js';
import { formatMonth, parseMonth } from '../sales/months.js';
import { renderText } from '../core/render-text.js';
import { writeChartFiles } from '../adapters/console/chart-file.js';
import type { Platform } from '../core/request.js';
import type { YearMonth } from '../data/schema.js';
import { createLogger, type Logger } from '../log.js';
import { createDigestScheduler, DIGEST_CHANNELS, digestReply, validateSchedule, type DigestLedger, type RunReport } from '../schedule/index.js';
import type { SharedMode } from '../shared/index.js';
import { planChannel } from '../schedule/plan.js';
import { createDigestPosters } from '../schedule/posters.js';
import { DigestState, formatKey, parseKey, type EntryStatus } from '../schedule/state.js';

const USAGE = `Usage:
  npm run digest -- --post                        post every digest that is due, once, then exit
  npm run digest -- --dry-run [--month 2025-05] [--chart FILE]
                                                  print what would be posted, and to which channels; post nothing;
                                                  --chart writes the digest's charts as PNG (FILE, FILE-2.png)
  npm run digest -- --resolve slack:C0123:2025-05=posted|repost
                                                  settle a digest left in doubt (see the error log)

Exit codes:
  0   done (with --post: everything due was posted, or nothing was due)
  1   a post failed, a digest could not be made, or a month is held (in doubt, unreadable state): see stderr
  2   invalid configuration or data
  3   nothing to act on: --month names a month with no sales figures, or --resolve a digest that is not in doubt
  64  bad flags`;

const EXIT_FAILED = 1;
const EXIT_CONFIG = 2;
const EXIT_NOTHING = 3;
const EXIT_USAGE = 64;

class UsageError extends Error {}

type Mode =
  | { kind: 'post' }
  | { kind: 'dry-run'; month?: string; chart?: string }
  | { kind: 'resolve'; key: string; as: 'posted' | 'repost' };

function parseMode(argv: string[]): Mode {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        post: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        month: { type: 'string' },
        chart: { type: 'string' },
        resolve: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values } = parsed;
  if (values.help) throw new UsageError('');
  const modes = [values.post && '--post', values['dry-run'] && '--dry-run', values.resolve !== undefined && '--resolve'].filter(Boolean);
  if (modes.length === 0) throw new UsageError('Say what to do: --post, --dry-run or --resolve.');
  if (modes.length > 1) throw new UsageError(`Use one of ${modes.join(' and ')}, not both.`);
  if (values.month !== undefined && !values['dry-run']) {
    throw new UsageError('--month goes with --dry-run: a run posts every month that is due, oldest first.');
  }
  if (values.resolve !== undefined) {
    const m = values.resolve.match(/^(.*)=(posted|repost)$/);
    if (!m || !parseKey(m[1]!)) throw new UsageError(`--resolve: expected platform:channel:YYYY-MM=posted or =repost, e.g. slack:C0123:2025-05=posted, got "${values.resolve}".`);
    return { kind: 'resolve', key: m[1]!, as: m[2] as 'posted' | 'repost' };
  }
  if (values.chart !== undefined && !values['dry-run']) throw new UsageError('--chart goes with --dry-run: it writes the charts of the digest it prints.');
  if (values['dry-run']) return { kind: 'dry-run', ...(values.month !== undefined ? { month: values.month } : {}), ...(values.chart !== undefined ? { chart: values.chart } : {}) };
  return { kind: 'post' };
}

/** The digest channels the configuration names, whether or not their platform's token is set. */
function configuredChannels(config: Config): { platform: Platform; channel: string; needs: string; ready: boolean }[] {
  return DIGEST_CHANNELS.flatMap(({ platform, channel, needs }) => {
    const id = config[channel];
    return id ? [{ platform, channel: id, needs, ready: Boolean(config[needs]) }] : [];
  });
}

function describeStatus(status: EntryStatus | undefined): string {
  if (!status) return 'not posted yet';
  switch (status.kind) {
    case 'posted':
      return `already posted ${status.record.postedAt}${status.record.message ? ` (message ${status.record.message.id})` : ' (confirmed by hand)'}${status.record.settledBy === 'history' ? ', found in the channel after an unconfirmed post' : ''}: would not be posted again`;
    case 'in-flight':
      return `being posted right now by pid ${status.claim.owner.pid}`;
    case 'in-doubt':
      return status.why === 'future'
        ? `in doubt (its claim is dated ${status.claim.claimedAt}, in the future): held until resolved with --resolve`
        : 'in doubt (the platform did not confirm the post, or a run stopped while posting it): held until settled';
    case 'unreadable':
      return `held: its state file cannot be read (${status.problem})`;
  }
}

const write = (text: string) => process.stdout.write(`${text}\n`);
const warn = (text: string) => process.stderr.write(`${text}\n`);

async function dryRun(config: Config, bot: Bot, state: DigestLedger, monthText: string | undefined, chartFile?: string): Promise<number> {
  const channels = configuredChannels(config);
  const data = bot.data;
  let asked: YearMonth | undefined;
  if (monthText !== undefined) {
    const parsed = parseMonth(monthText, data.months);
    if (!parsed.ok) throw new UsageError(`--month: expected a month such as 2025-05 or may, got "${monthText}".`);
    asked = parsed.month;
    if (!data.months.includes(asked)) {
      const known = data.months.length > 0 ? `months with figures: ${data.months.map(formatMonth).join(', ')}` : `no month has figures yet (DATA_DIR ${config.DATA_DIR})`;
      warn(`--month ${monthText}: ${formatMonth(asked)} has no sales figures, so there is no digest for it; ${known}.`);
      return EXIT_NOTHING;
    }
    const reply = digestReply(bot, asked);
    if (reply.kind !== 'answer') {
      warn(renderText(reply));
      return EXIT_FAILED;
    }
  }
  write('Dry run: nothing is posted.');
  if (channels.length === 0) write('No digest channel is configured (set DIGEST_SLACK_CHANNEL and/or DIGEST_DISCORD_CHANNEL).');
  for (const c of channels) if (!c.ready) write(`${c.platform} channel ${c.channel}: ${c.needs} is not set, so a run would skip it.`);

  // Which months go where: the plan of each channel, or the one month asked for.
  const byMonth = new Map<YearMonth, string[]>();
  if (asked !== undefined) {
    const month = asked;
    byMonth.set(month, await Promise.all(channels.map(async (c) => `  ${c.platform} channel ${c.channel}: ${describeStatus(await state.status({ ...c, month }))}`)));
  } else {
    const newest = data.months.at(-1);
    if (channels.length === 0 && newest) byMonth.set(newest, []);
    for (const c of channels) {
      const plan = planChannel(data.months, await state.channel(c.platform, c.channel));
      for (const h of plan.held) write(`${c.platform} channel ${c.channel}: ${formatMonth(h.month)} ${describeStatus(h.status)}`);
      if (plan.post.length === 0) write(`${c.platform} channel ${c.channel}: nothing new to post (${plan.reason}).`);
      else write(`${c.platform} channel ${c.channel}: would post ${plan.post.map(formatMonth).join(', ')}${plan.firstRun ? ' (its first digest: the newest month only)' : ''}.`);
      for (const m of plan.post) byMonth.set(m, [...(byMonth.get(m) ?? []), `  ${c.platform} channel ${c.channel}`]);
    }
  }

  let code = 0;
  for (const [month, lines] of [...byMonth].sort(([a], [b]) => a.localeCompare(b))) {
    const reply = digestReply(bot, month);
    write('');
    write(`=== ${formatMonth(month)}, for:`);
    for (const line of lines.length > 0 ? lines : ['  (no channel configured)']) write(line);
    write('');
    if (reply.kind === 'answer') {
      write(renderText(reply));
      if (chartFile !== undefined) {
        // One month: FILE itself; several: the month in the name (out-2025-05.png).
        const file = byMonth.size === 1 ? chartFile : chartFile.replace(/(\.png)?$/i, `-${month}.png`);
        const written = await writeChartFiles(reply, file);
        warn(written.length ? `Charts of ${formatMonth(month)} written to ${written.join(', ')}` : `The ${formatMonth(month)} digest has no chart.`);
      }
    } else {
      warn(renderText(reply));
      code = EXIT_FAILED;
    }
  }
  return code;
}

function printReport(report: RunReport): number {
  if (report.data.reloaded === 'failed') warn('The data directory could not be reloaded; the previous data was used (see the log).');
  for (const c of report.channels) {
    const where = `${c.platform} channel ${c.channel}`;
    for (const st of c.settled) {
      if (st.as === 'found') write(`Found ${formatMonth(st.month)} in ${where} (message ${st.id}), which was in doubt: recorded as posted.`);
      else write(`${formatMonth(st.month)} was in doubt and is not in ${where}: posting it again.`);
    }
    for (const p of c.posted) write(`Posted ${formatMonth(p.month)} to ${where} (message ${p.id}).`);
    for (const f of c.failed) warn(`Not posted: ${formatMonth(f.month)} to ${where}: ${f.error}. The next run retries it.`);
    for (const h of c.held) {
      if (h.kind === 'in-flight') write(`${formatMonth(h.month)} to ${where} is being posted by another process right now.`);
      else {
        warn(`Held: ${formatMonth(h.month)} to ${where} is ${h.kind} (see the log; settle it with --resolve ${formatKey({ platform: c.platform, channel: c.channel, month: h.month })}=posted|repost).`);
        if (c.recheck && h.kind === 'in-doubt') warn(`  It is not in the channel yet; a run a few minutes from now records it if it appears, or posts it again if it still is not there.`);
      }
    }
    if (c.error) warn(`${where}: the run failed: ${c.error}`);
    const busy = c.held.some((h) => h.kind === 'in-flight');
    if (c.posted.length === 0 && c.failed.length === 0 && !c.error && !busy && c.reason) write(`Nothing new for ${where}: ${c.reason}.`);
  }
  const heldInDoubt = report.channels.some((c) => c.held.some((h) => h.kind !== 'in-flight'));
  return report.ok && !heldInDoubt ? 0 : EXIT_FAILED;
}

async function post(config: Config, logger: Logger, shared: SharedMode | undefined): Promise<number> {
  const { bot, store } = await createApp(config, logger, shared ? { shared } : {});
  const posters = await createDigestPosters(config, logger, shared ? { slackInstallations: shared.installations } : {});
  const digest = createDigestScheduler({ bot, store, config, logger, posters, ...(shared ? { ledger: shared.ledger } : {}) });
  if (digest.targets.length === 0 && !digest.findsChannels) {
    warn('No digest channel to post to: set SLACK_BOT_TOKEN and DIGEST_SLACK_CHANNEL (or install the app in Slack workspaces, SLACK_CLIENT_ID…), and/or DISCORD_TOKEN and DIGEST_DISCORD_CHANNEL.');
    return EXIT_CONFIG;
  }
  await digest.ledger.check();
  return printReport(await digest.runOnce());
}

async function resolve(ledger: DigestLedger, keyText: string, as: 'posted' | 'repost'): Promise<number> {
  const key = parseKey(keyText)!;
  const { done, found } = await ledger.resolve(key, as);
  if (done) {
    write(as === 'posted'
      ? `Recorded ${formatKey(key)} as posted: it will not be posted again.`
      : `Cleared ${formatKey(key)}: the next run (or npm run digest -- --post) posts it.`);
    return 0;
  }
  warn(`${formatKey(key)} is ${describeStatus(found)}; only a digest in doubt (or with an unreadable state file) can be resolved.`);
  return EXIT_NOTHING;
}

async function main(): Promise<void> {
  let mode: Mode;
  try {
    mode = parseMode(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (err.message) warn(err.message);
    (err.message ? warn : write)(USAGE);
    process.exitCode = err.message ? EXIT_USAGE : 0;
    return;
  }
  const config = loadConfig();
  validateSchedule(config);
  // The summary goes to stdout; the log (stderr) keeps to warnings unless LOG_LEVEL says otherwise.
  const logger = createLogger(config.LOG_LEVEL ?? 'warn');
  // With DATABASE_URL, the run shares the instances' dataset, ledger and Slack installations (src/shared).
  const shared = config.DATABASE_URL ? await (await import('../shared/index.js')).openShared(config, logger) : undefined;
  const ledger = shared?.ledger ?? new DigestState(config.STATE_DIR);
  let code: number;
  try {
    if (mode.kind === 'resolve') code = await resolve(ledger, mode.key, mode.as);
    else if (mode.kind === 'dry-run') code = await dryRun(config, (await createApp(config, logger, shared ? { shared } : {})).bot, ledger, mode.month, mode.chart);
    else code = await post(config, logger, shared);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    warn(err.message);
    code = EXIT_USAGE;
  } finally {
    await shared?.close();
  }
  process.exitCode = code;
  // A platform client's keep-alive connections may hold the event loop open after a one-shot run.
  setTimeout(() => process.exit(), 2_000).unref();
}

main().catch(exitOnStartupError);
