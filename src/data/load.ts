/**
 * Reads DATA_DIR, validates every file against its schema and every cross-reference,
 * and reports all problems at once as `file: json.path: problem, got value`.
 */
import { createHash } from 'node:crypto';
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

interface ReadResult<K extends CollectionName> {
  rows: Collections[K];
  /** The file's bytes hashed, or null when the file is absent: the dataset version is built from these. */
  digest: Buffer | null;
}

async function readCollection<K extends CollectionName>(
  dir: string,
  name: K,
  problems: string[],
): Promise<ReadResult<K>> {
  const spec = DATA_FILES[name];
  const file = path.join(dir, spec.file);
  const shown = displayName(file);
  const none = { rows: [] as unknown as Collections[K], digest: null };
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !spec.required) return none;
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found (every dataset needs it)' : String(err);
    problems.push(`${shown}: ${why}`);
    return none;
  }
  // Hashing the bytes read is far cheaper than serialising a million parsed records again.
  const digest = createHash('sha256').update(bytes).digest();
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    problems.push(`${shown}: not valid JSON (${(err as Error).message})`);
    return { ...none, digest };
  }
  if (!Array.isArray(raw)) {
    problems.push(`${shown}: (root): expected a JSON array of ${name}, got ${describeValue(raw)}`);
    return { ...none, digest };
  }
  const schema = spec.schema as z.ZodType;
  const out: unknown[] = new Array(raw.length);
  let valid = 0;
  // A plain loop, no closure per item: this runs a million times for a market-wide sales file.
  for (let i = 0; i < raw.length; i++) {
    const result = schema.safeParse(raw[i]);
    if (result.success) {
      out[valid++] = sameRecord(raw[i], result.data) ? raw[i] : result.data;
      continue;
    }
    for (const issue of result.error.issues) {
      const segments = [i, ...issue.path];
      const got = issue.code === 'unrecognized_keys' ? '' : `, got ${describeValue(valueAt(raw, segments))}`;
      problems.push(`${shown}: ${formatPath(segments)}: ${issue.message}${got}`);
    }
  }
  out.length = valid;
  return { rows: out as Collections[K], digest };
}

/**
 * True when zod's output holds exactly the input's values (nothing trimmed or defaulted). Keeping the parsed
 * input then means one copy of a million records on the heap, not two, and much less garbage collection.
 */
function sameRecord(input: unknown, output: unknown): boolean {
  if (input === output) return true;
  if (typeof input !== 'object' || typeof output !== 'object' || input === null || output === null) return false;
  const a = input as Record<string, unknown>;
  const b = output as Record<string, unknown>;
  let keys = 0;
  for (const k in a) {
    if (!Object.hasOwn(a, k)) return false;
    keys++;
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  for (const k in b) if (Object.hasOwn(b, k)) keys--;
  return keys === 0;
}

/** A loaded dataset and a short hash of its files' bytes (which data a reply came from). */
export interface LoadedDataset {
  data: Collections;
  version: string;
}

/** Loads and validates a data directory; throws `DataError` listing every problem. */
export async function loadCollections(dir: string): Promise<Collections> {
  return (await loadDataset(dir)).data;
}

/** Like `loadCollections`, with a version hash of the files as read. */
export async function loadDataset(dir: string): Promise<LoadedDataset> {
  const problems: string[] = [];
  const names = Object.keys(DATA_FILES) as CollectionName[];
  const loaded = await Promise.all(names.map((n) => readCollection(dir, n, problems)));
  const data = Object.fromEntries(names.map((n, i) => [n, loaded[i]!.rows])) as Collections;
  if (problems.length === 0) checkReferences(dir, data, problems);
  if (problems.length > 0) throw new DataError(problems);
  const hash = createHash('sha256');
  names.forEach((n, i) => hash.update(`${n}:`).update(loaded[i]!.digest ?? 'absent').update('\n'));
  return { data, version: hash.digest('hex').slice(0, 12) };
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
  const bySeller = new Map<string, SellerMonths>();
  for (const id of sellers) bySeller.set(id, new SellerMonths(id, true));
  const sales = data.sales;
  // A plain loop with one Map look-up per figure: this runs a million times for a market-wide file.
  for (let i = 0; i < sales.length; i++) {
    const s = sales[i]!;
    let seller = bySeller.get(s.seller);
    if (!seller) bySeller.set(s.seller, (seller = new SellerMonths(s.seller, false)));
    if (!seller.known) expect('sales', `[${i}].seller`, s.seller, sellers, 'seller (company, alliance or brand)');
    // Every figure of a seller then shares one id string: less heap, and faster look-ups in the index.
    else s.seller = seller.id;
    for (let j = 0; j < s.sources.length; j++) {
      if (!sources.has(s.sources[j]!)) expect('sales', `[${i}].sources[${j}]`, s.sources[j], sources, 'source');
    }
    if (seller.repeat(s.month)) problems.push(`${at('sales')}: [${i}]: a second figure for "${s.seller}" in ${s.month}; keep one figure per seller and month`);
  }
  checkAliases(data, at, problems);
  data.events.forEach((e, i) => {
    e.entities.forEach((id, j) => expect('events', `[${i}].entities[${j}]`, id, allEntities, 'entity'));
    expectSources('events', i, e.sources);
  });
}

/**
 * The months a seller has figures for. Figures usually come month by month, so a month is compared with the
 * seller's latest; only a seller whose months go back in time gets a set. No "seller month" key strings.
 */
class SellerMonths {
  private latest = '';
  private readonly months: string[] = [];
  private set: Set<string> | undefined;

  constructor(readonly id: string, readonly known: boolean) {}

  /** Records a month; true when the seller already had a figure for it. */
  repeat(month: string): boolean {
    if (!this.set) {
      if (month > this.latest) {
        this.latest = month;
        this.months.push(month);
        return false;
      }
      this.set = new Set(this.months);
    }
    if (this.set.has(month)) return true;
    this.set.add(month);
    return false;
  }
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
