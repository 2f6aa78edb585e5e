/** Who someone is: a profile card, and single facts (ticker, ownership, membership, best brand, challenges, logo). */
import type { DatasetIndex, Entity } from '../../data/index.js';
import type { Fact } from '../../data/schema.js';
import { eventDate } from './events.js';
import { answer, notice, type Block, type Reply } from '../../core/reply.js';
import { sourceRefs } from '../sources.js';
import type { Query } from '../query.js';
import { entities, lower } from './common.js';
import { membership } from './partners.js';

const MAX_EVENTS = 10;

const nameOf = (data: DatasetIndex, id: string) => data.entity(id)?.name ?? id;

/** The card's fields and sentences for each kind of entity. */
function card(data: DatasetIndex, e: Entity): { fields: { label: string; value: string }[]; lines: string[]; related: string[]; sources: string[] } {
  const name = (id: string) => nameOf(data, id);
  switch (e.kind) {
    case 'company': {
      const c = e.record;
      const fields = [{ label: 'Name', value: c.legalName }, { label: 'Short name', value: c.name }];
      if (c.ticker) fields.push({ label: 'Ticker', value: c.ticker });
      fields.push({ label: 'Role', value: c.role });
      const related = [
        ...data.alliancesLedBy(c.id).flatMap((a) => [`leads ${a.name}`, ...data.brandsOfAlliance(a.id).map((b) => `${b.name} (made by ${name(b.maker)})`)]),
        ...data.brandsMadeBy(c.id).map((b) => `makes ${b.name}`),
        ...data.modelsMadeBy(c.id).map((m) => `model ${m.name}`),
        ...spinOffs(data, c.id).map((s) => `${s.name} (spun off from ${c.name}'s auto unit)`),
      ];
      const lines = [c.summary, ...(c.facts ?? []).map((f) => f.text)];
      if (c.spunOffFrom) lines.push(`Spun off from ${name(c.spunOffFrom)}.`);
      if (c.salesVia) lines.push(`Its vehicle sales are reported through ${name(c.salesVia)}.`);
      return { fields, lines, related, sources: [...c.sources, ...(c.facts ?? []).flatMap((f) => f.sources)] };
    }
    case 'alliance': {
      const a = e.record;
      return {
        fields: [{ label: 'Name', value: a.legalName }, { label: 'Short name', value: a.name }, { label: 'Led by', value: name(a.leader) }],
        lines: [a.summary],
        related: data.brandsOfAlliance(a.id).map((b) => `${b.name} (made by ${name(b.maker)})`),
        sources: a.sources,
      };
    }
    case 'brand': {
      const b = e.record;
      const fields = [{ label: 'Brand', value: b.name }, { label: 'Maker', value: name(b.maker) }];
      if (b.alliance) fields.push({ label: 'Alliance', value: name(b.alliance) });
      return { fields, lines: [b.summary], related: data.modelsOfBrand(b.id).map((m) => `model ${m.name}`), sources: b.sources };
    }
    case 'model': {
      const m = e.record;
      const fields = [{ label: 'Model', value: m.name }, { label: 'Maker', value: name(m.maker) }];
      if (m.brand) fields.push({ label: 'Brand', value: name(m.brand) });
      return { fields, lines: [m.summary], related: [], sources: m.sources };
    }
    case 'person': {
      const p = e.record;
      return { fields: [{ label: 'Name', value: p.name }, { label: 'Title', value: p.title }, { label: 'Affiliation', value: name(p.affiliation) }], lines: [], related: [], sources: p.sources };
    }
  }
}

/** Companies spun off from this one (Yinwang from Huawei). */
export function spinOffs(data: DatasetIndex, companyId: string): Entity[] {
  return [...data.entities.values()].filter((e) => e.kind === 'company' && e.record.spunOffFrom === companyId);
}

export function profile(data: DatasetIndex, q: Query): Reply {
  const [entity] = entities(data, q);
  if (!entity) return notice('Which company, alliance, brand, model or person?', ['Name one, e.g. /company seres.'], ['/company seres']);
  const { fields, lines, related, sources } = card(data, entity);
  const events = data.eventsOf(entity.id);
  const blocks: Block[] = [{ type: 'fields', fields }];
  if (lines.length > 0) blocks.push({ type: 'text', lines });
  if (related.length > 0) blocks.push({ type: 'text', lines: [`Related: ${related.join('; ')}`] });
  if (events.length > 0) {
    const shown = events.slice(-MAX_EVENTS);
    const eventLines = shown.map((ev) => `${eventDate(ev)}: ${ev.title}`);
    if (events.length > shown.length) eventLines.unshift(`(the ${shown.length} newest of ${events.length} events)`);
    blocks.push({ type: 'text', lines: ['Events:', ...eventLines] });
  }
  const suggestions = [`/timeline ${lower(entity)}`];
  if (entity.kind !== 'person') suggestions.unshift(`/partners ${lower(entity)}`);
  return answer(entity.kind === 'company' ? entity.record.legalName : entity.name, blocks, sourceRefs(data, sources), suggestions);
}

