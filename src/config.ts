/**
 * Configuration: read once from the environment (and `.env`, via dotenv), validated with zod,
 * and passed down. Nothing else reads `process.env`.
 */
import { UserError } from './core/errors.js';
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';

const optionalText = z.string().trim().min(1).optional();
const PORT_HINT = 'expected a port number from 1 to 65535';
/** A port is written in decimal digits: "1e3" or "0x2f" would otherwise coerce to 1000 and 47. */
const port = z.string().trim().regex(/^[0-9]{1,5}$/, PORT_HINT).transform(Number).pipe(z.number().int().min(1, PORT_HINT).max(65535, PORT_HINT));
/** A positive whole number, in decimal digits. */
const count = (hint: string) => z.string().trim().regex(/^[0-9]{1,9}$/, hint).transform(Number).pipe(z.number().int().min(1, hint));
/** Seconds, possibly fractional ("0.5"), converted to milliseconds. */
const seconds = (hint: string) => z.string().trim().regex(/^(?:[0-9]{1,6}(?:\.[0-9]{1,3})?|\.[0-9]{1,3})$/, hint).transform((s) => Math.round(Number(s) * 1000)).pipe(z.number().int().min(1, hint));
const list = z
  .string()
  .optional()
  .transform((s) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean));

/** One rule for time zones, used by the schema here and by the schedule's own check (src/schedule/validate.ts). */
export function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A size in bytes: `268435456`, `256MiB`, `300MB`, `1GiB`. */
const BYTES_HINT = 'expected a size in bytes, e.g. 268435456, 256MiB or 1GiB';
const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3 };
const bytes = z.string().trim().transform((text, ctx) => {
  const m = text.toLowerCase().replace(/[_,]/g, '').match(/^(\d+(?:\.\d+)?)\s*([a-z]*)$/);
  const factor = m ? UNITS[m[2]!] : undefined;
  if (!m || factor === undefined || Number(m[1]) * factor < 1) {
    ctx.addIssue({ code: 'custom', message: BYTES_HINT });
    return z.NEVER;
  }
  return Math.floor(Number(m[1]) * factor);
});
const flag = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' }).transform((v) => ['true', '1', 'yes'].includes(v));

/**
 * The one form DIGEST_SCHEDULE takes (checked here and in src/schedule/validate.ts, stated in README): five cron
 * fields. croner would also take a leading seconds field and a trailing year field; they are refused, so that
 * "0 9 1 * * *" is not silently read as "every day at 01:09:00" in place of "monthly at 09:00".
 */
/** "0 9 1 * *": the five fields DIGEST_SCHEDULE_FORM describes. */
export const fiveCronFields = (expr: string): boolean => expr.trim().split(/\s+/).length === 5;

export const DIGEST_SCHEDULE_FORM =
  'exactly five fields "minute hour day-of-month month day-of-week", e.g. "0 9 1 * *" (09:00 on the 1st of every month); ' +
  'no seconds or year field (6 or 7 fields), no @monthly-style names';

