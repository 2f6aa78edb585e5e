/**
 * The dataset's schemas: the single source of truth for the data types.
 * One file in DATA_DIR per collection (see `DATA_FILES`); ids are lower-case slugs.
 */
import { z } from 'zod';

const id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected an id of lower-case letters, digits, ".", "_" or "-"');
const nonEmpty = z.string().trim().min(1, 'expected a non-empty string');
const sourceIds = z.array(id).min(1, 'expected at least one source id');
const aliases = z.array(nonEmpty).min(1, 'expected at least one alias');

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
  kind: z.enum(['article', 'industry-body', 'company-announcement', 'other']),
  url: z.url().optional(),
  date: partialDate.optional(),
});

export const companySchema = z.strictObject({
  id,
  name: nonEmpty,
  legalName: nonEmpty,
  ticker: nonEmpty.optional(),
  role: nonEmpty,
  summary: nonEmpty,
  /** The alliance whose figures stand for this company's sales (Huawei reports through HIMA). */
  salesVia: id.optional(),
  spunOffFrom: id.optional(),
  aliases,
  sources: sourceIds,
});

export const allianceSchema = z.strictObject({
  id,
  name: nonEmpty,
  legalName: nonEmpty,
  leader: id,
  summary: nonEmpty,
  aliases,
  sources: sourceIds,
});

export const brandSchema = z.strictObject({
  id,
  name: nonEmpty,
  maker: id,
  alliance: id.optional(),
  summary: nonEmpty,
  aliases,
  sources: sourceIds,
});

export const modelSchema = z.strictObject({
  id,
  name: nonEmpty,
  maker: id,
  brand: id.optional(),
  summary: nonEmpty,
  aliases,
  sources: sourceIds,
});

export const personSchema = z.strictObject({
  id,
  name: nonEmpty,
  title: nonEmpty,
  affiliation: id,
  aliases,
  sources: sourceIds,
});

/** How far a figure can be trusted: `at_least` is a lower bound and must stay one in every reply. */
export const qualifier = z.enum(['exact', 'at_least', 'approximate']);

export const saleSchema = z.strictObject({
  seller: id,
  month: yearMonth,
  units: positiveInt,
  qualifier,
  /** The source's own wording, e.g. "over 28,000". */
  reportedAs: nonEmpty.optional(),
  note: nonEmpty.optional(),
  asOf: partialDate.optional(),
  sources: sourceIds,
});

export const eventSchema = z.strictObject({
  id,
  date: partialDate,
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
  events: { file: 'events.json', schema: eventSchema, required: false },
} as const;

export type Source = z.infer<typeof sourceSchema>;
export type Company = z.infer<typeof companySchema>;
export type Alliance = z.infer<typeof allianceSchema>;
export type Brand = z.infer<typeof brandSchema>;
export type Model = z.infer<typeof modelSchema>;
export type Person = z.infer<typeof personSchema>;
export type Sale = z.infer<typeof saleSchema>;
export type Qualifier = z.infer<typeof qualifier>;
export type TimelineEvent = z.infer<typeof eventSchema>;
export type YearMonth = z.infer<typeof yearMonth>;

export type Collections = {
  [K in keyof typeof DATA_FILES]: z.infer<(typeof DATA_FILES)[K]['schema']>[];
};
