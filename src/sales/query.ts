/**
 * One typed query for everything a user can ask. Slash commands (typed text or platform options) and plain
 * questions both become a Query; the evaluator answers it. Nothing is printed back as command text and re-parsed.
 */
import { z } from 'zod';
import { yearMonth } from '../data/schema.js';

export const ASKS = [
  /** One seller's figure for a month. */
  'figure',
  /** Figures over the months on record, for one seller or side by side for several ("trend"). */
  'series',
  /** Change between two months of one seller, absolute and %. */
  'change',
  /** Sum over a range of months (a quarter, a year, "april and may"). */
  'total',
  /** Two sellers in one month: who is ahead and by how much. */
  'compare',
  /** Who is ahead among the sellers on record (or among the named ones): "who is winning". */
  'leader',
  /** The first month A was proven ahead of B. */
  'first',
  /** Whether and when the lead changed hands. */
  'lead_changes',
  /** A fact about a company: ticker, ownership, membership, best-selling brand, challenges, logo. */
  'attribute',
  'profile',
  'partners',
  'events',
  /** Where a figure comes from. */
  'sources',
  'digest',
  'help',
  /** A greeting or thanks. */
  'hello',
] as const;
export type Ask = (typeof ASKS)[number];

export const ATTRIBUTES = ['ticker', 'ownership', 'membership', 'maker', 'best_brand', 'challenge', 'logo'] as const;
export type Attribute = (typeof ATTRIBUTES)[number];

export const querySchema = z.strictObject({
  ask: z.enum(ASKS),
  /** Entity ids, in the order the user named them. */
  subjects: z.array(z.string()),
  /** Months the user named (or "last month" pinned to the newest on record), in the order named. */
  months: z.array(yearMonth),
  /** A span the user named: a year, a quarter, "from april to june"; months outside the data stay visible. */
  span: z.strictObject({ label: z.string(), from: yearMonth, to: yearMonth }).optional(),
  attribute: z.enum(ATTRIBUTES).optional(),
  /** A number quoted in the question ("where does the 44,454 come from"). */
  figure: z.number().optional(),
  /** A source named in the question ("what did CPCA report"). */
  source: z.string().optional(),
  /** Free words for an event search ("launch"). */
  keyword: z.string().optional(),
  /** "last month", "this year": resolved to the newest on record; the reply says so. */
  relative: z.enum(['month', 'year']).optional(),
  /** Names the user typed that the data does not have: named in the reply, never dropped or swapped. */
  unknown: z.array(z.string()),
  /** Month-like words that could not be read ("13/2025"): never silently ignored. */
  unreadable: z.array(z.string()),
  /** For `help`: the command asked about. */
  command: z.string().optional(),
  /** For `lead_changes`: whether the question is about losing the lead or taking it. */
  lead: z.enum(['lost', 'took']).optional(),
  /** For `hello`: thanks rather than a greeting. */
  thanks: z.boolean().optional(),
});
export type Query = z.infer<typeof querySchema>;

export function query(ask: Ask, fields: Partial<Omit<Query, 'ask'>> = {}): Query {
  return { ask, subjects: [], months: [], unknown: [], unreadable: [], ...fields };
}
