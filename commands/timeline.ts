import { z } from 'zod';
import { quote } from '../src/core/args.js';
import { defineCommand } from '../src/core/command.js';
import { formatDate, formatMonth, parseMonth } from '../src/core/months.js';
import { answer, notice } from '../src/core/reply.js';
import { sourceRefs } from '../src/core/sources.js';
import type { TimelineEvent } from '../src/data/schema.js';

const MAX_SHOWN = 20;

export const timeline = defineCommand({
  name: 'timeline',
  description: 'Events in date order, filtered by month, year, name or keyword',
  usage: '[month|year|keyword]',
  options: z.object({
    filter: z.string().trim().max(200).optional().meta({ description: 'Month (april 2025), year (2024), name (xiaomi) or keyword (launch)' }),
  }),
  examples: ['', 'april 2025', 'xiaomi', 'launch'],
  fromText: (text) => ({ filter: text.trim() || undefined }),
  run({ filter }, { data }) {
    let events: readonly TimelineEvent[] = data.events;
    let what = 'every event on record';
    if (filter) {
      // Cheapest reading first: a year, a month, a name, and only then a scan for a keyword.
      const month = parseMonth(filter, data.months);
      const entity = /^\d{4}$/.test(filter) || month.ok ? undefined : data.resolve(filter);
      if (/^\d{4}$/.test(filter)) {
        events = data.eventsDuring(filter);
        what = filter;
      } else if (month.ok) {
        events = data.eventsDuring(month.month);
        what = formatMonth(month.month);
      } else if (entity?.kind === 'found') {
        events = data.eventsOf(entity.value.id);
        what = entity.value.name;
      } else {
        const needle = filter.toLowerCase();
        events = events.filter((e) => e.title.toLowerCase().includes(needle) || e.summary.toLowerCase().includes(needle));
        what = quote(filter);
      }
    }
    if (events.length === 0) {
      const first = data.events[0];
      const last = data.events.at(-1);
      const range = first && last ? `Events on record run from ${formatDate(first.date)} to ${formatDate(last.date)}.` : 'No events are on record.';
      return notice(`No events for ${what}`, [range], ['/timeline', '/timeline 2025']);
    }
    const shown = events.slice(0, MAX_SHOWN);
    const lines = shown.map((e) => `${formatDate(e.date)}: ${e.title}. ${e.summary}`);
    if (events.length > shown.length) lines.push(`…and ${events.length - shown.length} more; narrow it with a month, a year or a name.`);
    return answer(`Timeline: ${what}`, [{ type: 'text', lines }], sourceRefs(data, shown.flatMap((e) => e.sources)), ['/timeline xiaomi', '/digest']);
  },
});