export const configSchema = z.object({
  DATA_DIR: z.string().trim().min(1).default('./data'),
  /** A data file larger than this is refused before it is read (256 MiB: a few million figures). */
  DATA_MAX_BYTES: bytes.default(256 * 1024 * 1024),
  /** Each data file's stat, open and read must finish within this, so a hung mount cannot stall reloads or shutdown. */
  DATA_READ_TIMEOUT_MS: z.coerce.number({ error: 'expected milliseconds' }).int('expected whole milliseconds').min(100, 'expected at least 100 ms').default(30_000),
  /** An empty sales.json is refused (a truncated copy would otherwise empty the bot) unless this is true. */
  DATA_ALLOW_EMPTY_SALES: flag.default(false),
  /** Unset: info when serving a chat platform, warn in the console and the CLI (whose stdout is the answer). */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'expected one of fatal, error, warn, info, debug, trace, silent' }).optional(),

  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_PORT: port.default(3000),
  /** HTTP mode: the largest request body accepted (Slack's commands and events are a few KB). */
  SLACK_MAX_BODY_BYTES: count('expected a number of bytes, e.g. 131072').default(131_072),
  /** HTTP mode: seconds a client has to send the request headers, and the whole request. */
  SLACK_HEADERS_TIMEOUT: seconds('expected a number of seconds, e.g. 5').default(5_000),
  SLACK_REQUEST_TIMEOUT: seconds('expected a number of seconds, e.g. 10').default(10_000),
  /** HTTP mode: connections open at once; those above it are closed as they arrive. */
  SLACK_MAX_CONNECTIONS: count('expected a whole number of connections, e.g. 256').default(256),
  SLACK_API_URL: z.url({ error: 'expected a URL such as https://slack.com/api/' }).optional(),
  SLACK_COMMAND_PREFIX: z.string().trim().regex(/^[a-z0-9_-]*$/, 'expected lower-case letters, digits, "-" or "_" (e.g. ev-)').default(''),
  /** Slack for many workspaces (OAuth distribution): all three, or none. */
  SLACK_CLIENT_ID: z.string().trim().regex(/^[0-9]+\.[0-9]+$/, 'expected the app\'s Client ID, e.g. 1234567890.1234567890 (Basic Information → App Credentials)').optional(),
  SLACK_CLIENT_SECRET: optionalText,
  /** Signs the OAuth `state` (a JWT), so a redirect not started at /slack/install is refused. */
  SLACK_STATE_SECRET: z.string().trim().min(16, 'expected at least 16 random characters, e.g. from `openssl rand -hex 32`').optional(),

  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: z.string().trim().regex(/^\d{5,25}$/, 'expected a numeric application id (a snowflake)').optional(),
  DISCORD_GUILD_ID: z.string().trim().regex(/^\d{5,25}$/, 'expected a numeric server id (a snowflake)').optional(),
  DISCORD_API_URL: z.url({ error: 'expected a URL such as https://discord.com/api' }).optional(),
  DISCORD_CHANNELS: list,
  /** Gateway shards in all: `auto` (Discord's recommendation) or a number; with DISCORD_SHARD_IDS, each instance holds some. */
  DISCORD_SHARDS: z.string().trim().regex(/^(auto|[1-9][0-9]{0,4})$/, 'expected auto or a number of shards, e.g. 4').default('auto'),
  /** The shards this instance holds (e.g. 0,1 on one and 2,3 on another), so no two instances hold the same one. */
  DISCORD_SHARD_IDS: list,
  /** Turns on the HTTP Interactions endpoint (POST /discord/interactions on HEALTH_PORT), verified with this key. */
  DISCORD_PUBLIC_KEY: z.string().trim().regex(/^[0-9a-fA-F]{64}$/, 'expected the application\'s public key: 64 hexadecimal characters (Developer Portal → General Information)').optional(),

  DIGEST_SCHEDULE: z.string().trim().min(1).refine(fiveCronFields, `not a valid cron expression: expected ${DIGEST_SCHEDULE_FORM}`).default('0 9 1 * *'),
  DIGEST_TIMEZONE: z.string().trim().refine(validTimeZone, 'expected an IANA time zone such as UTC or Asia/Shanghai').default('UTC'),
  DIGEST_SLACK_CHANNEL: optionalText,
  DIGEST_DISCORD_CHANNEL: optionalText,
  STATE_DIR: z.string().trim().min(1).default('./state'),
  /** Shared mode: several instances on one PostgreSQL (dataset, digest ledger, schedule, rate limits, Slack events). */
  DATABASE_URL: z.string().trim().refine((v) => {
    try {
      return ['postgres:', 'postgresql:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'expected a PostgreSQL URL such as postgres://bot:password@db.internal:5432/salesbot').optional(),

  HEALTH_PORT: port.optional(),
  /** The interface the Slack HTTP receiver and the health server bind; unset: every interface. */
  LISTEN_HOST: z.string().trim().min(1).optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number({ error: 'expected a whole number of requests per minute' }).int('expected a whole number').min(1, 'expected at least 1').default(20),
  ALLOWED_SLACK_TEAMS: list,
  ALLOWED_DISCORD_GUILDS: list,
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends UserError {
  constructor(readonly problems: string[]) {
    super('config.invalid', `The configuration is invalid:\n  ${problems.join('\n  ')}\nFix the environment or .env (see .env.example).`);
  }
}

/** Validates an environment; empty strings count as unset, as in most .env files. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => {
      const name = String(i.path[0] ?? '');
      const got = cleaned[name];
      // Secrets are never echoed back, not even in an error.
      const shown = got === undefined || /TOKEN|SECRET|DATABASE_URL/.test(name) ? '' : `, got ${JSON.stringify(got)}`;
      return `${name}: ${i.message.replace(/^Invalid input: /, '')}${shown}`;
    }));
  }
  const config = result.data;
  const oauth = slackOAuthProblems(config);
  if (oauth.length > 0) throw new ConfigError(oauth);
  if (config.SLACK_BOT_TOKEN && !config.SLACK_APP_TOKEN && !config.SLACK_SIGNING_SECRET) {
    throw new ConfigError(['SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)']);
  }
  if (config.DISCORD_SHARD_IDS.length > 0) {
    const total = Number(config.DISCORD_SHARDS);
    if (config.DISCORD_SHARDS === 'auto') throw new ConfigError(['DISCORD_SHARD_IDS: needs DISCORD_SHARDS set to the number of shards in all (not auto), so every instance agrees on it']);
    const bad = config.DISCORD_SHARD_IDS.filter((id) => !/^[0-9]{1,5}$/.test(id) || Number(id) >= total);
    if (bad.length > 0) throw new ConfigError([`DISCORD_SHARD_IDS: expected shard numbers from 0 to ${total - 1} (DISCORD_SHARDS=${total}), got ${bad.join(', ')}`]);
  }
  return config;
}

const OAUTH_VARS = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;

/** Whether Slack runs for many workspaces (OAuth distribution): the three OAuth variables are set. */
export function slackOAuthEnabled(config: Pick<Config, (typeof OAUTH_VARS)[number]>): boolean {
  return OAUTH_VARS.every((name) => config[name] !== undefined);
}

/** OAuth distribution needs all three variables, and the HTTP receiver (its install and redirect pages). */
function slackOAuthProblems(config: Config): string[] {
  const set = OAUTH_VARS.filter((name) => config[name] !== undefined);
  if (set.length === 0) return [];
  if (set.length < OAUTH_VARS.length) {
    return OAUTH_VARS.filter((name) => config[name] === undefined)
      .map((name) => `${name}: required for Slack in many workspaces (OAuth), since ${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set`);
  }
  const problems: string[] = [];
  if (config.SLACK_APP_TOKEN) problems.push('SLACK_APP_TOKEN: Slack in many workspaces (OAuth) serves /slack/install and /slack/oauth_redirect in HTTP mode; unset SLACK_APP_TOKEN');
  else if (!config.SLACK_SIGNING_SECRET) problems.push('SLACK_SIGNING_SECRET: required with SLACK_CLIENT_ID (Slack in many workspaces runs in HTTP mode)');
  if (config.DIGEST_SLACK_CHANNEL && !config.SLACK_BOT_TOKEN) {
    problems.push('DIGEST_SLACK_CHANNEL: needs SLACK_BOT_TOKEN (the workspace it is in); in many workspaces each digest goes to the channel picked when the app was installed, so unset it');
  }
  return problems;
}

/** Reads `.env` (if present) into the environment, then validates it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  loadDotenv({ quiet: true, processEnv: env as Record<string, string> });
  return parseConfig(env);
}
