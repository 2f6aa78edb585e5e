/**
 * Sales figures as charts (data, not pixels): a month's ranking, a seller's months, several sellers month by
 * month. A lower bound is drawn at its bound and marked as one (`bound: 'lower'`); a month a seller has no figure
 * for is `null`, never zero.
 */
import type { DatasetIndex } from '../../data/index.js';
import type { Sale, YearMonth } from '../../data/schema.js';
import type { Chart, ChartValue } from '../../core/reply.js';
import { describeUnits } from '../figures.js';
import { formatMonth } from '../months.js';
import { sellerLabel } from '../sellers.js';

/** Months drawn in a trend: the newest ones. Slack draws at most 20 categories; a year reads best. */
export const TREND_MONTHS = 12;
/** Sellers drawn side by side: Slack draws at most 6 series, and more lines are hard to tell apart. */
export const TREND_SELLERS = 5;
/** Bars in a ranking. */
export const RANKING_BARS = 15;

export const UNIT = 'vehicles';

export function chartValue(sale: Sale): ChartValue {
  return {
    value: sale.units,
    display: describeUnits(sale),
    bound: sale.qualifier === 'at_least' ? 'lower' : sale.qualifier === 'approximate' ? 'approximate' : 'exact',
  };
}

const SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Apr 2025": short enough for an axis. */
export function shortMonth(month: YearMonth): string {
  const [y, m] = month.split('-');
  return `${SHORT[Number(m) - 1] ?? m} ${y}`;
}

/** A month's sellers, in ranking order, as bars. */
export function rankingChart(data: DatasetIndex, month: YearMonth, sales: readonly Sale[]): Chart {
  const shown = sales.slice(0, RANKING_BARS);
  return {
    kind: 'bar',
    title: `Units sold, ${formatMonth(month)}`,
    categories: shown.map((s) => sellerLabel(data, s.seller)),
    series: [{ name: shortMonth(month), values: shown.map(chartValue) }],
    unit: UNIT,
  };
}

/**
 * Sellers month by month: a line per seller (`line`), or bars grouped by month (`bar`). Only the newest
 * TREND_MONTHS months of those given, and the first TREND_SELLERS sellers.
 */
export function monthsChart(data: DatasetIndex, sellers: readonly string[], months: readonly YearMonth[], kind: Chart['kind'], title?: string): Chart {
  const shownMonths = [...months].sort().slice(-TREND_MONTHS);
  const shownSellers = sellers.slice(0, TREND_SELLERS);
  const names = shownSellers.map((id) => sellerLabel(data, id));
  return {
    kind,
    title: title ?? (names.length === 1 ? `${names[0]}, units by month` : 'Units by month'),
    categories: shownMonths.map(shortMonth),
    series: shownSellers.map((id, i) => ({
      name: names[i]!,
      values: shownMonths.map((m) => {
        const sale = data.sale(id, m);
        return sale ? chartValue(sale) : null;
      }),
    })),
    unit: UNIT,
  };
}

/** Two sellers in one month, as two bars. */
export function pairChart(data: DatasetIndex, month: YearMonth, a: Sale, b: Sale): Chart {
  return rankingChart(data, month, [a, b]);
}
