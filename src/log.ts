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

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warning', 50: 'error', 60: 'fatal' };

/** An error as pino serialises it, reduced to what a reader can act on: its problems, or its message. */
function errorText(err: unknown): string {
  if (!err || typeof err !== 'object') return '';
  const { problems, message } = err as { problems?: unknown; message?: unknown };
  if (Array.isArray(problems) && problems.length > 0) {
    const shown = problems.slice(0, 3).map(String);
    return shown.join('; ') + (problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '');
  }
  return typeof message === 'string' ? message.split('\n').map((l) => l.trim()).filter(Boolean).join('; ') : '';
}

/**
 * One pino JSON line as one readable line for a person at a terminal:
 * `error: data reload rejected; the previous data keeps serving: data/sales.json: [3].units: expected …`.
 * Never a stack trace (`LOG_LEVEL=debug` shows the request fields, still on one line).
 */
export function humanLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const level = LEVEL_NAMES[entry.level as number] ?? 'log';
  const detail = errorText(entry.err) || (typeof entry.reason === 'string' ? entry.reason : '');
  const who = typeof entry.adapter === 'string' && entry.msg !== 'request' ? `${entry.adapter}: ` : '';
  return `${level}: ${who}${String(entry.msg ?? '')}${detail ? `: ${detail}` : ''}`;
}

/**
 * The logger for the console (`npm start` with no platform): the same pino logger, secrets redacted, but each
 * entry written to stderr as one readable line (see `humanLine`) instead of JSON with a stack.
 */
export function createConsoleLogger(level: string | undefined, destination: NodeJS.WritableStream = process.stderr): Logger {
  const stream = {
    write(chunk: string): void {
      for (const line of chunk.split('\n')) if (line.trim()) destination.write(`${humanLine(line)}\n`);
    },
  };
  return pino({ level: level ?? 'warn', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, stream);
}
