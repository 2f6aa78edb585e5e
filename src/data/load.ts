/**
 * Reads DATA_DIR, validates every file against its schema and every cross-reference,
 * and reports all problems at once as `file: json.path: problem, got value`.
 */
import { createHash } from 'node:crypto';
import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { UserError } from '../core/errors.js';
import { normalizeName } from './normalize.js';
import { checkConsistency } from './consistency.js';
import { DATA_FILES, type Collections } from './schema.js';

/** At most this many problems are listed; the rest are counted ("…and 1,204 more"). */
export const MAX_PROBLEMS = 50;

export class DataError extends UserError {
  /** `problems`: the first `MAX_PROBLEMS` (or fewer); `more`: how many further problems were found and not listed. */
  constructor(readonly problems: string[], readonly more = 0) {
    super('data.invalid', `The dataset is invalid:\n  ${[...problems, ...(more > 0 ? [`…and ${more.toLocaleString('en-US')} more`] : [])].join('\n  ')}`);
  }
}

/**
 * Collects problems up to a cap and counts the rest, so an invalid 200 MB file yields a readable report
 * (and a log line of a few kilobytes), not one line per bad record.
 */
export class Problems {
  readonly list: string[] = [];
  more = 0;

  constructor(private readonly max = MAX_PROBLEMS) {}

  /** False once the cap is reached: callers can skip building messages nobody will read. */
  get open(): boolean {
    return this.list.length < this.max;
  }

  get count(): number {
    return this.list.length + this.more;
  }

  push(problem: string): void {
    if (this.list.length < this.max) this.list.push(problem);
    else this.more++;
  }

  /** Counts a problem without building its message (past the cap). */
  skip(): void {
    this.more++;
  }

  toError(): DataError {
    return new DataError(this.list, this.more);
  }
}

/** Limits on reading a data directory; each has a `DATA_*` variable (see src/config.ts). */
export interface LoadOptions {
  /** A file larger than this is refused before it is read (`DATA_MAX_BYTES`). */
  maxBytes?: number;
  /** Each file's stat, open and read must finish within this (`DATA_READ_TIMEOUT_MS`): a hung mount fails, not hangs. */
  readTimeoutMs?: number;
  /** An empty `sales.json` is refused unless true (`DATA_ALLOW_EMPTY_SALES`). Default true for library callers. */
  allowEmptySales?: boolean;
  maxProblems?: number;
}

/** 256 MiB: four times the 1M-figure benchmark file, and well below V8's largest string (~512 MiB). */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
export const DEFAULT_READ_TIMEOUT_MS = 30_000;

/** "1.2 MB", "300 MB": sizes in messages. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
}

/** Item `i` (0-based) of a file, and a path inside it, as a reader counts: `item 4, units`, `item 1, sources #2`. */
export function formatItemPath(index: number, segments: readonly PropertyKey[] = []): string {
  let out = `item ${index + 1}`;
  let first = true;
  for (const s of segments) {
    if (typeof s === 'number') out += ` #${s + 1}`;
    else {
      out += first ? `, ${String(s)}` : `.${String(s)}`;
      first = false;
    }
  }
  return out;
}

class ReadTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReadTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export type ReadOutcome =
  | { kind: 'ok'; bytes: Buffer }
  | { kind: 'absent' }
  | { kind: 'problem'; message: string };

/**
 * Reads one data file within a size cap and a time limit. Only regular files are read: a FIFO or a device
 * would block a thread for ever. A stat, open or read that does not finish in time is a problem (the
 * stuck system call is abandoned, later reloads still run).
 */
export async function readDataFile(file: string, shown: string, options: LoadOptions = {}): Promise<ReadOutcome> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  try {
    const info = await withTimeout(stat(file), timeoutMs);
    if (!info.isFile()) {
      const what = info.isFIFO() ? 'a named pipe (FIFO)' : info.isDirectory() ? 'a directory' : 'not a regular file';
      return { kind: 'problem', message: `${shown}: is ${what}; replace it with a regular JSON file` };
    }
    if (info.size > maxBytes) {
      return {
        kind: 'problem',
        message: `${shown}: the file is ${formatBytes(info.size)} (${info.size.toLocaleString('en-US')} bytes), over DATA_MAX_BYTES (${formatBytes(maxBytes)}); raise DATA_MAX_BYTES or split the data`,
      };
    }
    const handle = await withTimeout(open(file, 'r'), timeoutMs);
    try {
      const bytes = await withTimeout(handle.readFile(), timeoutMs);
      if (bytes.length > maxBytes) {
        return { kind: 'problem', message: `${shown}: the file grew to over DATA_MAX_BYTES (${formatBytes(maxBytes)}) while being read; raise DATA_MAX_BYTES or split the data` };
      }
      return { kind: 'ok', bytes };
    } finally {
      void handle.close().catch(() => undefined);
    }
  } catch (err) {
    if (err instanceof ReadTimeout) {
      return { kind: 'problem', message: `${shown}: could not be read within ${timeoutMs.toLocaleString('en-US')} ms (a hung mount or a locked file?); fix the storage or raise DATA_READ_TIMEOUT_MS` };
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'absent' };
    if (code === 'EACCES' || code === 'EPERM') return { kind: 'problem', message: `${shown}: permission denied; let the bot's user read it` };
    return { kind: 'problem', message: `${shown}: could not be read (${(err as Error).message})` };
  }
}

