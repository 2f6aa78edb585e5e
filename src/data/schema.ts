/**
 * The dataset's schemas: the single source of truth for the data types.
 * One file in DATA_DIR per collection (see `DATA_FILES`); ids are lower-case slugs.
 */
import { z } from 'zod';

const id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected an id of lower-case letters, digits, ".", "_" or "-"');
const nonEmpty = z.string().trim().min(1, 'expected a non-empty string');
const sourceIds = z.array(id).min(1, 'expected at least one source id');
const aliases = z.array(nonEmpty).min(1, 'expected at least one alias');
/** Sources for names the record's own sources do not contain (Chinese names, short forms): a `name-list` source. */
const nameSources = sourceIds.optional();

/** A month with data: `YYYY-MM`. */
export const yearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as YYYY-MM');
/** A date that keeps its precision: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
export const partialDate = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, 'expected a date as YYYY, YYYY-MM or YYYY-MM-DD');

const positiveInt = z
  .number({ error: 'expected a positive integer' })
  .int('expected a positive integer')
  .positive('expected a positive integer');

export const sourceSchema = z.strictObject({
  id,
  title: nonEmpty,
  publisher: nonEmpty,
  /** `name-list`: names and translations kept by the team (Chinese names, short forms), not facts from an article. */
  kind: z.enum(['article', 'industry-body', 'company-announcement', 'name-list', 'other']),
  url: z.url().optional(),
  date: partialDate.optional(),
  /** Short and Chinese names people use for the source ("CPCA", "乘联会"), to ask what it reported. */
  aliases: z.array(nonEmpty).optional(),
});

/** A sourced statement about a company that users ask about by topic ("what are Huawei's challenges?"). */
export const factSchema = z.strictObject({
  topic: z.enum(['challenge', 'strategy', 'logo', 'execution', 'view', 'structure']),
  text: nonEmpty,
  sources: sourceIds,
});

export const companySchema = z.strictObject({
  id,
  name: nonEmpty,
  legalName: nonEmpty,
  ticker: nonEmpty.optional(),
  /** Only when a source says so; absent means the data does not say. */
  stateOwned: z.boolean().optional(),
  role: nonEmpty,
  summary: nonEmpty,
  facts: z.array(factSchema).optional(),
  /** The alliance whose figures stand for this company's sales (Huawei reports through HIMA). */
  salesVia: id.optional(),
  spunOffFrom: id.optional(),
  aliases,
  sources: sourceIds,
  nameSources,
});

export const allianceSchema = z.strictObject({
  id,
  name: nonEmpty,
  legalName: nonEmpty,
  leader: id,
  summary: nonEmpty,
  /** The brand a source names as the alliance's best seller (there may be no brand-level figures). */
  bestSellingBrand: id.optional(),
  aliases,
  sources: sourceIds,
  nameSources,
});

export const brandSchema = z.strictObject({
  id,
  name: nonEmpty,
  maker: id,
  alliance: id.optional(),
  summary: nonEmpty,
  aliases,
  sources: sourceIds,
  nameSources,
});

export const modelSchema = z.strictObject({
  id,
  name: nonEmpty,
  maker: id,
  brand: id.optional(),
  summary: nonEmpty,
  aliases,
  sources: sourceIds,
  nameSources,
});

export const personSchema = z.strictObject({
  id,
  name: nonEmpty,
  title: nonEmpty,
  affiliation: id,
  aliases,
  sources: sourceIds,
  nameSources,
});

/** How far a figure can be trusted: `at_least` is a lower bound and must stay one in every reply. */
export const qualifier = z.enum(['exact', 'at_least', 'approximate']);

export const saleSchema = z.strictObject({
  seller: id,
  month: yearMonth,
  units: positiveInt,
  qualifier,
  /** For `at_least`: an upper limit a source gives ("over 28,000 but under 30,000"). */
  upTo: positiveInt.optional(),
  /** For `approximate`: how far the true figure may be from `units` either way. */
  margin: z.number().int().nonnegative().optional(),
  /** The source's own wording, e.g. "over 28,000". */
  reportedAs: nonEmpty.optional(),
  note: nonEmpty.optional(),
  asOf: partialDate.optional(),
  sources: sourceIds,
});

/**
 * An order a source states outright ("Huawei reclaimed the EV sales top spot"), so a reply may name a leader that
 * the figures alone cannot prove (44,454 vs "over 28,000"). `over` lists the sellers it is ahead of; absent: all.
 */
export const standingSchema = z.strictObject({
  month: yearMonth,
  leader: id,
  over: z.array(id).min(1).optional(),
  statement: nonEmpty,
  sources: sourceIds,
});

export const eventSchema = z.strictObject({
  id,
  date: partialDate,
  /** The source's own wording for a vague date ("this fall"); `date` then holds only what is certain. */
  when: nonEmpty.optional(),
  title: nonEmpty,
  summary: nonEmpty,
  entities: z.array(id),
  sources: sourceIds,
});

/** Every collection, its file name and its element schema. Absent optional files count as empty. */
export const DATA_FILES = {
  sources: { file: 'sources.json', schema: sourceSchema, required: true },
  companies: { file: 'companies.json', schema: companySchema, required: true },
  alliances: { file: 'alliances.json', schema: allianceSchema, required: false },
  brands: { file: 'brands.json', schema: brandSchema, required: false },
  models: { file: 'models.json', schema: modelSchema, required: false },
  people: { file: 'people.json', schema: personSchema, required: false },
  sales: { file: 'sales.json', schema: saleSchema, required: true },
  standings: { file: 'standings.json', schema: standingSchema, required: false },
  events: { file: 'events.json', schema: eventSchema, required: false },
} as const;

export type Source = z.infer<typeof sourceSchema>;
export type Company = z.infer<typeof companySchema>;
export type Alliance = z.infer<typeof allianceSchema>;
export type Brand = z.infer<typeof brandSchema>;
export type Model = z.infer<typeof modelSchema>;
export type Person = z.infer<typeof personSchema>;
export type Sale = z.infer<typeof saleSchema>;
export type Standing = z.infer<typeof standingSchema>;
export type Fact = z.infer<typeof factSchema>;
export type TimelineEvent = z.infer<typeof eventSchema>;
export type YearMonth = z.infer<typeof yearMonth>;

export type Collections = {
  [K in keyof typeof DATA_FILES]: z.infer<(typeof DATA_FILES)[K]['schema']>[];
};
