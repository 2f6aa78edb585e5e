/**
 * Plain questions: read, classify (or, in a conversation, read a follow-up against the last answer), evaluate — the
 * same path a slash command takes — and name the command whose typed form gives the very same answer, checked by
 * running it, never assumed.
 */
import type { Interpretation, QuestionInterpreter } from '../core/bot.js';
import type { AnyCommand, CommandContext } from '../core/command.js';
import { formatMonth } from './months.js';
import type { Reply } from '../core/reply.js';
import { classify } from './classify.js';
import { evaluate } from './evaluate.js';
import type { Query } from './query.js';
import { followUp, withPointedPeriod } from './follow-up.js';
import { readText } from './read.js';
import { introduction, notSure } from './replies.js';

/** Words that make a command read the ask the question had. */
const CUE: Partial<Record<Query['ask'], string>> = { total: 'total', first: 'first', lead_changes: 'lead changes', series: 'trend', change: 'growth' };

function commandLine(command: AnyCommand, q: Query, ctx: CommandContext): string {
  const names = q.subjects.map((id) => ctx.data.entity(id)?.name.toLowerCase() ?? id);
  const months = q.months.map((m) => formatMonth(m).toLowerCase());
  const span = q.span ? [q.span.label.toLowerCase()] : [];
  const cue = CUE[q.ask] && !(q.ask === 'series' && q.subjects.length < 2) && !(q.ask === 'change' && q.months.length >= 2) ? [CUE[q.ask]!] : [];
  const attribute = q.attribute === 'ticker' ? ['ticker'] : [];
  return `/${command.name} ${[...names, ...months, ...span, ...cue, ...attribute].join(' ')}`.trim();
}

const sameAnswer = (a: Reply, b: Reply): boolean => a.title === b.title && JSON.stringify(a.blocks) === JSON.stringify(b.blocks);

export const interpret: QuestionInterpreter = (text: string, ctx: CommandContext): Interpretation | Reply => {
  const reading = readText(text, ctx.data);
  // In a conversation, a question that leans on the last answer ("and in april?") is read against it.
  const follow = followUp(text, reading, ctx.data, ctx);
  if (follow && 'reply' in follow) return follow.reply;
  const q = follow?.query ?? classify(withPointedPeriod(text, reading, ctx), ctx.data);
  if (!q) return notSure(ctx.data, ctx.commands, reading.cues);
  if (q.ask === 'hello') return introduction(ctx.data, ctx.commands, q.thanks);
  const command = ctx.commands.find((c) => c.serves?.includes(q.ask));
  if (q.ask === 'help') {
    const help = command?.run({ text: '' }, ctx);
    return command && help && !(help instanceof Promise) ? { command: command.name, reply: help } : notSure(ctx.data, ctx.commands, reading.cues);
  }
  const reply = evaluate(ctx.data, q);
  // A leader's answer is not what "/digest <month>" gives, so there is no command line to check.
  if (!command || reply.kind !== 'answer' || q.ask === 'leader') return { command: command?.name ?? 'question', reply };
  const typed = commandLine(command, q, ctx);
  const direct = command.run({ text: typed.replace(/^\/\S+\s*/, '') }, ctx);
  return { command: command.name, reply, ...(!(direct instanceof Promise) && sameAnswer(direct, reply) ? { typed } : {}) };
};
