/**
 * Checks across collections that the schemas cannot express: sourced standings and facts point at what exists,
 * and a brand's figures never add up to more than its alliance's exact figure for the same month.
 */
import type { Collections } from './schema.js';

type At = (name: keyof Collections) => string;

const fmt = (n: number) => n.toLocaleString('en-US');

export function checkConsistency(data: Collections, at: At, problems: { push(problem: string): void }): void {
  const sources = new Set(data.sources.map((s) => s.id));
  const sellers = new Set([...data.companies, ...data.alliances, ...data.brands].map((e) => e.id));
  const source = (name: keyof Collections, where: string, id: string) => {
    if (!sources.has(id)) problems.push(`${at(name)}: ${where}: unknown source "${id}"; add it to ${at('sources')} or fix the id`);
  };

  data.standings.forEach((s, i) => {
    for (const [where, id] of [[`[${i + 1}].leader`, s.leader], ...(s.over ?? []).map((o, j): [string, string] => [`[${i + 1}].over[${j + 1}]`, o])] as [string, string][]) {
      if (!sellers.has(id)) problems.push(`${at('standings')}: ${where}: unknown seller "${id}"; use the id of a company, alliance or brand`);
    }
    s.sources.forEach((id, j) => source('standings', `[${i + 1}].sources[${j + 1}]`, id));
  });
  data.companies.forEach((c, i) => c.facts?.forEach((f, j) => f.sources.forEach((id, k) => source('companies', `[${i + 1}].facts[${j + 1}].sources[${k + 1}]`, id))));
  for (const name of ['companies', 'alliances', 'brands', 'models', 'people'] as const) {
    (data[name] as { nameSources?: string[] }[]).forEach((r, i) => r.nameSources?.forEach((id, j) => source(name, `[${i + 1}].nameSources[${j + 1}]`, id)));
  }
  data.alliances.forEach((a, i) => {
    if (a.bestSellingBrand && !data.brands.some((b) => b.id === a.bestSellingBrand && b.alliance === a.id)) {
      problems.push(`${at('alliances')}: [${i + 1}].bestSellingBrand: "${a.bestSellingBrand}" is not one of ${a.name}'s brands; fix the id or the brand's alliance`);
    }
  });

  // Parts within their whole: the brands' lower ends must not exceed the alliance's exact figure.
  const allianceOf = new Map(data.brands.flatMap((b) => (b.alliance ? [[b.id, b.alliance] as const] : [])));
  if (allianceOf.size === 0) return;
  const alliances = new Set(allianceOf.values());
  const wholes = new Map<string, { units: number; exact: boolean }>();
  const parts = new Map<string, { units: number; brands: string[] }>();
  // Only brands' and alliances' figures are keyed: a million other figures cost one set look-up each.
  for (const s of data.sales) {
    if (alliances.has(s.seller)) {
      wholes.set(`${s.seller} ${s.month}`, { units: s.units, exact: s.qualifier === 'exact' });
      continue;
    }
    if (!allianceOf.has(s.seller)) continue;
    const whole = `${allianceOf.get(s.seller)} ${s.month}`;
    const part = parts.get(whole) ?? { units: 0, brands: [] };
    part.units += s.qualifier === 'approximate' ? s.units - (s.margin ?? s.units) : s.units;
    part.brands.push(s.seller);
    parts.set(whole, part);
  }
  for (const [key, part] of parts) {
    const whole = wholes.get(key);
    if (!whole?.exact || part.units <= whole.units) continue;
    const [alliance, month] = key.split(' ');
    problems.push(`${at('sales')}: ${month}: the figures of ${part.brands.join(', ')} add up to at least ${fmt(part.units)}, more than ${alliance}'s exact ${fmt(whole.units)} that contains them; fix a figure or its qualifier`);
  }
}
