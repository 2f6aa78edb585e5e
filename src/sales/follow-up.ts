/**
 * Follow-ups in a conversation: a question that leans on the last answer there ("and in april?", "what about
 * huawei?", "compare them", "as a chart", "and the total?") becomes a whole Query built from that answer's query.
 * A question that stands on its own — it names what it asks about and has an ask of its own — is left alone, so it
 * answers exactly as it would without a previous answer.
 *
 * The rules, in the order they are tried:
 * - "as a chart" / "chart it" / "graph" (no name of its own): the previous figures as a month-by-month series,
 *   which every platform draws (one seller's figure becomes that seller's months on record).
 * - "compare them" / "which is bigger" / "both" / "比较一下": the two sellers of the last answer; after an answer
 *   about one seller, that seller and the one of the answer before ("/sales xiaomi may", "what about huawei?",
 *   "compare them" compares Xiaomi and Huawei in May); after a ranking, its top two.
 * - "and the total?" / "and the change?": the previous seller's total or change.
 * - a new period ("and in april?", "what about Q2?", "四月呢?") replaces the previous months; a new name ("what
 *   about huawei?", "华为呢?") replaces the previous subject. After a comparison, one new name takes the second
 *   seller's place (the first is the one the thread started from): "xiaomi vs huawei in may", "what about nio?"
 *   compares Xiaomi and NIO; naming one of the two compared narrows to that one.
 * A period or a name alone counts as a follow-up when it opens with "and", "what about", "how about"… or ends in
 * "呢", or is nothing but the period or the name ("april?", "huawei?").
 */
import type { DatasetIndex } from '../data/index.js';
import type { YearMonth } from '../data/schema.js';
import { notice, type Reply } from '../core/reply.js';
import { sellersOf } from './classify.js';
import { formatMonth } from './months.js';
import { query, querySchema, type Ask, type Query } from './query.js';
import type { Reading } from './read.js';
import type { Intent } from './vocabulary.js';

/** The conversation's last answers: `previous` the newest, `earlier` the ones before it, newest first. */
export interface Conversation {
  previous?: Reply;
  earlier?: readonly Reply[];
}

/** A follow-up read against the conversation: the Query it asks, or a reply saying what is missing. */
export type FollowUp = { query: Query } | { reply: Reply };

/** A cue word counts at this weight (as in the classifier). */
const STRONG = 2;

/** Openings that lean on what came before. */
const OPENING = /^(?:and|but|ok(?:ay)?|so|then|also|now|what about|how about|what of|same for|same in|same but|and what about|and how about|and for|and in)\b/;
/** Words that point at the sellers of the last answer (Chinese in Simplified and Traditional characters). */
const THEM = /\b(?:them|both|the two|these two|those two|each other)\b|比[较較]一下|[对對]比一下|比一下|[他它][们們]|[两兩](?:者|家|个|個)/;
/** Weaker pointers, read as "them" only when the conversation has two sellers. */
const WHICH = /\b(?:which is|which one|which of|who s bigger|who is bigger)\b|哪[个個]/;
const CHART = /\b(?:chart|charts|graph|graphs|plot|plotted|visuali[sz]e|visuali[sz]ation|draw it|diagram)\b|[图圖]表|[画畫][个個]?[图圖]|做[个個][图圖]|[图圖]示|曲[线線][图圖]|柱[状狀][图圖]/;

/** Cue words a follow-up may carry besides its period or name ("what about", "and the sales"). */
const FOLLOW_CUES: ReadonlySet<Intent> = new Set(['company', 'sales']);

const SINGLE_SELLER: ReadonlySet<Ask> = new Set(['figure', 'series', 'change', 'total']);
const PAIR: ReadonlySet<Ask> = new Set(['compare', 'first', 'lead_changes']);
const RANKING: ReadonlySet<Ask> = new Set(['leader', 'digest']);
const isSales = (ask: Ask) => SINGLE_SELLER.has(ask) || PAIR.has(ask) || RANKING.has(ask);

