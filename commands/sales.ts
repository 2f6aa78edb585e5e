import { z } from 'zod';
import { isReply, knownMonthsLine, knownSellersLine, resolveEntity, resolveMonth, splitTrailingMonth } from '../src/core/args.js';
import { defineCommand, monthOption, nameOption } from '../src/core/command.js';
import { describeUnits, qualifierLabel } from '../src/core/figures.js';
import { formatMonth } from '../src/core/months.js';
import { answer, notice, type Block } from '../src/core/reply.js';
import { changeFrom, saleBars, viaNote } from '../src/core/sellers.js';
import { sourceRefs } from '../src/core/sources.js';

export const sales = defineCommand({
  name: 'sales',
  description: 'Monthly vehicle sales of a company, alliance or brand',
  usage: '<company|alliance|brand> [month]',
  options: z.object({
    company: nameOption('Company, alliance or brand, e.g. xiaomi'),
    month: monthOption('Month, e.g. april or 2025-04'),
  }),
  examples: ['xiaomi april', 'huawei', 'hima may 2025'],
  fromText(text, { data }) {
    const { rest, month } = splitTrailingMonth(text, data);
    return { company: rest || text, month };
  },
  run({ company, month }, { data }) {
    const asked = resolveEntity(data, company, '/sales {name} april');
    if (isReply(asked)) return asked;
    const seller = data.sellerFor(asked);
    const note = viaNote(asked, seller);
    const history = data.salesOf(seller.id);
    if (history.length === 0) {
      return notice(`No sales figures for ${asked.name}`, [knownSellersLine(data), knownMonthsLine(data)], ['/sales xiaomi april', `/company ${asked.name.toLowerCase()}`]);
    }
    const latest = history.at(-1)!;

    if (month !== undefined) {
      const ym = resolveMonth(data, month, `/sales ${company} ${formatMonth(latest.month).toLowerCase()}`);
      if (isReply(ym)) return ym;
      const sale = data.sale(seller.id, ym);
      if (!sale) {
        const months = history.map((s) => formatMonth(s.month)).join(', ');
        return notice(`No figure for ${asked.name} in ${formatMonth(ym)}`, [`${asked.name} has figures for ${months}.`], [`/sales ${asked.name.toLowerCase()} ${latest.month}`]);
      }
      const lines = [`${seller.name === asked.name ? asked.name : `${asked.name} (${seller.name})`} sold ${describeUnits(sale)} vehicles in ${formatMonth(ym)}${sale.qualifier === 'at_least' ? ' (a lower bound)' : ''}.`];
      if (note) lines.push(note);
      if (sale.note) lines.push(`Note: ${sale.note}`);
      if (sale.asOf) lines.push(`As of ${sale.asOf}.`);
      const blocks: Block[] = [
        { type: 'fields', fields: [
          { label: 'Units', value: describeUnits(sale) },
          { label: 'Month', value: formatMonth(ym) },
          { label: 'Qualifier', value: qualifierLabel(sale) },
        ] },
        { type: 'text', lines },
      ];
      const suggestions = [`/digest ${ym}`];
      const rival = data.salesIn(ym).find((s) => s.seller !== seller.id);
      const rivalName = rival && data.entity(rival.seller)?.name.toLowerCase();
      if (rivalName) suggestions.unshift(`/compare ${asked.name.toLowerCase()} ${rivalName} ${ym}`);
      return answer(`${asked.name} sales, ${formatMonth(ym)}`, blocks, sourceRefs(data, sale.sources), suggestions);
    }

    const newestFirst = [...history].reverse();
    const rows = newestFirst.map((s, i) => [formatMonth(s.month), describeUnits(s), qualifierLabel(s), changeFrom(newestFirst[i + 1], s)]);
    const blocks: Block[] = [
      { type: 'table', columns: ['Month', 'Units', 'Qualifier', 'Change'], rows, align: ['left', 'right', 'left', 'right'] },
      { type: 'bars', bars: saleBars(data, newestFirst, (s) => formatMonth(s.month)) },
    ];
    const lines = [`Change is against the previous month on record; a lower bound keeps its bound.`];
    if (note) lines.unshift(note);
    blocks.push({ type: 'text', lines });
    return answer(`${asked.name} sales, every month on record`, blocks, sourceRefs(data, history.flatMap((s) => s.sources)), [`/sales ${asked.name.toLowerCase()} ${latest.month}`]);
  },
});
