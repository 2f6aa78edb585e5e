/** How sellers are named and ranked in sales replies, shared by /sales, /compare and /digest. */
import type { DatasetIndex, Entity } from '../data/index.js';
import type { Sale } from '../data/schema.js';
import { describeChange, difference, figureOf } from './figures.js';

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

/** Month-over-month change of one seller, a bound where either figure is one: "up 1,030 (+3.7%)", "down at most 585". */
export function changeFrom(previous: Sale | undefined, current: Sale): string {
  if (!previous) return '—';
  return describeChange(difference(figureOf(current), figureOf(previous)), figureOf(previous));
}