interface Form {
  opening: boolean;
  them: boolean;
  which: boolean;
  chart: boolean;
}

function formOf(text: string): Form {
  const t = text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}\s]+/gu, ' ').replace(/\s+/g, ' ').trim();
  return { opening: OPENING.test(t) || /呢$/.test(t) || /^(?:那|那么|那末)/.test(t), them: THEM.test(t), which: WHICH.test(t), chart: CHART.test(t) };
}

/** The last answer's query, when it is one of ours. */
function queryOf(reply: Reply | undefined): Query | undefined {
  const parsed = reply?.query ? querySchema.safeParse(reply.query) : undefined;
  return parsed?.success ? parsed.data : undefined;
}

/** Seller ids of a query's subjects, one per seller (Huawei and HIMA count once), as the subjects were named. */
function sellerSubjects(data: DatasetIndex, ids: readonly string[]): string[] {
  return sellersOf(data, ids.flatMap((id) => data.entity(id) ?? [])).map((e) => e.id);
}

/** The sellers an answer was about: its subjects, or for a ranking the sellers it ranked, in order. */
function sellersOfAnswer(data: DatasetIndex, reply: Reply, q: Query): string[] {
  const named = sellerSubjects(data, q.subjects);
  if (named.length > 0 || !RANKING.has(q.ask)) return named;
  return sellerSubjects(data, [...new Set((reply.figures ?? []).map((f) => f.seller))]);
}

interface Period {
  months: YearMonth[];
  span?: Query['span'];
  relative?: Query['relative'];
  unreadable: string[];
}

const periodOf = (r: Reading): Period => ({ months: r.months, unreadable: r.unreadable, ...(r.span ? { span: r.span } : {}), ...(r.relative ? { relative: r.relative } : {}) });
const periodOfQuery = (q: Query): Period => ({ months: q.months, unreadable: [], ...(q.span ? { span: q.span } : {}), ...(q.relative ? { relative: q.relative } : {}) });

/** The period an answer was about: a ranking asked without a month answered for the newest one, its figures say which. */
function answeredPeriod(reply: Reply, q: Query): Period {
  const months = [...new Set((reply.figures ?? []).map((f) => f.month as YearMonth))];
  return RANKING.has(q.ask) && q.months.length === 0 && !q.span && months.length === 1 ? { months, unreadable: [] } : periodOfQuery(q);
}
const hasPeriod = (p: Period) => p.months.length > 0 || p.span !== undefined || p.unreadable.length > 0;
const several = (p: Period) => p.months.length >= 2 || p.span !== undefined;

/** What one seller's figures answer for a period, as the classifier reads "<seller> <period>". */
function oneSellerAsk(p: Period): Ask {
  return p.months.length >= 2 ? 'change' : p.months.length === 1 ? 'figure' : p.span ? 'total' : 'series';
}

/** Sellers side by side: one month compares them, several are shown month by month. */
const pairAsk = (p: Period): Ask => (several(p) ? 'series' : 'compare');

function build(ask: Ask, subjects: readonly string[], p: Period, extra: Partial<Query> = {}): Query {
  return query(ask, { ...extra, subjects: [...subjects], months: p.months, unreadable: p.unreadable, unknown: extra.unknown ?? [], ...(p.span ? { span: p.span } : {}), ...(p.relative ? { relative: p.relative } : {}) });
}

/** The fields an ask keeps when only its period or subjects change. */
function kept(q: Query): Partial<Query> {
  return {
    ...(q.attribute ? { attribute: q.attribute } : {}),
    ...(q.lead ? { lead: q.lead } : {}),
    ...(q.ask === 'events' && q.keyword ? { keyword: q.keyword } : {}),
    ...(q.ask === 'sources' && q.source ? { source: q.source } : {}),
  };
}

