/**
 * Configuration: read once from the environment (and `.env`, via dotenv), validated with zod,
 * and passed down. Nothing else reads `process.env`.
 */
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';

const optionalText = z.string().trim().min(1).optional();
const PORT_HINT = 'expected a port number from 1 to 65535';
const port = z.coerce.number({ error: PORT_HINT }).int(PORT_HINT).min(1, PORT_HINT).max(65535, PORT_HINT);
const list = z
  .string()
  .optional()
  .transform((s) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean));

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const configSchema = z.object({
  DATA_DIR: z.string().trim().min(1).default('./data'),
  /** Unset: info when serving a chat platform, warn in the console and the CLI (whose stdout is the answer). */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'expected one of fatal, error, warn, info, debug, trace, silent' }).optional(),

  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_PORT: port.default(3000),
  SLACK_API_URL: z.url({ error: 'expected a URL such as https://slack.com/api/' }).optional(),
  SLACK_COMMAND_PREFIX: z.string().trim().regex(/^[a-z0-9_-]*$/, 'expected lower-case letters, digits, "-" or "_" (e.g. ev-)').default(''),

  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: z.string().trim().regex(/^\d{5,25}$/, 'expected a numeric application id (a snowflake)').optional(),
  DISCORD_GUILD_ID: z.string().trim().regex(/^\d{5,25}$/, 'expected a numeric server id (a snowflake)').optional(),
  DISCORD_API_URL: z.url({ error: 'expected a URL such as https://discord.com/api' }).optional(),
  DISCORD_CHANNELS: list,

  DIGEST_SCHEDULE: z.string().trim().min(1).default('0 9 1 * *'),
  DIGEST_TIMEZONE: z.string().trim().refine(validTimeZone, 'expected an IANA time zone such as UTC or Asia/Shanghai').default('UTC'),
  DIGEST_SLACK_CHANNEL: optionalText,
  DIGEST_DISCORD_CHANNEL: optionalText,
  STATE_DIR: z.string().trim().min(1).default('./state'),

  HEALTH_PORT: port.optional(),
  /** The interface the Slack HTTP receiver and the health server bind; unset: every interface. */
  LISTEN_HOST: z.string().trim().min(1).optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number({ error: 'expected a whole number of requests per minute' }).int('expected a whole number').min(1, 'expected at least 1').default(20),
  ALLOWED_SLACK_TEAMS: list,
  ALLOWED_DISCORD_GUILDS: list,
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The configuration is invalid:\n  ${problems.join('\n  ')}\nFix the environment or .env (see .env.example).`);
    this.name = 'ConfigError';
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
      const shown = got === undefined || /TOKEN|SECRET/.test(name) ? '' : `, got ${JSON.stringify(got)}`;
      return `${name}: ${i.message.replace(/^Invalid input: /, '')}${shown}`;
    }));
  }
  const config = result.data;
  if (config.SLACK_BOT_TOKEN && !config.SLACK_APP_TOKEN && !config.SLACK_SIGNING_SECRET) {
    throw new ConfigError(['SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)']);
  }
  return config;
}

/** Reads `.env` (if present) into the environment, then validates it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  loadDotenv({ quiet: true, processEnv: env as Record<string, string> });
  return parseConfig(env);
}