/** Line and column (1-based) of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Where JSON.parse gave up: V8 gives a position for some errors only ("Unexpected token ']', "[1,]" is not
 * valid JSON" has none), so a small scanner finds the first offset that cannot continue a JSON text.
 * It runs only after JSON.parse has failed.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const fail = (): never => {
    throw i;
  };
  const string = () => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 0x5c) {
        i++;
        const e = text[i];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail();
      } else i++;
    }
    fail();
  };
  const value = (depth: number): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '"') string();
    else if (c !== undefined && /[-0-9]/.test(c)) {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (!m) fail();
      i += m![0].length;
    } else {
      for (const word of ['true', 'false', 'null']) {
        if (text.startsWith(word, i)) {
          i += word.length;
          return;
        }
      }
      fail();
    }
  };
  try {
    value(0);
    ws();
    if (i < n) fail();
  } catch (at) {
    if (typeof at === 'number') return Math.min(at, n);
    throw at;
  }
  return n;
}

/** JSON.parse's message with a line and column instead of a byte position. */
export function describeJsonError(text: string, err: Error): string {
  const clean = err.message
    .replace(/\s*in JSON at position \d+.*$/s, '')
    .replace(/,\s*"[\s\S]*" is not valid JSON$/, '')
    .replace(/^Unexpected end of JSON input$/, 'the file ends in the middle of a value');
  let offset: number;
  try {
    offset = jsonErrorOffset(text);
  } catch {
    return `not valid JSON (${clean})`;
  }
  const { line, column } = lineAndColumn(text, offset);
  const what = offset >= text.length ? 'the file ends in the middle of a value' : clean;
  return `line ${line}, column ${column}: not valid JSON (${what}); check the brackets, commas and quotes there`;
}

type CollectionName = keyof typeof DATA_FILES;

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
  present: boolean;
}

async function readCollection<K extends CollectionName>(
  dir: string,
  shownDir: string,
  name: K,
  problems: Problems,
  options: LoadOptions,
): Promise<ReadResult<K>> {
  const spec = DATA_FILES[name];
  const file = path.join(dir, spec.file);
  const shown = displayName(path.join(shownDir, spec.file));
  const none = { rows: [] as unknown as Collections[K], digest: null, present: false };
  const read = await readDataFile(file, shown, options);
  if (read.kind === 'absent') {
    if (spec.required) problems.push(`${shown}: file not found (every dataset needs it)`);
    return none;
  }
  if (read.kind === 'problem') {
    problems.push(read.message);
    return none;
  }
  const bytes = read.bytes;
  // Hashing the bytes read is far cheaper than serialising a million parsed records again.
  const digest = createHash('sha256').update(bytes).digest();
  let text = bytes.toString('utf8');
  // A UTF-8 byte order mark (Excel and Notepad write one) is not part of the JSON.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    problems.push(`${shown}: ${describeJsonError(text, err as Error)}`);
    return { ...none, digest, present: true };
  }
  text = '';
  if (!Array.isArray(raw)) {
    problems.push(`${shown}: (root): expected a JSON array of ${name}, got ${describeValue(raw)}`);
    return { ...none, digest, present: true };
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
      if (!problems.open) {
        problems.skip();
        continue;
      }
      const got = issue.code === 'unrecognized_keys' ? '' : `, got ${describeValue(valueAt(raw[i], issue.path))}`;
      problems.push(`${shown}: ${formatItemPath(i, issue.path)}: ${issue.message}${got}`);
    }
  }
  out.length = valid;
  if (name === 'sales' && raw.length === 0 && options.allowEmptySales === false) {
    problems.push(`${shown}: holds no figures ([]); restore the figures, or set DATA_ALLOW_EMPTY_SALES=true if an empty dataset is intended`);
  }
  return { rows: out as Collections[K], digest, present: true };
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
  /** Which files were there (an absent optional file counts as empty). */
  present: Record<CollectionName, boolean>;
  /** The directory actually read: `DATA_DIR` with symbolic links resolved, once, at the start of the load. */
  realDir: string;
  /** Each file's content hash ("absent" for a missing optional file): what changed between two loads. */
  digests: Record<CollectionName, string>;
}

/** Loads and validates a data directory; throws `DataError` listing every problem. */
export async function loadCollections(dir: string, options: LoadOptions = {}): Promise<Collections> {
  return (await loadDataset(dir, options)).data;
}