/** The previous question asked again for another period. */
function withPeriod(data: DatasetIndex, reply: Reply, q: Query, p: Period): Query {
  const sellers = sellersOfAnswer(data, reply, q);
  if (q.ask === 'events' || q.ask === 'sources') return build(q.ask, q.subjects, p, kept(q));
  if (RANKING.has(q.ask) && q.subjects.length === 0) return several(p) ? build('series', sellers, p) : build(q.ask, [], p);
  if (sellers.length >= 2 || PAIR.has(q.ask)) return build(pairAsk(p), q.subjects, p);
  if (q.ask === 'series') return build(p.months.length === 1 ? 'figure' : 'series', q.subjects, p);
  // "growth in may", then "and in april?": the growth into April; "april vs may", then "june?": June's figure.
  if (q.ask === 'change') return build(p.span ? 'series' : p.months.length === 1 && q.months.length >= 2 ? 'figure' : 'change', q.subjects, p);
  if (q.ask === 'total') return build(p.months.length === 1 ? 'figure' : 'total', q.subjects, p);
  return build(oneSellerAsk(p), q.subjects, p);
}

/** The previous question asked again about other names. */
function withSubjects(data: DatasetIndex, reply: Reply, q: Query, r: Reading): Query {
  const named = r.subjects.map((e) => e.id);
  const p = answeredPeriod(reply, q);
  const unknown = r.unknown;
  const count = named.length + unknown.length;
  const before = sellersOfAnswer(data, reply, q);
  if (!isSales(q.ask)) {
    // A fact about a company ("xiaomi's ticker", then "what about seres?"): the same fact about the new one.
    const rest = q.attribute === 'membership' ? q.subjects.slice(1) : [];
    return build(q.ask, [...named, ...rest], p, { ...kept(q), unknown });
  }
  if (count >= 2) return build(q.ask === 'change' || q.ask === 'total' || q.ask === 'series' ? 'series' : PAIR.has(q.ask) ? q.ask : pairAsk(p), named, p, { ...kept(q), unknown });
  if (before.length >= 2 && (PAIR.has(q.ask) || q.ask === 'series') && q.subjects.length >= 2) {
    const [seller] = sellerSubjects(data, named);
    // One of the two compared: that one alone; another: it takes the second one's place.
    if (seller !== undefined && before.includes(seller)) return build(q.ask === 'series' ? 'series' : oneSellerAsk(p), named, p);
    return build(q.ask, [q.subjects[0]!, ...named], p, { ...kept(q), unknown });
  }
  if (RANKING.has(q.ask)) return build(oneSellerAsk(p), named, p, { unknown });
  return build(q.ask, named, p, { unknown });
}

/** The previous figures month by month, which every platform draws as a chart. */
function asChart(data: DatasetIndex, reply: Reply, q: Query, own: Period): Query | undefined {
  const sellers = sellersOfAnswer(data, reply, q);
  if (sellers.length === 0) return undefined;
  const subjects = sellers.length >= 2 && q.subjects.length < 2 ? sellers.slice(0, 2) : q.subjects;
  if (hasPeriod(own)) return build('series', subjects, own);
  // A ranking or a comparison already carries its chart: asked again, it is the same answer, chart and all.
  if (RANKING.has(q.ask) || q.ask === 'compare' || q.ask === 'series') return q;
  // One month's figure: that seller's months on record, the asked one among them.
  return build('series', subjects, q.ask === 'figure' ? { months: [], unreadable: [] } : periodOfQuery(q));
}

