import { randomUUID } from 'node:crypto';

/** What an adapter hands the core: a slash command (typed text or structured options) or a free-text question. */

export type Platform = 'console' | 'cli' | 'slack' | 'discord' | 'schedule';

export interface Origin {
  platform: Platform;
  user?: string;
  channel?: string;
  /** Set by the adapter when it has one (Slack team, Discord guild). */
  workspace?: string;
  /**
   * The conversation a follow-up is read in: a thread's id, or the channel itself for a DM or the console. Unset
   * (a slash command in a channel), the request has no context and leaves none.
   */
  thread?: string;
  /** A direct message to the bot (not a channel). */
  direct?: boolean;
  /** Whether the user is an admin of the workspace or guild, asked of the platform only when a command needs it. */
  isAdmin?: () => Promise<boolean>;
}

export type Request =
  | ({ kind: 'command'; name: string; text: string } & Origin)
  | ({ kind: 'command'; name: string; options: Record<string, string | undefined> } & Origin)
  | ({ kind: 'question'; text: string } & Origin);

/** Where a request came from, without what it asks. */
export function originOf({ platform, user, channel, workspace, thread, direct, isAdmin }: Request): Origin {
  return { platform, user, channel, workspace, thread, direct, isAdmin };
}

/** A line as typed: "/sales xiaomi april" is that command, anything else a question. */
export function lineRequest(line: string, origin: Origin): Request {
  const cmd = parseCommandLine(line);
  return cmd ? { kind: 'command', ...cmd, ...origin } : { kind: 'question', text: line, ...origin };
}

/** A short id that ties a reply (an apology quotes it) to its log lines. */
export function newRequestId(): string {
  return randomUUID().slice(0, 8);
}

/** Longest input the core reads; the rest of a pasted essay is ignored, bounding the work per request. */
export const MAX_INPUT = 500;

/** Drops control characters (never echoed back) and bounds the length. */
export function cleanInput(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this pattern is for
  return text.slice(0, MAX_INPUT * 2).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '').replace(/\s+/g, ' ').trim().slice(0, MAX_INPUT);
}

/** "/sales xiaomi april" → { name: 'sales', text: 'xiaomi april' }; anything else is not a command line. */
export function parseCommandLine(line: string): { name: string; text: string } | undefined {
  const m = line.trim().match(/^\/([\p{L}\p{N}_-]+)(?:\s+([\s\S]*))?$/u);
  return m ? { name: m[1]!.toLowerCase(), text: (m[2] ?? '').trim() } : undefined;
}

/** Echoed user text, shortened so a pasted novel does not come back. */
export function quote(text: string, max = 40): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return `"${t.length > max ? `${t.slice(0, max - 1)}…` : t}"`;
}
