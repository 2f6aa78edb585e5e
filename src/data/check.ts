/**
 * What `npm run data:check` prints about a valid dataset: sellers, months covered, gaps, bounds, sources.
 */
import { formatMonth } from '../sales/months.js';
import type { DatasetIndex } from './index.js';

export interface DataSummary {
  sellers: number;
  figures: number;
  months: string[];
  /** A seller without a figure for a month other sellers have, from its first month on. */
  gaps: { seller: string; month: string }[];
  bounds: { atLeast: number; approximate: number };
  /** Source id → figures citing it, most cited first. */
  sources: [string, number][];
  unusedSources: string[];
}

export function summarize(index: DatasetIndex): DataSummary {
  const months = [...index.months];
  const sellers = index.sellers();
  const gaps: DataSummary['gaps'] = [];
  for (const seller of sellers) {
    const own = new Set(index.salesOf(seller.id).map((s) => s.month));
    const first = index.salesOf(seller.id)[0]?.month;
    if (!first) continue;
    for (const m of months) if (m > first && !own.has(m)) gaps.push({ seller: seller.name, month: m });
  }
  let atLeast = 0;
  let approximate = 0;
  const cited = new Map<string, number>();
  for (const s of index.data.sales) {
    if (s.qualifier === 'at_least') atLeast++;
    else if (s.qualifier === 'approximate') approximate++;
    for (const id of s.sources) cited.set(id, (cited.get(id) ?? 0) + 1);
  }
  return {
    sellers: sellers.length,
    figures: index.data.sales.length,
    months,
    gaps,
    bounds: { atLeast, approximate },
    sources: [...cited].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    unusedSources: [...index.sources.keys()].filter((id) => !cited.has(id)),
  };
}

const n = (x: number) => x.toLocaleString('en-US');
const LISTED = 20;

export function formatSummary(dir: string, index: DatasetIndex, s: DataSummary = summarize(index)): string[] {
  const d = index.data;
  const range = s.months.length === 0 ? 'none' : `${formatMonth(s.months[0]!)} – ${formatMonth(s.months.at(-1)!)}`;
  const lines = [
    `${dir}: valid (version ${index.version})`,
    `  entities: ${n(d.companies.length)} companies, ${n(d.alliances.length)} alliances, ${n(d.brands.length)} brands, ${n(d.models.length)} models, ${n(d.people.length)} people, ${n(d.events.length)} events`,
    `  sellers with figures: ${n(s.sellers)}; figures: ${n(s.figures)}`,
    `  months covered: ${n(s.months.length)} (${range})`,
    `  bounds: ${n(s.bounds.atLeast)} at least (a lower bound), ${n(s.bounds.approximate)} approximate, ${n(s.figures - s.bounds.atLeast - s.bounds.approximate)} exact`,
  ];
  if (s.gaps.length === 0) lines.push('  gaps: none (every seller has a figure for every month since its first)');
  else {
    lines.push(`  gaps: ${n(s.gaps.length)} (a seller without a figure for a month others have)`);
    for (const g of s.gaps.slice(0, LISTED)) lines.push(`    ${g.seller}: ${formatMonth(g.month)}`);
    if (s.gaps.length > LISTED) lines.push(`    …and ${n(s.gaps.length - LISTED)} more`);
  }
  const top = s.sources.slice(0, LISTED).map(([id, count]) => `${id} (${n(count)})`);
  lines.push(`  sources: ${n(index.sources.size)}; cited by figures: ${top.join(', ')}${s.sources.length > LISTED ? `, …and ${n(s.sources.length - LISTED)} more` : ''}`);
  if (s.unusedSources.length > 0) lines.push(`  sources no figure cites: ${s.unusedSources.slice(0, LISTED).join(', ')}${s.unusedSources.length > LISTED ? ', …' : ''}`);
  return lines;
}
