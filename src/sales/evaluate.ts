/**
 * The one evaluator: a Query answered from the dataset index. Names the user typed that the data does not have
 * and months that could not be read are declined first, by name, so nothing is silently dropped or swapped.
 */
import type { DatasetIndex } from '../data/index.js';
import type { Reply } from '../core/reply.js';
import { unknownNames, unreadableMonths } from './answers/common.js';
import { digest } from './answers/digest.js';
import { events } from './answers/events.js';
import { change, figure, series, total } from './answers/figures.js';
import { partners } from './answers/partners.js';
import { attribute, profile } from './answers/profile.js';
import { sources } from './answers/sources.js';
import { compare, first, leadChanges, leader } from './answers/standings.js';
import type { Ask, Query } from './query.js';

type Answer = (data: DatasetIndex, q: Query) => Reply;

const ANSWERS: Record<Exclude<Ask, 'help' | 'hello'>, Answer> = {
  figure, series, change, total, compare, leader, first, lead_changes: leadChanges, attribute, profile, partners, events,
  sources, digest,
};

export function evaluate(data: DatasetIndex, q: Query): Reply {
  return { ...answerOf(data, q), query: q };
}

function answerOf(data: DatasetIndex, q: Query): Reply {
  if (q.unreadable.length > 0) return unreadableMonths(data, q);
  // An event search reads unknown words as a keyword ("/timeline tesla" finds no events, and says so).
  if (q.unknown.length > 0 && q.ask !== 'events') return unknownNames(data, q);
  if (q.ask === 'help' || q.ask === 'hello') throw new Error(`"${q.ask}" is answered by the bot, not the evaluator`);
  return ANSWERS[q.ask](data, q);
}
