import { z } from 'zod';
import { isReply, resolveEntity } from '../src/core/args.js';
import { defineCommand, nameOption } from '../src/core/command.js';
import { answer, notice, type Block } from '../src/core/reply.js';
import { sourceRefs } from '../src/core/sources.js';
import type { DatasetIndex } from '../src/data/index.js';
import type { Alliance } from '../src/data/schema.js';

function allianceTable(data: DatasetIndex, alliance: Alliance): Block {
  const rows = data.brandsOfAlliance(alliance.id).map((b) => [b.name, data.entity(b.maker)?.name ?? b.maker, b.summary]);
  return { type: 'table', columns: ['Brand', 'Maker', 'About'], rows };
}

export const partners = defineCommand({
  name: 'partners',
  description: 'Brand partners of a company or alliance, or who makes a brand',
  usage: '<company|alliance|brand>',
  options: z.object({
    name: nameOption('Company, alliance or brand, e.g. huawei or aito'),
  }),
  examples: ['huawei', 'aito', 'seres'],
  fromText: (text) => ({ name: text }),
  run({ name }, { data }) {
    const entity = resolveEntity(data, name, '/partners {name}');
    if (isReply(entity)) return entity;
    const alliance = (id: string | undefined) => (id ? data.alliance(id) : undefined);

    switch (entity.kind) {
      case 'alliance': {
        const a = entity.record;
        const leader = data.entity(a.leader)?.name ?? a.leader;
        const brands = data.brandsOfAlliance(a.id);
        return answer(`${a.name} partners`, [
          { type: 'text', lines: [`${a.legalName} (${a.name}) is led by ${leader} and has ${brands.length} brand${brands.length === 1 ? '' : 's'}.`] },
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
          blocks.push({ type: 'text', lines: [`${c.name} leads ${a.legalName} (${a.name}): ${brands.length} brand${brands.length === 1 ? '' : 's'} built with partner automakers.`] }, allianceTable(data, a));
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
        return notice(`${entity.name} is a person, not a company`, [`${entity.name}: ${entity.record.title}.`], [`/company ${entity.name.toLowerCase()}`, `/timeline ${entity.name.toLowerCase()}`]);
    }
  },
});
