/**
 * Bolt, its Web API client and its Socket Mode client log through this: our pino logger, at our level, with
 * anything that looks like a Slack token scrubbed from the text (pino's redaction only covers object keys).
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../log.js';

const TOKEN = /\b(?:xox[abpersc]|xapp)-[A-Za-z0-9-]+/g;

export function scrubTokens(text: string): string {
  return text.replace(TOKEN, '[redacted]');
}

function describe(parts: unknown[]): { text: string; err?: Error } {
  const err = parts.find((p): p is Error => p instanceof Error);
  const text = parts
    .filter((p) => p !== err)
    .map((p) => (typeof p === 'string' ? p : safeJson(p)))
    .join(' ');
  return { text: scrubTokens(text), ...(err ? { err } : {}) };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function boltLogger(logger: Logger, name = 'slack'): BoltLogger {
  const child = logger.child({ component: name });
  const emit = (level: 'debug' | 'info' | 'warn' | 'error', parts: unknown[]) => {
    // Bolt logs several debug lines per request: below our level they cost nothing, not a join and a scrub each.
    if (!child.isLevelEnabled(level)) return;
    const { text, err } = describe(parts);
    if (err) child[level]({ err: { type: err.name, message: scrubTokens(err.message) } }, text || err.message);
    else child[level](text);
  };
  return {
    debug: (...msg: unknown[]) => emit('debug', msg),
    info: (...msg: unknown[]) => emit('info', msg),
    warn: (...msg: unknown[]) => emit('warn', msg),
    error: (...msg: unknown[]) => emit('error', msg),
    // Our LOG_LEVEL decides; Bolt's clients call setLevel with their own defaults, which we ignore.
    setLevel: () => undefined,
    getLevel: () => toBoltLevel(logger.level),
    // One logger object is shared by the App and its clients: a rename by one would relabel them all.
    setName: () => undefined,
  };
}

function toBoltLevel(level: string): LogLevel {
  switch (level) {
    case 'trace':
    case 'debug':
      return LogLevel.DEBUG;
    case 'info':
      return LogLevel.INFO;
    case 'warn':
      return LogLevel.WARN;
    default:
      return LogLevel.ERROR;
  }
}
