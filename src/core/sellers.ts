/** How sellers are named and ranked in sales replies, shared by /sales, /compare and /digest. */
import type { DatasetIndex, Entity } from '../data/index.js';
import type { Sale } from '../data/schema.js';
import { describe, describeUnits, difference, figureOf } from './figures.js';
import type { Bar } from './reply.js';

/** "Huawei (HIMA)" when a company's figures are its alliance's; otherwise the seller's own name. */
export function sellerLabel(data: DatasetIndex, sellerId: string): string {
  const seller = data.entity(sellerId);
  if (!seller) return sellerId;
  if (seller.kind === 'alliance') {
    const leader = data.entity(seller.record.leader);
    if (leader?.kind === 'company' && leader.record.salesVia === seller.id) return `${leader.name} (${seller.name})`;
  }
  return seller.name;
}

/** The sentence that explains a company answered with its alliance's figure, if it was. */
export function viaNote(asked: Entity, seller: Entity): string | undefined {
  if (asked.id === seller.id) return undefined;
  return `${asked.name}'s vehicle sales are reported through its alliance, ${seller.name} (${seller.kind === 'alliance' ? seller.record.legalName : seller.name}); the figures here are the alliance's.`;
}

export function saleBars(data: DatasetIndex, sales: readonly Sale[], label: (s: Sale) => string = (s) => sellerLabel(data, s.seller)): Bar[] {
  return sales.map((s) => ({ label: label(s), value: s.units, display: describeUnits(s), lowerBound: s.qualifier === 'at_least' }));
}

/** Sales sorted by the reported figure, largest first. */
export function ranked(sales: readonly Sale[]): Sale[] {
  return [...sales].sort((a, b) => b.units - a.units || a.seller.localeCompare(b.seller));
}

/**
 * Who leads and by how much, keeping bounds: "Xiaomi is ahead by 1,030",
 * "Huawei (HIMA) is ahead by at most 16,454 (Xiaomi's figure is a lower bound)".
 */
export function leadSentence(data: DatasetIndex, leader: Sale, other: Sale): string {
  const gap = difference(figureOf(leader), figureOf(other));
  const name = sellerLabel(data, leader.seller);
  const otherName = sellerLabel(data, other.seller);
  if (gap.lo === 0 && gap.hi === 0) return `${name} and ${otherName} are level${gap.approximate ? ' (approximately)' : ''}.`;
  const bounds = [leader, other].filter((s) => s.qualifier === 'at_least').map((s) => `${sellerLabel(data, s.seller)}'s figure is a lower bound`);
  const why = bounds.length > 0 ? ` (${bounds.join('; ')})` : '';
  if (!Number.isFinite(gap.lo) && !Number.isFinite(gap.hi)) {
    return `${name} is ahead on the reported figures; the gap cannot be bounded${why}.`;
  }
  return `${name} is ahead by ${describe(gap)}${why}.`;
}

/** Month-over-month change of one seller, a bound where either figure is one: "+1,030", "at least −585". */
export function changeFrom(previous: Sale | undefined, current: Sale): string {
  if (!previous) return '—';
  return describe(difference(figureOf(current), figureOf(previous)), { signed: true });
}
