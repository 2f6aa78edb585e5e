import { z } from 'zod';
import { isReply, knownMonthsLine, resolveEntity, resolveMonth, splitPair, splitTrailingMonth } from '../src/core/args.js';
import { defineCommand, monthOption, nameOption } from '../src/core/command.js';
import { describeUnits, qualifierLabel } from '../src/core/figures.js';
import { formatMonth } from '../src/core/months.js';
import { answer, notice } from '../src/core/reply.js';
import { leadSentence, ranked, saleBars, sellerLabel } from '../src/core/sellers.js';
import { sourceRefs } from '../src/core/sources.js';

export const compare = defineCommand({
  name: 'compare',
  description: 'Two sellers side by side for a month: who leads and by how much',
  usage: '<first> <second> [month]',
  options: z.object({
    first: nameOption('First company, alliance or brand'),
    second: nameOption('Second company, alliance or brand'),
    month: monthOption('Month, e.g. april or 2025-04 (default: the newest both have)'),
  }),
  examples: ['xiaomi huawei april', 'xiaomi vs hima may'],
  fromText(text, { data }) {
    const { rest, month } = splitTrailingMonth(text, data);
    const [first, second] = splitPair(rest, data) ?? [rest, ''];
    return { first, second, month };
  },
  run({ first, second, month }, { data }) {
    const example = '/compare xiaomi huawei april';
    const a = resolveEntity(data, first, '/compare {name} huawei april');
    if (isReply(a)) return a;
    const b = resolveEntity(data, second, '/compare xiaomi {name} april');
    if (isReply(b)) return b;
    const sa = data.sellerFor(a);
    const sb = data.sellerFor(b);
    if (sa.id === sb.id) {
      return notice(`${a.name} and ${b.name} share one set of figures`, [`Both are answered with ${sa.name}'s figures; compare two different sellers.`], [example]);
    }
    let ym: string;
    if (month !== undefined) {
      const parsed = resolveMonth(data, month, example);
      if (isReply(parsed)) return parsed;
      ym = parsed;
    } else {
      const both = data.salesOf(sa.id).filter((s) => data.sale(sb.id, s.month)).at(-1);
      if (!both) return notice(`No month with figures for both ${a.name} and ${b.name}`, [knownMonthsLine(data)], [example]);
      ym = both.month;
    }
    const fa = data.sale(sa.id, ym);
    const fb = data.sale(sb.id, ym);
    if (!fa || !fb) {
      const missing = [fa ? undefined : a.name, fb ? undefined : b.name].filter(Boolean).join(' and ');
      return notice(`No figure for ${missing} in ${formatMonth(ym)}`, [knownMonthsLine(data)], [example]);
    }
    const [leader, other] = ranked([fa, fb]) as [typeof fa, typeof fb];
    const rows = [fa, fb].map((s) => [sellerLabel(data, s.seller), describeUnits(s), qualifierLabel(s)]);
    return answer(
      `${sellerLabel(data, sa.id)} vs ${sellerLabel(data, sb.id)}, ${formatMonth(ym)}`,
      [
        { type: 'table', columns: ['Seller', 'Units', 'Qualifier'], rows, align: ['left', 'right', 'left'] },
        { type: 'bars', bars: saleBars(data, [fa, fb]) },
        { type: 'text', lines: [leadSentence(data, leader, other)] },
      ],
      sourceRefs(data, [...fa.sources, ...fb.sources]),
      [`/digest ${ym}`, `/sales ${a.name.toLowerCase()}`],
    );
  },
});