/** Like `loadCollections`, with a version hash of the files as read. */
export async function loadDataset(dir: string, options: LoadOptions = {}): Promise<LoadedDataset> {
  const problems = new Problems(options.maxProblems);
  // A DATA_DIR that is a symbolic link is resolved once, so a link swapped mid-load cannot mix two datasets.
  let realDir = dir;
  try {
    realDir = await withTimeout(realpath(dir), options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataError([`${displayName(dir)}: the data directory does not exist; create it or set DATA_DIR`]);
    if (err instanceof ReadTimeout) throw new DataError([`${displayName(dir)}: the data directory could not be read within the time limit; fix the storage or raise DATA_READ_TIMEOUT_MS`]);
  }
  // Messages name DATA_DIR as given, not the link's target.
  const shownDir = dir;
  const names = Object.keys(DATA_FILES) as CollectionName[];
  const loaded = await Promise.all(names.map((n) => readCollection(realDir, shownDir, n, problems, options)));
  const data = Object.fromEntries(names.map((n, i) => [n, loaded[i]!.rows])) as Collections;
  if (problems.count === 0) checkReferences(shownDir, data, problems);
  if (problems.count > 0) throw problems.toError();
  const hash = createHash('sha256');
  names.forEach((n, i) => hash.update(`${n}:`).update(loaded[i]!.digest ?? 'absent').update('\n'));
  const present = Object.fromEntries(names.map((n, i) => [n, loaded[i]!.present])) as Record<CollectionName, boolean>;
  const digests = Object.fromEntries(names.map((n, i) => [n, loaded[i]!.digest?.toString('hex') ?? 'absent'])) as Record<CollectionName, string>;
  return { data, version: hash.digest('hex').slice(0, 12), present, realDir, digests };
}

function checkReferences(dir: string, data: Collections, problems: Problems): void {
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
      if (other) problems.push(`${at(name)}: ${formatItemPath(i, ['id'])}: id "${r.id}" is already used in ${at(other)}; ids must be unique`);
      else entityIds.set(r.id, name);
    });
  }

  const expect = (name: CollectionName, where: string, value: string | undefined, pool: Set<string>, what: string) => {
    if (value !== undefined && !pool.has(value)) {
      problems.push(`${at(name)}: ${where}: unknown ${what} "${value}"; add it to ${what === 'source' ? at('sources') : 'the dataset'} or fix the id`);
    }
  };
  const expectSources = (name: CollectionName, i: number, list: string[]) =>
    list.forEach((s, j) => expect(name, formatItemPath(i, ['sources', j]), s, sources, 'source'));

  const sellers = new Set([...companies, ...alliances, ...brands]);
  const allEntities = new Set([...entityIds.keys()].filter((k) => entityIds.get(k) !== 'sources' && entityIds.get(k) !== 'events'));

  data.companies.forEach((c, i) => {
    expect('companies', formatItemPath(i, ['salesVia']), c.salesVia, alliances, 'alliance');
    expect('companies', formatItemPath(i, ['spunOffFrom']), c.spunOffFrom, companies, 'company');
    expectSources('companies', i, c.sources);
  });
  data.alliances.forEach((a, i) => {
    expect('alliances', formatItemPath(i, ['leader']), a.leader, companies, 'company');
    expectSources('alliances', i, a.sources);
  });
  data.brands.forEach((b, i) => {
    expect('brands', formatItemPath(i, ['maker']), b.maker, companies, 'company');
    expect('brands', formatItemPath(i, ['alliance']), b.alliance, alliances, 'alliance');
    expectSources('brands', i, b.sources);
  });
  data.models.forEach((m, i) => {
    expect('models', formatItemPath(i, ['maker']), m.maker, companies, 'company');
    expect('models', formatItemPath(i, ['brand']), m.brand, brands, 'brand');
    expectSources('models', i, m.sources);
  });
  data.people.forEach((p, i) => {
    expect('people', formatItemPath(i, ['affiliation']), p.affiliation, companies, 'company');
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
    if (!seller.known) expect('sales', formatItemPath(i, ['seller']), s.seller, sellers, 'seller (company, alliance or brand)');
    // Every figure of a seller then shares one id string: less heap, and faster look-ups in the index.
    else s.seller = seller.id;
    for (let j = 0; j < s.sources.length; j++) {
      if (!sources.has(s.sources[j]!)) expect('sales', formatItemPath(i, ['sources', j]), s.sources[j], sources, 'source');
    }
    if (seller.repeat(s.month)) problems.push(`${at('sales')}: ${formatItemPath(i)}: a second figure for "${s.seller}" in ${s.month}; keep one figure per seller and month`);
  }
  checkAliases(data, at, problems);
  checkConsistency(data, at, problems);
  data.events.forEach((e, i) => {
    e.entities.forEach((id, j) => expect('events', formatItemPath(i, ['entities', j]), id, allEntities, 'entity'));
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
function checkAliases(data: Collections, at: (name: CollectionName) => string, problems: Problems): void {
  const owners = new Map<string, string>();
  for (const name of ['companies', 'alliances', 'brands', 'models', 'people'] as const) {
    (data[name] as { id: string; name: string; aliases: string[] }[]).forEach((r, i) => {
      const names: [string, string][] = [[formatItemPath(i, ['name']), r.name], ...r.aliases.map((a, j): [string, string] => [formatItemPath(i, ['aliases', j]), a])];
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
