import { z } from 'zod';
import { isReply, resolveEntity } from '../src/core/args.js';
import { defineCommand, nameOption } from '../src/core/command.js';
import { formatDate } from '../src/core/months.js';
import { answer, type Block } from '../src/core/reply.js';
import { sourceRefs } from '../src/core/sources.js';
import type { DatasetIndex, Entity } from '../src/data/index.js';

const MAX_EVENTS = 10;

/** The card's fields and sentences for each kind of entity. */
function profile(data: DatasetIndex, e: Entity): { fields: { label: string; value: string }[]; lines: string[]; related: string[] } {
  const name = (id: string) => data.entity(id)?.name ?? id;
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
      ];
      const lines = [c.summary];
      if (c.spunOffFrom) lines.push(`Spun off from ${name(c.spunOffFrom)}.`);
      if (c.salesVia) lines.push(`Its vehicle sales are reported through ${name(c.salesVia)}.`);
      return { fields, lines, related };
    }
    case 'alliance': {
      const a = e.record;
      return {
        fields: [{ label: 'Name', value: a.legalName }, { label: 'Short name', value: a.name }, { label: 'Led by', value: name(a.leader) }],
        lines: [a.summary],
        related: data.brandsOfAlliance(a.id).map((b) => `${b.name} (made by ${name(b.maker)})`),
      };
    }
    case 'brand': {
      const b = e.record;
      const fields = [{ label: 'Brand', value: b.name }, { label: 'Maker', value: name(b.maker) }];
      if (b.alliance) fields.push({ label: 'Alliance', value: name(b.alliance) });
      return { fields, lines: [b.summary], related: data.modelsOfBrand(b.id).map((m) => `model ${m.name}`) };
    }
    case 'model': {
      const m = e.record;
      const fields = [{ label: 'Model', value: m.name }, { label: 'Maker', value: name(m.maker) }];
      if (m.brand) fields.push({ label: 'Brand', value: name(m.brand) });
      return { fields, lines: [m.summary], related: [] };
    }
    case 'person': {
      const p = e.record;
      return { fields: [{ label: 'Name', value: p.name }, { label: 'Title', value: p.title }, { label: 'Affiliation', value: name(p.affiliation) }], lines: [], related: [] };
    }
  }
}

export const company = defineCommand({
  name: 'company',
  description: 'Profile of a company, alliance, brand, model or person: role, ticker, summary, related brands and events',
  usage: '<name>',
  options: z.object({
    name: nameOption('Company, alliance, brand, model or person, e.g. seres'),
  }),
  examples: ['seres', 'yinwang', 'hima'],
  fromText: (text) => ({ name: text }),
  run({ name }, { data }) {
    const entity = resolveEntity(data, name, '/company {name}');
    if (isReply(entity)) return entity;
    const { fields, lines, related } = profile(data, entity);
    const events = data.eventsOf(entity.id);
    const blocks: Block[] = [{ type: 'fields', fields }];
    if (lines.length > 0) blocks.push({ type: 'text', lines });
    if (related.length > 0) blocks.push({ type: 'text', lines: [`Related: ${related.join('; ')}`] });
    if (events.length > 0) {
      const shown = events.slice(-MAX_EVENTS);
      const eventLines = shown.map((ev) => `${formatDate(ev.date)}: ${ev.title}`);
      if (events.length > shown.length) eventLines.unshift(`(the ${shown.length} newest of ${events.length} events)`);
      blocks.push({ type: 'text', lines: ['Events:', ...eventLines] });
    }
    const suggestions = [`/timeline ${entity.name.toLowerCase()}`];
    if (entity.kind !== 'person') suggestions.unshift(`/partners ${entity.name.toLowerCase()}`);
    return answer(entity.kind === 'company' ? entity.record.legalName : entity.name, blocks, sourceRefs(data, entity.record.sources), suggestions);
  },
});
