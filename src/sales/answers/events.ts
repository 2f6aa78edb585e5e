/** Events in date order, filtered by a month, a year, a name or a keyword. */
import type { DatasetIndex } from '../../data/index.js';
import type { TimelineEvent } from '../../data/schema.js';
import { quote } from '../../core/request.js';
import { formatDate, formatMonth } from '../months.js';
import { answer, notice, type Reply } from '../../core/reply.js';
import { sourceRefs } from '../sources.js';
import type { Query } from '../query.js';
import { entities, relativeNote } from './common.js';

const MAX_SHOWN = 20;

/** "May 30, 2025", or the source's own words for a vague or bounded date ("As of June 1, 2025"). */
export function eventDate(e: TimelineEvent): string {
  return e.when ?? formatDate(e.date);
}

/** An event in a span, at the event's own precision: "2025" falls in Q2 2025, "2025-04" in 2025. */
function inSpan(e: TimelineEvent, span: NonNullable<Query['span']>): boolean {
  const date = e.date.slice(0, 7);
  return date >= span.from.slice(0, date.length) && date <= span.to;
}

export function events(data: DatasetIndex, q: Query): Reply {
  let list: readonly TimelineEvent[] = data.events;
  let what = 'every event on record';
  // "when did xiaomi launch the su7": the most specific thing named.
  const named = entities(data, q);
  const entity = (['person', 'model', 'brand', 'company', 'alliance'] as const).map((k) => named.find((e) => e.kind === k)).find(Boolean);
  const month = q.months[0];
  if (entity) {
    list = data.eventsOf(entity.id);
    what = entity.name;
    if (month) list = list.filter((e) => e.date.startsWith(month));
    else if (q.span) list = list.filter((e) => inSpan(e, q.span!));
    if (month || q.span) what += `, ${month ? formatMonth(month) : q.span!.label}`;
  } else if (month) {
    list = data.eventsDuring(month);
    what = formatMonth(month);
  } else if (q.span) {
    list = data.events.filter((e) => inSpan(e, q.span!));
    what = q.span.label;
  } else if (q.keyword || q.unknown.length > 0) {
    const needle = (q.keyword ?? q.unknown.join(' ')).toLowerCase();
    list = list.filter((e) => e.title.toLowerCase().includes(needle) || e.summary.toLowerCase().includes(needle));
    what = quote(needle);
  }
  if (list.length === 0) {
    const first = data.events[0];
    const last = data.events.at(-1);
    const range = first && last ? `Events on record run from ${formatDate(first.date)} to ${formatDate(last.date)}.` : 'No events are on record.';
    return notice(`No events for ${what}`, [range], ['/timeline', '/timeline 2025']);
  }
  const shown = list.slice(0, MAX_SHOWN);
  const lines = shown.map((e) => `${eventDate(e)}: ${e.title}. ${e.summary}`);
  if (list.length > shown.length) lines.push(`…and ${list.length - shown.length} more; narrow it with a month, a year or a name.`);
  const note = relativeNote(data, q);
  if (note) lines.push(note);
  return answer(`Timeline: ${what}`, [{ type: 'text', lines }], sourceRefs(data, shown.flatMap((e) => e.sources)), ['/timeline xiaomi', '/digest']);
}
