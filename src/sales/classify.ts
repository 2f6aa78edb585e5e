/**
 * What is asked: a Reading becomes one typed Query. Questions may be any ask; a slash command narrows the
 * choice to the asks it serves and falls back to its own. The rules are ordered from the most specific cue
 * ("ticker", "first time", "in total") to the most general (a name alone).
 */
import type { DatasetIndex, Entity } from '../data/index.js';
import { query, type Ask, type Attribute, type Query } from './query.js';
import type { Reading } from './read.js';

/** A cue counts when its words weigh at least this much (a lone weak word like "who" does not). */
const STRONG = 2;

/** Subjects that have figures, one per seller (Huawei and HIMA count once). */
export function sellersOf(data: DatasetIndex, subjects: readonly Entity[]): Entity[] {
  const out = new Map<string, Entity>();
  for (const e of subjects) {
    const seller = data.sellerFor(e);
    if (data.salesOf(seller.id).length > 0 && !out.has(seller.id)) out.set(seller.id, e);
  }
  return [...out.values()];
}

function attributeOf(r: Reading, data: DatasetIndex): Attribute | undefined {
  const c = r.cues;
  if (c.ticker >= STRONG) return 'ticker';
  if (c.ownership >= STRONG) return 'ownership';
  if (c.best >= STRONG) return 'best_brand';
  if (c.logo >= STRONG) return 'logo';
  if (c.challenge >= STRONG) return 'challenge';
  const kinds = new Set(r.subjects.map((e) => e.kind));
  const group = r.subjects.some((e) => e.kind === 'alliance' || (e.kind === 'company' && data.alliancesLedBy(e.id).length > 0));
  // "is xiaomi part of HIMA", "is chery a huawei partner", "who's partnering with huawei on shangjie".
  if (r.subjects.length >= 2 && group && (c.member >= STRONG || c.partners >= STRONG)) return 'membership';
  if (c.member >= STRONG && r.subjects.length === 1 && (kinds.has('company') || kinds.has('brand'))) return 'membership';
  return undefined;
}

/** The ask a question reads as, from its cues and what it names. */
function chooseAsk(r: Reading, data: DatasetIndex): Ask | undefined {
  const c = r.cues;
  const sellers = sellersOf(data, r.subjects);
  const named = r.subjects.length > 0 || r.unknown.length > 0;
  const periods = r.months.length + (r.span ? 1 : 0);
  if (c.help >= 3 && !named) return 'help';
  if ((r.social.size > 0 || r.words === 0) && !named && periods === 0 && Object.values(c).every((v) => v < STRONG)) return 'hello';
  if (c.source >= STRONG || r.source) return 'sources';
  if (r.numbers.length > 0 && sellers.length === 0 && c.sales < STRONG) return 'sources';
  if (attributeOf(r, data)) return 'attribute';
  if (c.first >= STRONG && (c.compare >= STRONG || c.leader >= STRONG || c.sales >= STRONG)) return 'first';
  if (c.lead >= STRONG || c.overtake >= STRONG) return 'lead_changes';
  // "which month was xiaomi ahead": the months each led, and when that changed.
  if (c.month >= STRONG && sellers.length >= 1 && (c.leader >= STRONG || c.compare >= STRONG)) return 'lead_changes';
  if (c.total >= STRONG) return 'total';
  if (c.gap >= STRONG) return 'compare';
  if (c.change >= STRONG && sellers.length <= 1) return 'change';
  if (sellers.length === 1 && r.months.length >= 2 && c.compare >= STRONG) return 'change';
  if ((c.trend >= STRONG && sellers.length > 0) || (sellers.length >= 2 && (r.months.length >= 2 || r.span))) return 'series';
  if (sellers.length >= 2 && (c.compare >= STRONG || c.leader >= STRONG || c.sales >= STRONG)) return 'compare';
  if ((c.leader >= STRONG || c.compare >= STRONG) && sellers.length < 2) return 'leader';
  if (c.partners >= STRONG && r.subjects.length > 0) return 'partners';
  if (c.timeline >= STRONG) return 'events';
  if (c.company >= STRONG && r.subjects.length > 0 && !(r.months.length > 0 && sellers.length > 0)) return 'profile';
  if (c.digest >= STRONG) return 'digest';
  if (c.help >= 3) return 'help';
  // Two names, one of them without figures or both with the same ("huawei vs hima"): the comparison says so.
  if (sellers.length >= 2 || (r.subjects.length >= 2 && sellers.length === 1)) return 'compare';
  if (sellers.length === 1) return r.months.length >= 2 ? 'change' : r.months.length === 1 ? 'figure' : r.span ? 'total' : 'series';
  // "xiaomi su7 sales": a model or brand without figures of its own is answered "no sales figures for …".
  if (r.subjects.length > 0 && c.sales >= STRONG && sellers.length === 0) return 'figure';
  if (r.subjects.length > 0) return c.partners >= STRONG ? 'partners' : 'profile';
  if (c.sales >= STRONG && !named) return periods > 0 ? 'leader' : 'digest';
  if (r.months.length > 0 && !named) return 'digest';
  if (r.span && !named) return 'events';
  if (r.social.size > 0 && !named) return 'hello';
  // "how is tesla doing": a name we do not have, whatever was asked about it, is named in the reply.
  if (r.unknown.length > 0) return 'profile';
  return undefined;
}

export interface ClassifyOptions {
  /** For a slash command: the asks it serves, and the one it answers when the text points nowhere else. */
  serves?: readonly Ask[];
  fallback?: Ask;
}

/** A Query, or undefined when the text points to nothing the bot answers. */
export function classify(r: Reading, data: DatasetIndex, { serves, fallback }: ClassifyOptions = {}): Query | undefined {
  let ask = chooseAsk(r, data);
  if (serves && (!ask || !serves.includes(ask))) ask = fallback;
  if (!ask) return undefined;
  const attribute = ask === 'attribute' ? attributeOf(r, data) ?? (r.cues.partners >= STRONG ? 'maker' : undefined) : undefined;
  const keyword = r.leftover.join(' ').trim();
  return query(ask, {
    subjects: r.subjects.map((e) => e.id),
    months: r.months,
    unknown: r.unknown,
    unreadable: r.unreadable,
    ...(r.span ? { span: r.span } : {}),
    ...(r.relative ? { relative: r.relative } : {}),
    ...(attribute ? { attribute } : {}),
    ...(r.numbers[0] !== undefined ? { figure: r.numbers[0] } : {}),
    ...(r.source ? { source: r.source } : {}),
    ...(keyword ? { keyword } : {}),
    ...(ask === 'hello' && r.social.has('thanks') && !r.social.has('greeting') ? { thanks: true } : {}),
    ...(ask === 'lead_changes' ? { lead: r.cues.overtake + r.cues.month > r.cues.lead ? 'took' as const : 'lost' as const } : {}),
  });
}
