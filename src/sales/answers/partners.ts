/** Who works with whom: an alliance's brands and makers, a brand's maker, and "is X part of / a partner of Y". */
import type { DatasetIndex, Entity } from '../../data/index.js';
import type { Alliance, Brand } from '../../data/schema.js';
import { answer, notice, type Block, type Reply } from '../../core/reply.js';
import { sourceRefs } from '../sources.js';
import type { Query } from '../query.js';
import { entities, lower } from './common.js';
import { spinOffs } from './profile.js';

function allianceTable(data: DatasetIndex, alliance: Alliance): Block {
  const rows = data.brandsOfAlliance(alliance.id).map((b) => [b.name, data.entity(b.maker)?.name ?? b.maker, b.summary]);
  return { type: 'table', columns: ['Brand', 'Maker', 'About'], rows };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function partners(data: DatasetIndex, q: Query): Reply {
  const subjects = entities(data, q);
  // "who makes the aito m8": the most specific thing named.
  const entity = subjects.find((e) => e.kind === 'model') ?? subjects.find((e) => e.kind === 'brand') ?? subjects[0];
  if (!entity) return notice('Which company, alliance or brand?', ['Name one, e.g. /partners huawei.'], ['/partners huawei']);
  const alliance = (id: string | undefined) => (id ? data.alliance(id) : undefined);

  switch (entity.kind) {
    case 'alliance': {
      const a = entity.record;
      const leader = data.entity(a.leader)?.name ?? a.leader;
      const brands = data.brandsOfAlliance(a.id);
      return answer(`${a.name} partners`, [
        { type: 'text', lines: [`${a.legalName} (${a.name}) is led by ${leader} and has ${plural(brands.length, 'brand')}.`] },
        allianceTable(data, a),
      ], sourceRefs(data, [...a.sources, ...brands.flatMap((b) => b.sources)]), brands.slice(0, 2).map((b) => `/partners ${b.name.toLowerCase()}`));
    }
    case 'company': {
      const c = entity.record;
      const led = data.alliancesLedBy(c.id);
      const made = data.brandsMadeBy(c.id);
      const blocks: Block[] = [];
      const ids = [...c.sources];
      for (const a of led) {
        const brands = data.brandsOfAlliance(a.id);
        blocks.push({ type: 'text', lines: [`${c.name} leads ${a.legalName} (${a.name}): ${plural(brands.length, 'brand')} built with partner automakers.`] }, allianceTable(data, a));
        ids.push(...a.sources, ...brands.flatMap((b) => b.sources));
      }
      if (made.length > 0) {
        const lines = made.map((b) => {
          const al = alliance(b.alliance);
          const partner = al ? data.entity(al.leader)?.name : undefined;
          return `${c.name} makes ${b.name}${al ? ` in ${al.name}${partner ? `, with ${partner}` : ''}` : ''}.`;
        });
        blocks.push({ type: 'text', lines });
        ids.push(...made.flatMap((b) => b.sources));
      }
      const spun = spinOffs(data, c.id);
      if (spun.length > 0) {
        blocks.push({ type: 'text', lines: spun.map((s) => `${s.name} was spun off from ${c.name}'s auto unit: ${s.kind === 'company' ? s.record.summary : ''}`.trim()) });
        ids.push(...spun.flatMap((s) => s.record.sources));
      }
      if (blocks.length === 0) {
        const models = data.modelsMadeBy(c.id).map((m) => m.name);
        const parent = c.spunOffFrom ? data.entity(c.spunOffFrom)?.name : undefined;
        const lines = [`The data has no partner brands for ${c.name}.`];
        if (models.length > 0) lines.push(`It sells under its own name: ${models.join(', ')}.`);
        if (parent) lines.push(`${c.name} was spun off from ${parent}.`);
        return notice(`${c.name} has no brand partners on record`, lines, [`/company ${c.name.toLowerCase()}`, '/partners huawei']);
      }
      return answer(`${c.name} partners`, blocks, sourceRefs(data, ids), [`/company ${c.name.toLowerCase()}`]);
    }
    case 'brand': {
      const b = entity.record;
      const maker = data.entity(b.maker)?.name ?? b.maker;
      const al = alliance(b.alliance);
      const leader = al ? data.entity(al.leader)?.name : undefined;
      const lines = [`${b.name} is made by ${maker}${al ? ` in ${al.legalName} (${al.name})${leader ? `, led by ${leader}` : ''}` : ''}.`, b.summary];
      return answer(`Who makes ${b.name}?`, [
        { type: 'fields', fields: [{ label: 'Maker', value: maker }, ...(al ? [{ label: 'Alliance', value: al.name }] : [])] },
        { type: 'text', lines },
      ], sourceRefs(data, b.sources), [`/partners ${maker.toLowerCase()}`]);
    }
    case 'model': {
      const m = entity.record;
      const maker = data.entity(m.maker)?.name ?? m.maker;
      const brand = m.brand ? data.entity(m.brand)?.name : undefined;
      return answer(`Who makes the ${m.name}?`, [
        { type: 'text', lines: [`The ${m.name} is made by ${maker}${brand ? ` under the ${brand} brand` : ''}.`, m.summary] },
      ], sourceRefs(data, m.sources), brand ? [`/partners ${brand.toLowerCase()}`] : [`/company ${maker.toLowerCase()}`]);
    }
    case 'person':
      return notice(`${entity.name} is a person, not a company`, [`${entity.name}: ${entity.record.title}.`], [`/company ${lower(entity)}`, `/timeline ${lower(entity)}`]);
  }
}

/** The alliance a company leads or an alliance itself. */
function groupOf(data: DatasetIndex, e: Entity): Alliance | undefined {
  if (e.kind === 'alliance') return e.record;
  if (e.kind === 'company') return data.alliancesLedBy(e.id)[0];
  return undefined;
}

/** The brands through which `member` belongs to `alliance`: as their maker, or as the brand itself. */
function memberBrands(data: DatasetIndex, member: Entity, alliance: Alliance): Brand[] {
  const brands = data.brandsOfAlliance(alliance.id);
  if (member.kind === 'brand') return brands.filter((b) => b.id === member.id);
  if (member.kind === 'model') return brands.filter((b) => b.id === member.record.brand);
  if (member.kind === 'company') return brands.filter((b) => b.maker === member.id);
  return [];
}

/** "is xiaomi part of HIMA?", "is chery a huawei partner?", "who's partnering with huawei on shangjie?". */
export function membership(data: DatasetIndex, q: Query): Reply {
  const subjects = entities(data, q);
  const groupEntity = subjects.find((e) => groupOf(data, e));
  const alliance = groupEntity ? groupOf(data, groupEntity) : undefined;
  const others = subjects.filter((e) => e !== groupEntity && !(alliance && (e.id === alliance.leader || e.id === alliance.id)));
  if (!alliance) return partners(data, q);
  if (others.length === 0) {
    const [single] = subjects;
    if (single && single.kind !== 'alliance' && !data.alliancesLedBy(single.id).length) return partners(data, q);
    return partners(data, { ...q, subjects: [alliance.id] });
  }
  const leader = data.entity(alliance.leader)?.name ?? alliance.leader;
  const lines: string[] = [];
  const sources: string[] = [...alliance.sources];
  let yes = 0;
  for (const member of others) {
    const via = memberBrands(data, member, alliance);
    if (member.kind === 'brand' && via.length > 0) {
      const maker = data.entity(via[0]!.maker)?.name;
      lines.push(`${member.name} is a ${alliance.name} brand, made by ${maker} with ${leader}.`);
    } else if (via.length > 0) {
      lines.push(`${member.name} is a ${alliance.name} partner: it makes ${via.map((b) => b.name).join(', ')} with ${leader}.`);
    } else {
      lines.push(`No: ${member.name} is not part of ${alliance.legalName} (${alliance.name}) in the data.`);
      continue;
    }
    yes++;
    sources.push(...via.flatMap((b) => b.sources), ...member.record.sources);
  }
  const title = others.length === 1 ? `${yes ? 'Yes' : 'No'}: ${others[0]!.name} and ${alliance.name}` : `${alliance.name} membership`;
  // "who's partnering with huawei on shangjie": the brand named, its maker is the answer.
  const brand = others.find((e) => e.kind === 'brand');
  if (brand && brand.kind === 'brand' && others.length === 1) {
    const maker = data.entity(brand.record.maker)?.name ?? brand.record.maker;
    return answer(`${maker} partners with ${leader} on ${brand.name}`, [{ type: 'text', lines: [...lines, brand.record.summary] }], sourceRefs(data, [...sources, ...brand.record.sources]), [`/partners ${brand.name.toLowerCase()}`]);
  }
  return answer(title, [{ type: 'text', lines }], sourceRefs(data, sources), [`/partners ${alliance.name.toLowerCase()}`]);
}