function ticker(data: DatasetIndex, e: Entity): Reply {
  if (e.kind !== 'company') return notice(`${e.name} is not a listed company`, [`${e.name} is a ${e.kind}; tickers belong to companies.`], [`/company ${lower(e)}`]);
  if (!e.record.ticker) return notice(`No ticker on record for ${e.record.legalName}`, ['The sources do not give one, so I will not guess.'], [`/company ${lower(e)}`]);
  return answer(`${e.record.legalName}: ${e.record.ticker}`, [{ type: 'fields', fields: [{ label: 'Company', value: e.record.legalName }, { label: 'Ticker', value: e.record.ticker }] }], sourceRefs(data, e.record.sources), [`/company ${lower(e)}`]);
}

function ownership(data: DatasetIndex, e: Entity): Reply {
  if (e.kind !== 'company' || e.record.stateOwned === undefined) {
    return notice(`The sources do not say whether ${e.name} is state-owned`, ['I answer only what a source states.'], [`/company ${lower(e)}`]);
  }
  return answer(`${e.record.legalName} is ${e.record.stateOwned ? '' : 'not '}state-owned`, [{ type: 'text', lines: [`${e.record.legalName}: ${e.record.role}.`] }], sourceRefs(data, e.record.sources), [`/company ${lower(e)}`]);
}

function topicFacts(data: DatasetIndex, e: Entity, topics: readonly Fact['topic'][], title: string): Reply {
  const facts = e.kind === 'company' ? (e.record.facts ?? []).filter((f) => topics.includes(f.topic)) : [];
  if (facts.length === 0) return notice(`Nothing on record about that for ${e.name}`, ['Try the profile for what the sources say.'], [`/company ${lower(e)}`]);
  return answer(title, [{ type: 'text', lines: facts.map((f) => f.text) }], sourceRefs(data, facts.flatMap((f) => f.sources)), [`/company ${lower(e)}`]);
}

/** "which HIMA brand sells best": what the source says, and that there are no brand figures when there are none. */
function bestBrand(data: DatasetIndex, e: Entity | undefined): Reply {
  const alliance = e?.kind === 'alliance' ? e.record : e?.kind === 'company' ? data.alliancesLedBy(e.id)[0] : e?.kind === 'brand' && e.record.alliance ? data.alliance(e.record.alliance) : [...data.entities.values()].find((x) => x.kind === 'alliance')?.record as never;
  if (!alliance) return notice('Which alliance?', ['Name an alliance or the company that leads it, e.g. HIMA.'], ['/partners hima']);
  const brands = data.brandsOfAlliance(alliance.id);
  const withFigures = brands.filter((b) => data.salesOf(b.id).length > 0);
  const lines: string[] = [];
  if (alliance.bestSellingBrand) lines.push(`${nameOf(data, alliance.bestSellingBrand)} is ${alliance.name}'s best-selling brand, according to the source.`);
  else lines.push(`The sources do not name ${alliance.name}'s best-selling brand.`);
  if (withFigures.length === 0) lines.push(`There are no brand-level sales figures on record for ${alliance.name}'s brands; its figures are the alliance's total.`);
  const best = alliance.bestSellingBrand ? data.entity(alliance.bestSellingBrand) : undefined;
  return answer(alliance.bestSellingBrand ? `${nameOf(data, alliance.bestSellingBrand)} sells best in ${alliance.name}` : `${alliance.name}'s brands`, [{ type: 'text', lines }], sourceRefs(data, [...alliance.sources, ...(best?.record.sources ?? [])]), [`/partners ${alliance.name.toLowerCase()}`]);
}

export function attribute(data: DatasetIndex, q: Query): Reply {
  const subjects = entities(data, q);
  const [e] = subjects;
  switch (q.attribute) {
    case 'best_brand':
      return bestBrand(data, e);
    case 'membership':
    case 'maker':
      return membership(data, q);
    default:
      break;
  }
  if (!e) return notice('Which company?', ['Name one, e.g. "ticker for Seres".'], ['/company seres']);
  switch (q.attribute) {
    case 'ticker':
      return ticker(data, e);
    case 'ownership':
      return ownership(data, e);
    case 'challenge':
      return topicFacts(data, e, ['challenge'], `${e.name}'s challenges`);
    case 'logo':
      return topicFacts(data, e, ['logo'], `${e.name} and its logo`);
    default:
      return profile(data, q);
  }
}
