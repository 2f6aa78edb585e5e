/**
 * The question interpreter: free text → one command and the argument text that command's own
 * `fromText` reads, so a question and its command never disagree. Names come from the dataset's
 * index, months from the month parser; only the intent words are a (small) vocabulary.
 * What it cannot read it says so, with examples, rather than guess.
 */
import type { Entity, EntityKind } from '../data/index.js';
import { isReply, quote, resolveEntity } from './args.js';
import type { QuestionInterpreter } from './bot.js';
import type { CommandContext } from './command.js';
import { MAX_INPUT } from './request.js';
import { notice, type Reply } from './reply.js';
import { findMonths, monthArgument, type MonthScan } from './questions/months.js';
import { stripNoise } from './questions/noise.js';
import { introduction, notSure } from './questions/replies.js';
import { scan, type Scan } from './questions/scan.js';
import type { Intent } from './questions/vocabulary.js';

export type Interpretation = { command: string; text: string };

/** On a tie the more specific intent wins: "who makes…" is about partners, not a ranking. */
const PRIORITY: readonly Intent[] = ['help', 'partners', 'timeline', 'compare', 'sales', 'digest', 'company'];

interface Reading extends Scan {
  month: MonthScan['month'];
  year: string | undefined;
}

const nameOf = (e: Entity) => e.name.toLowerCase();
const withMonth = (text: string, r: Reading) => [text, r.month ? monthArgument(r.month) : ''].filter(Boolean).join(' ');

/** The entity a question is most specifically about, for intents that take one name. */
function mostSpecific(entities: readonly Entity[], order: readonly EntityKind[]): Entity | undefined {
  for (const kind of order) {
    const e = entities.find((x) => x.kind === kind);
    if (e) return e;
  }
  return entities[0];
}

/** Builds the answer for one intent, or undefined when the question lacks what that intent needs. */
function build(intent: Intent, r: Reading, ctx: CommandContext): Interpretation | Reply | undefined {
  const { data } = ctx;
  const [first, second] = r.entities;
  const unknownName = r.unknown[0];
  const digest = (): Interpretation => ({ command: 'digest', text: r.month ? monthArgument(r.month) : '' });
  const compare = (a: Entity, b: Entity): Interpretation => ({ command: 'compare', text: withMonth(`${nameOf(a)} vs ${nameOf(b)}`, r) });
  // A name we do not know is answered by the command's own "I don't know …", never swapped for a known one.
  const unknown = (example: string): Reply => {
    const reply = resolveEntity(data, unknownName!, example);
    return isReply(reply) ? reply : notSure(data, ctx.commands, r.scores);
  };

  switch (intent) {
    case 'help':
      return first || unknownName ? undefined : { command: 'help', text: '' };
    case 'sales': {
      // Two sellers with figures of their own: side by side. Huawei and HIMA count once (one set of figures).
      const sellers = [...new Map(r.entities
        .filter((e) => data.salesOf(data.sellerFor(e).id).length > 0)
        .map((e) => [data.sellerFor(e).id, e])).values()];
      if (sellers.length >= 2) return compare(sellers[0]!, sellers[1]!);
      if (first) return { command: 'sales', text: withMonth(nameOf(first), r) };
      if (unknownName) return unknown('/sales {name} april');
      return digest();
    }
    case 'compare':
      if (first && second) return compare(first, second);
      if (unknownName) return unknown('/compare {name} huawei april');
      // "who led in May?": the month's ranking answers it.
      return digest();
    case 'partners': {
      const e = mostSpecific(r.entities.filter((x) => x.kind !== 'person'), ['brand', 'model']) ?? first;
      if (e) return { command: 'partners', text: nameOf(e) };
      return unknownName ? unknown('/partners {name}') : undefined;
    }
    case 'company':
      // "what is xiaomi's april number": a profile has no month, the month's figure answers it.
      if (first && r.month && data.salesOf(data.sellerFor(first).id).length > 0) return { command: 'sales', text: withMonth(nameOf(first), r) };
      if (first) return { command: 'company', text: nameOf(first) };
      return unknownName ? notSure(data, ctx.commands, r.scores, [`I don't know ${quote(unknownName)}.`]) : undefined;
    case 'timeline': {
      const e = mostSpecific(r.entities, ['person', 'model', 'brand', 'company', 'alliance']);
      if (e) return { command: 'timeline', text: nameOf(e) };
      if (r.month) return { command: 'timeline', text: monthArgument(r.month) };
      if (r.year) return { command: 'timeline', text: r.year };
      // A keyword the events may mention ("smart selection"); the command says so if none does.
      return { command: 'timeline', text: unknownName ?? '' };
    }
    case 'digest':
      return digest();
  }
}

/** No intent word: read the shape of the question instead ("xiaomi huawei may", "xiaomi april", "2024"). */
function fallback(r: Reading, ctx: CommandContext): Interpretation | Reply {
  const { data } = ctx;
  const [first, second] = r.entities;
  const hasFigures = (e: Entity) => data.salesOf(data.sellerFor(e).id).length > 0;
  if (first && r.unknown.length > 0) {
    // "xiaomi stock price": a name we know, but a question we do not answer. Offer what we do know about it.
    const n = nameOf(first);
    return notice("I'm not sure what you mean", [`I know ${first.name}, but not what you'd like to know about it.`],
      [...(first.kind === 'person' ? [] : [hasFigures(first) ? `/sales ${n}` : `/partners ${n}`]), `/company ${n}`, `/timeline ${n}`]);
  }
  if (first && second && hasFigures(first) && hasFigures(second)) return { command: 'compare', text: withMonth(`${nameOf(first)} vs ${nameOf(second)}`, r) };
  if (first) return hasFigures(first) ? { command: 'sales', text: withMonth(nameOf(first), r) } : { command: 'company', text: nameOf(first) };
  if (r.social.size > 0 || (r.words === 0 && !r.month && !r.year)) return introduction(data, ctx.commands, r.social.has('thanks') && !r.social.has('greeting'));
  if (r.unknown.length > 0) {
    if (r.month) {
      const reply = resolveEntity(data, r.unknown[0]!, '/sales {name} april');
      if (isReply(reply)) return reply;
    }
    return notSure(data, ctx.commands, r.scores);
  }
  if (r.month) return { command: 'digest', text: monthArgument(r.month) };
  if (r.year) return { command: 'timeline', text: r.year };
  return notSure(data, ctx.commands, r.scores);
}

export function interpret(text: string, ctx: CommandContext): Interpretation | Reply {
  const lowered = stripNoise(text.slice(0, MAX_INPUT)).normalize('NFKC').toLowerCase();
  const months = findMonths(lowered, ctx.data);
  const reading: Reading = { ...scan(months.text, ctx.data), month: months.month, year: months.year };
  const known = new Set(ctx.commands.map((c) => c.name));

  // A lone weak word ("who", "which", "cars") is not enough to choose an intent.
  const ranked = PRIORITY.filter((i) => reading.scores[i] >= 2 && known.has(i))
    .sort((a, b) => reading.scores[b] - reading.scores[a] || PRIORITY.indexOf(a) - PRIORITY.indexOf(b));
  for (const intent of ranked) {
    const result = build(intent, reading, ctx);
    if (result && ('kind' in result || known.has(result.command))) return result;
  }
  if (ranked.length > 0) return notSure(ctx.data, ctx.commands, reading.scores);
  const result = fallback(reading, ctx);
  return 'kind' in result || known.has(result.command) ? result : notSure(ctx.data, ctx.commands, reading.scores);
}

/** The interpreter the bot is built with. */
export const interpretQuestion: QuestionInterpreter = interpret;
