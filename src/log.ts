/** The process logger: pino, to stderr (stdout belongs to console answers), with secrets redacted. */
import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths where a token or secret could appear in a logged object. */
export const REDACT_PATHS = [
  'token', '*.token', 'botToken', '*.botToken', 'appToken', '*.appToken', 'signingSecret', '*.signingSecret',
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization', 'req.headers.authorization',
  'config.SLACK_BOT_TOKEN', 'config.SLACK_APP_TOKEN', 'config.SLACK_SIGNING_SECRET', 'config.DISCORD_TOKEN',
  'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'DISCORD_TOKEN',
];

/** `level` undefined means info. */
export function createLogger(level: string | undefined, destination: number | NodeJS.WritableStream = 2): Logger {
  const stream = typeof destination === 'number' ? pino.destination({ fd: destination, sync: true }) : destination;
  return pino({ level: level ?? 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { pid: process.pid } }, stream);
}