/** The two sellers "them" points at: the last answer's two, or its one and the one before it. */
function them(data: DatasetIndex, previous: Reply, q: Query, earlier: readonly Reply[]): string[] {
  const last = sellersOfAnswer(data, previous, q);
  if (last.length >= 2) return q.subjects.length >= 2 ? q.subjects.slice(0, 2) : last.slice(0, 2);
  const subject = q.subjects.find((id) => last.includes(sellerSubjects(data, [id])[0] ?? '')) ?? last[0];
  if (subject === undefined) return [];
  for (const reply of earlier) {
    const eq = queryOf(reply);
    if (!eq) continue;
    const other = sellersOfAnswer(data, reply, eq).find((s) => s !== last[0]);
    const id = eq.subjects.find((s) => sellerSubjects(data, [s])[0] === other) ?? other;
    if (id !== undefined) return [id, subject];
  }
  return [subject];
}

const nameOf = (data: DatasetIndex, id: string) => data.entity(id)?.name ?? id;
const exampleSeller = (data: DatasetIndex) => data.sellers()[0]?.name.toLowerCase() ?? 'xiaomi';
const IN_THREAD = 'Follow-ups like this one work in a thread or a DM, after an answer there.';

function periodWords(p: Period): string {
  return p.span ? p.span.label : p.months.map(formatMonth).join(' and ');
}

/** The period as typed after a command: "april 2025", "q2 2025". */
function periodArgs(p: Period): string {
  return (p.span ? p.span.label : p.months.map(formatMonth).join(' ')).toLowerCase();
}

/** "In April 2025 — of which seller?": a period with nothing to apply it to. */
function whichSellerFor(data: DatasetIndex, p: Period): Reply {
  const example = `/sales ${exampleSeller(data)} ${periodArgs(p)}`.trim();
  return notice(`In ${periodWords(p)} — of which seller?`, [`Name one, e.g. ${example}.`, IN_THREAD], [example]);
}

function compareWhom(data: DatasetIndex, known: readonly string[], p: Period): Reply {
  const [a, b] = data.sellers().map((e) => e.name.toLowerCase());
  const first = known[0] ? nameOf(data, known[0]).toLowerCase() : a ?? 'xiaomi';
  const second = [a, b].find((n) => n !== undefined && n !== first) ?? 'huawei';
  const example = `/compare ${first} ${second} ${periodArgs(p)}`.trim();
  const title = known[0] ? `Compare ${nameOf(data, known[0])} with which seller?` : 'Compare which sellers?';
  return notice(title, [`Name ${known[0] ? 'the other one' : 'two'}, e.g. ${example}.`, IN_THREAD], [example]);
}

/**
 * A period typed without a year ("and in april?", "what about q1?") is read in the latest year with data; in a
 * thread about another year it means that year, when the data has it there.
 */
function inThreadYear(p: Period, text: string, data: DatasetIndex, thread: Period): Period {
  const anchor = thread.span?.to ?? thread.months.at(-1);
  if (!anchor || p.relative || /(?<!\d)(?:19|20)\d{2}(?!\d)/.test(text)) return p;
  const year = anchor.slice(0, 4);
  const move = (ym: YearMonth) => `${year}${ym.slice(4)}` as YearMonth;
  const months = p.months.map(move);
  if (months.some((m) => !data.months.includes(m))) return p;
  if (!p.span) return { ...p, months };
  const span = { label: p.span.label.replace(/\b(?:19|20)\d{2}\b/g, year), from: move(p.span.from), to: move(p.span.to) };
  return data.months.some((m) => m >= span.from && m <= span.to) ? { ...p, months, span } : p;
}

/** Words that point at the period of the answer before: "who led that month?", "那个月谁第一?". */
const PERIOD_POINTER = /\b(?:that|the same|same)\s+(?:month|quarter|period)\b|那个月|那個月|当月|當月|同月|那个季度|那個季度/i;

/**
 * A question of its own that points at the last answer's period ("who led that month?"): read with that period.
 * Anything else is returned as it was read.
 */
export function withPointedPeriod(text: string, r: Reading, ctx: Conversation): Reading {
  const q = queryOf(ctx.previous);
  if (!q || !ctx.previous || hasPeriod(periodOf(r)) || !PERIOD_POINTER.test(text)) return r;
  const p = answeredPeriod(ctx.previous, q);
  return { ...r, months: p.months, ...(p.span ? { span: p.span } : {}) };
}

