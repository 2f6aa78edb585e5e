/**
 * Button clicks (`block_actions`) as we read them, and the words at the end of a slash command that are not part
 * of the question: `public` (post in the channel) and `csv` (attach the figures as a file), in either order.
 */
import { z } from 'zod';
import { commandWords, takeTrailingWords } from '../shared/trailing-words.js';
import { withoutCommandPrefix } from './prefix.js';
import { ACTION_PREFIX, buttonLine, CSV_ACTION, RUN_ACTION } from './render.js';

/** A click on one of our buttons: who clicked where, and the line to run for them. */
export interface Click {
  kind: 'run' | 'csv';
  line: string;
  user: string;
  team: string | undefined;
  channel: string | undefined;
  /** The thread of the message the button is on, when it is in one (a file goes there). */
  threadTs: string | undefined;
}

const clickSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: z.string(), team_id: z.string().optional() }),
  team: z.object({ id: z.string() }).nullish(),
  channel: z.object({ id: z.string() }).nullish(),
  container: z.object({ channel_id: z.string().optional(), thread_ts: z.string().optional() }).partial().optional(),
  message: z.object({ thread_ts: z.string().optional() }).partial().optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
});

/** The click in a `block_actions` body, or undefined when it is not a click on one of our buttons. */
export function readClick(body: unknown, prefix: string): Click | undefined {
  const parsed = clickSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { user, team, channel, container, message, actions } = parsed.data;
  const action = actions[0]!;
  if (!action.action_id.startsWith(ACTION_PREFIX) || !action.value) return undefined;
  const kind = action.action_id === CSV_ACTION ? 'csv' : action.action_id.startsWith(RUN_ACTION) ? 'run' : undefined;
  if (!kind) return undefined;
  return {
    kind,
    // The value is the line as the button showed it (with SLACK_COMMAND_PREFIX): the core knows the bare name.
    line: withoutCommandPrefix(buttonLine(action.value), prefix),
    user: user.id,
    team: team?.id ?? user.team_id,
    channel: channel?.id ?? container?.channel_id,
    threadTs: container?.thread_ts ?? message?.thread_ts,
  };
}

/**
 * A slash command's text without its trailing `public` and `csv` words (either order): "xiaomi may csv public".
 * `csv` is only taken from the commands that state figures; elsewhere it stays part of the text.
 */
export function splitCommandWords(name: string, text: string): { text: string; public: boolean; csv: boolean } {
  const { text: rest, found } = takeTrailingWords(text, commandWords(name));
  return { text: rest, public: found.has('public'), csv: found.has('csv') };
}
