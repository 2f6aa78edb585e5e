/**
 * Reads DATA_DIR, validates every file against its schema and every cross-reference,
 * and reports all problems at once as `file: json.path: problem, got value`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { normalizeName } from './normalize.js';
import { DATA_FILES, type Collections } from './schema.js';

export class DataError extends Error {
  constructor(readonly problems: string[]) {
    super(`The dataset is invalid:\n  ${problems.join('\n  ')}`);
    this.name = 'DataError';
  }
}

type CollectionName = keyof typeof DATA_FILES;

/** `[3].units`, `[0].aliases[2]`: the JSON path a reader can find in the file. */
export function formatPath(segments: readonly PropertyKey[]): string {
  return segments.map((s) => (typeof s === 'number' ? `[${s}]` : `.${String(s)}`)).join('').replace(/^\./, '') || '(root)';
}

function valueAt(root: unknown, segments: readonly PropertyKey[]): unknown {
  let node: unknown = root;
  for (const s of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[s];
  }
  return node;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function displayName(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

async function readCollection<K extends CollectionName>(
  dir: string,
  name: K,
  problems: string[],
): Promise<Collections[K]> {
  const spec = DATA_FILES[name];
  const file = path.join(dir, spec.file);
  const shown = displayName(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !spec.required) return [];
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found (every dataset needs it)' : String(err);
    problems.push(`${shown}: ${why}`);
    return [];
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    problems.push(`${shown}: not valid JSON (${(err as Error).message})`);
    return [];
  }
  if (!Array.isArray(raw)) {
    problems.push(`${shown}: (root): expected a JSON array of ${name}, got ${describeValue(raw)}`);
    return [];
  }
  const schema = spec.schema as z.ZodType;
  const out: unknown[] = [];
  raw.forEach((item: unknown, i: number) => {
    const result = schema.safeParse(item);
    if (result.success) {
      out.push(result.data);
      return;
    }
    for (const issue of result.error.issues) {
      const segments = [i, ...issue.path];
      const got = issue.code === 'unrecognized_keys' ? '' : `, got ${describeValue(valueAt(raw, segments))}`;
      problems.push(`${shown}: ${formatPath(segments)}: ${issue.message}${got}`);
    }
  });
  return out as Collections[K];
}

/** Loads and validates a data directory; throws `DataError` listing every problem. */
export async function loadCollections(dir: string): Promise<Collections> {
  const problems: string[] = [];
  const names = Object.keys(DATA_FILES) as CollectionName[];
  const loaded = await Promise.all(names.map((n) => readCollection(dir, n, problems)));
  const data = Object.fromEntries(names.map((n, i) => [n, loaded[i]])) as Collections;
  if (problems.length === 0) checkReferences(dir, data, problems);
  if (problems.length > 0) throw new DataError(problems);
  return data;
}

function checkReferences(dir: string, data: Collections, problems: string[]): void {
  const at = (name: CollectionName) => displayName(path.join(dir, DATA_FILES[name].file));
  const ids = (name: CollectionName) => new Set(data[name].map((r) => (r as { id: string }).id));
  const sources = ids('sources');
  const companies = ids('companies');
  const alliances = ids('alliances');
  const brands = ids('brands');
  const entityIds = new Map<string, CollectionName>();

  for (const name of ['sources', 'companies', 'alliances', 'brands', 'models', 'people', 'events'] as const) {
    (data[name] as { id: string }[]).forEach((r, i) => {
      const other = entityIds.get(r.id);
      if (other) problems.push(`${at(name)}: [${i}].id: id "${r.id}" is already used in ${at(other)}; ids must be unique`);
      else entityIds.set(r.id, name);
    });
  }

  const expect = (name: CollectionName, where: string, value: string | undefined, pool: Set<string>, what: string) => {
    if (value !== undefined && !pool.has(value)) {
      problems.push(`${at(name)}: ${where}: unknown ${what} "${value}"; add it to ${what === 'source' ? at('sources') : 'the dataset'} or fix the id`);
    }
  };
  const expectSources = (name: CollectionName, i: number, list: string[]) =>
    list.forEach((s, j) => expect(name, `[${i}].sources[${j}]`, s, sources, 'source'));

  const sellers = new Set([...companies, ...alliances, ...brands]);
  const allEntities = new Set([...entityIds.keys()].filter((k) => entityIds.get(k) !== 'sources' && entityIds.get(k) !== 'events'));

  data.companies.forEach((c, i) => {
    expect('companies', `[${i}].salesVia`, c.salesVia, alliances, 'alliance');
    expect('companies', `[${i}].spunOffFrom`, c.spunOffFrom, companies, 'company');
    expectSources('companies', i, c.sources);
  });
  data.alliances.forEach((a, i) => {
    expect('alliances', `[${i}].leader`, a.leader, companies, 'company');
    expectSources('alliances', i, a.sources);
  });
  data.brands.forEach((b, i) => {
    expect('brands', `[${i}].maker`, b.maker, companies, 'company');
    expect('brands', `[${i}].alliance`, b.alliance, alliances, 'alliance');
    expectSources('brands', i, b.sources);
  });
  data.models.forEach((m, i) => {
    expect('models', `[${i}].maker`, m.maker, companies, 'company');
    expect('models', `[${i}].brand`, m.brand, brands, 'brand');
    expectSources('models', i, m.sources);
  });
  data.people.forEach((p, i) => {
    expect('people', `[${i}].affiliation`, p.affiliation, companies, 'company');
    expectSources('people', i, p.sources);
  });
  const seen = new Set<string>();
  data.sales.forEach((s, i) => {
    expect('sales', `[${i}].seller`, s.seller, sellers, 'seller (company, alliance or brand)');
    expectSources('sales', i, s.sources);
    const key = `${s.seller} ${s.month}`;
    if (seen.has(key)) problems.push(`${at('sales')}: [${i}]: a second figure for "${s.seller}" in ${s.month}; keep one figure per seller and month`);
    seen.add(key);
  });
  checkAliases(data, at, problems);
  data.events.forEach((e, i) => {
    e.entities.forEach((id, j) => expect('events', `[${i}].entities[${j}]`, id, allEntities, 'entity'));
    expectSources('events', i, e.sources);
  });
}

/** An alias (or a name) may point at one entity only, after normalisation. */
function checkAliases(data: Collections, at: (name: CollectionName) => string, problems: string[]): void {
  const owners = new Map<string, string>();
  for (const name of ['companies', 'alliances', 'brands', 'models', 'people'] as const) {
    (data[name] as { id: string; name: string; aliases: string[] }[]).forEach((r, i) => {
      const names: [string, string][] = [[`[${i}].name`, r.name], ...r.aliases.map((a, j): [string, string] => [`[${i}].aliases[${j}]`, a])];
      for (const [where, alias] of names) {
        const key = normalizeName(alias);
        if (!key) {
          problems.push(`${at(name)}: ${where}: "${alias}" has no letters or digits to look up; remove it`);
          continue;
        }
        const owner = owners.get(key);
        if (owner && owner !== r.id) {
          problems.push(`${at(name)}: ${where}: alias "${alias}" already belongs to "${owner}"; an alias may name one entity only`);
        } else owners.set(key, r.id);
      }
    });
  }
}