/**
 * The follow-up this text is in the conversation, or undefined when the text stands on its own (or leans on
 * nothing): then it is read as if there were no conversation.
 */
export function followUp(text: string, r: Reading, data: DatasetIndex, ctx: Conversation): FollowUp | undefined {
  const form = formOf(text);
  const named = r.subjects.length + r.unknown.length > 0;
  const strong = (Object.entries(r.cues) as [Intent, number][]).filter(([, w]) => w >= STRONG).map(([i]) => i);
  const q = queryOf(ctx.previous);
  const last = q && ctx.previous ? { reply: ctx.previous, q } : undefined;
  const own = last ? inThreadYear(periodOf(r), text, data, answeredPeriod(last.reply, last.q)) : periodOf(r);

  if (form.chart && !named) {
    if (!last) return { reply: notice('A chart of what?', [`Ask for figures first, e.g. /sales ${exampleSeller(data)}, then "as a chart".`, IN_THREAD], [`/sales ${exampleSeller(data)}`]) };
    const chart = asChart(data, last.reply, last.q, own);
    return chart ? { query: chart } : { reply: notice('That answer has no figures to chart', [`Charts show sales figures, e.g. /sales ${exampleSeller(data)}.`], [`/sales ${exampleSeller(data)}`]) };
  }

  if ((form.them || (form.which && !hasPeriod(own))) && !named) {
    const pair = last ? them(data, last.reply, last.q, ctx.earlier ?? []) : [];
    const p = hasPeriod(own) || !last ? own : answeredPeriod(last.reply, last.q);
    if (pair.length >= 2) return { query: build(pairAsk(p), pair, p) };
    if (form.them) return { reply: compareWhom(data, pair, p) };
  }

  const asksFor = r.cues.total >= STRONG ? 'total' : r.cues.change >= STRONG ? 'change' : undefined;
  if (asksFor && !named && (form.opening || (r.words <= 3 && r.leftover.length === 0)) && strong.every((i) => i === asksFor || FOLLOW_CUES.has(i))) {
    const sellers = last ? sellersOfAnswer(data, last.reply, last.q) : [];
    if (last && sellers.length === 1) {
      const { q } = last;
      const subject = q.subjects.find((id) => sellerSubjects(data, [id])[0] === sellers[0]) ?? sellers[0]!;
      // "and the total?" after one month: every month on record; after a span or several months, those.
      const p = hasPeriod(own) ? own : asksFor === 'total' && !q.span && q.months.length < 2 ? { months: [], unreadable: [] } : periodOfQuery(q);
      return { query: build(asksFor, [subject], p) };
    }
    if (form.opening || r.words <= 2) {
      const example = `/sales ${exampleSeller(data)} ${asksFor}`;
      return { reply: notice(`The ${asksFor} of which seller?`, [`Name one, e.g. ${example}.`, IN_THREAD], [example]) };
    }
    return undefined;
  }

  // A period or a name alone, opened as a follow-up or with nothing else in it.
  const period = hasPeriod(own);
  if (period === named) return undefined;
  const allowed = form.opening ? FOLLOW_CUES : new Set<Intent>();
  if (!strong.every((i) => allowed.has(i))) return undefined;
  if (!form.opening && r.leftover.length > 0) return undefined;
  if (!last) return period && form.opening ? { reply: whichSellerFor(data, own) } : undefined;
  // A name without figures after a sales answer ("seres" after "/sales xiaomi may") is asked about on its own.
  if (!period && isSales(last.q.ask) && sellersOf(data, r.subjects).length < r.subjects.length) return undefined;
  return { query: period ? withPeriod(data, last.reply, last.q, own) : withSubjects(data, last.reply, last.q, r) };
}
