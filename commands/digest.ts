import { z } from 'zod';
import { isReply, knownMonthsLine, resolveMonth } from '../src/core/args.js';
import { defineCommand, monthOption } from '../src/core/command.js';
import { describeUnits } from '../src/core/figures.js';
import { formatDate, formatMonth, previousMonth } from '../src/core/months.js';
import { answer, notice, type Block } from '../src/core/reply.js';
import { changeFrom, leadSentence, ranked, saleBars, sellerLabel } from '../src/core/sellers.js';
import { sourceRefs } from '../src/core/sources.js';

/** Sellers listed in a digest; the rest are counted, so a market-wide dataset stays readable. */
const MAX_SELLERS = 15;

export const digest = defineCommand({
  name: 'digest',
  description: "A month's summary for leadership: ranking, month-over-month change, leader, events, sources",
  usage: '[month]',
  options: z.object({
    month: monthOption('Month, e.g. may or 2025-05 (default: the newest with data)'),
  }),
  examples: ['', 'may', '2025-04'],
  fromText: (text) => ({ month: text.trim() || undefined }),
  run({ month }, { data }) {
    const newest = data.months.at(-1);
    if (!newest) return notice('No sales figures on record yet', ['Add figures to sales.json in the data directory.']);
    let ym = newest;
    if (month !== undefined) {
      const parsed = resolveMonth(data, month, `/digest ${newest}`);
      if (isReply(parsed)) return parsed;
      ym = parsed;
    }
    const sales = ranked(data.salesIn(ym));
    if (sales.length === 0) return notice(`No figures for ${formatMonth(ym)}`, [knownMonthsLine(data)], [`/digest ${newest}`]);

    const prevMonth = previousMonth(ym);
    const prev = ranked(data.salesIn(prevMonth));
    const shown = sales.slice(0, MAX_SELLERS);
    const rows = shown.map((s, i) => [String(i + 1), sellerLabel(data, s.seller), describeUnits(s), changeFrom(data.sale(s.seller, prevMonth), s)]);
    const blocks: Block[] = [
      { type: 'table', columns: ['#', 'Seller', 'Units', `vs ${formatMonth(prevMonth)}`], rows, align: ['right', 'left', 'right', 'right'] },
      { type: 'bars', bars: saleBars(data, shown) },
    ];

    const [leader, runnerUp] = sales;
    const standing: string[] = [];
    if (leader && runnerUp) standing.push(leadSentence(data, leader, runnerUp));
    const prevLeader = prev[0];
    const leaderName = sellerLabel(data, leader!.seller);
    if (!prevLeader) standing.push(`No figures for ${formatMonth(prevMonth)}, so no change of leader to report.`);
    else if (prevLeader.seller === leader!.seller) standing.push(`${leaderName} keeps the lead it had in ${formatMonth(prevMonth)}.`);
    else standing.push(`The lead changed: ${leaderName} took it from ${sellerLabel(data, prevLeader.seller)}, who led in ${formatMonth(prevMonth)}.`);
    if (sales.length > shown.length) standing.push(`…and ${sales.length - shown.length} more sellers.`);
    if (sales.some((s) => s.qualifier === 'at_least')) standing.push('A figure shown as a lower bound keeps its bound in every change and gap.');
    blocks.push({ type: 'text', lines: standing });

    const events = data.eventsDuring(ym);
    if (events.length > 0) blocks.push({ type: 'text', lines: ['Events:', ...events.map((e) => `${formatDate(e.date)}: ${e.title}`)] });

    return answer(
      `Monthly digest: ${formatMonth(ym)}`,
      blocks,
      sourceRefs(data, [...shown.flatMap((s) => s.sources), ...events.flatMap((e) => e.sources)]),
      [...(runnerUp ? [`/compare ${[leader!, runnerUp].map((s) => data.entity(s.seller)?.name.toLowerCase()).join(' ')} ${ym}`] : []), `/timeline ${ym}`],
    );
  },
});
