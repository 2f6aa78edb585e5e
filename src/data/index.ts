/**
 * The in-memory index over one loaded dataset. Built once per load, immutable afterwards:
 * a reload builds a new index and swaps the reference (see `DataStore`).
 */
import { createHash } from 'node:crypto';
import { loadDataset, type LoadedDataset } from './load.js';
import { normalizeName } from './normalize.js';
import { NameResolver, type Resolution } from './names/resolver.js';
import { buildSalesIndex, buildSalesIndexAsync, type SalesIndex } from './sales-index.js';
import type {
  Alliance, Brand, Collections, Company, Model, Person, Sale, Source, Standing, TimelineEvent, YearMonth,
} from './schema.js';

function namesKey(digests: LoadedDataset['digests'] | undefined): string | undefined {
  return digests ? NAME_FILES.map((n) => digests[n]).join(':') : undefined;
}

/** "601127.SH" is found as "601127.sh" and "601127": people type a ticker with or without its exchange. */
function tickerAliases(company: Company): string[] {
  if (!company.ticker) return [];
  const bare = company.ticker.replace(/\.[a-z]+$/i, '');
  return bare === company.ticker ? [company.ticker] : [company.ticker, bare];
}

export type Entity =
  | { kind: 'company'; id: string; name: string; aliases: string[]; record: Company }
  | { kind: 'alliance'; id: string; name: string; aliases: string[]; record: Alliance }
  | { kind: 'brand'; id: string; name: string; aliases: string[]; record: Brand }
  | { kind: 'model'; id: string; name: string; aliases: string[]; record: Model }
  | { kind: 'person'; id: string; name: string; aliases: string[]; record: Person };

function group<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    const list = out.get(key);
    if (list) list.push(item);
    else out.set(key, [item]);
  }
  return out;
}

/** Fuzzy look-ups remembered per index. */
const RESOLVE_CACHE = 1024;

/** The entity files: when none of them changed between two loads, names need not be indexed again. */
const NAME_FILES = ['companies', 'alliances', 'brands', 'models', 'people'] as const;

/** What a new index may take over from the one serving: its names, when the entity files are unchanged. */
interface Names {
  key: string | undefined;
  entities: Map<string, Entity>;
  resolver: NameResolver<Entity>;
  byTicker: Map<string, Entity>;
}

export interface IndexParts {
  sales?: SalesIndex;
  names?: Names;
  /** The entity files' hashes (from the loader), so a later reload can tell whether the names changed. */
  namesKey?: string;
}

function buildNames(data: Collections, key: string | undefined): Names {
  const entities = new Map<string, Entity>();
  const add = (e: Entity) => entities.set(e.id, e);
  for (const r of data.companies) add({ kind: 'company', id: r.id, name: r.name, aliases: r.aliases, record: r });
  for (const r of data.alliances) add({ kind: 'alliance', id: r.id, name: r.name, aliases: r.aliases, record: r });
  for (const r of data.brands) add({ kind: 'brand', id: r.id, name: r.name, aliases: r.aliases, record: r });
  for (const r of data.models) add({ kind: 'model', id: r.id, name: r.name, aliases: r.aliases, record: r });
  for (const r of data.people) add({ kind: 'person', id: r.id, name: r.name, aliases: r.aliases, record: r });
  const byTicker = new Map(data.companies.flatMap((c) => tickerAliases(c).map((t): [string, Entity] => [normalizeName(t), entities.get(c.id)!])));
  const resolver = new NameResolver([...entities.values()].flatMap((e) => [e.name, ...e.aliases].map((alias) => ({ alias, value: e }))), (e) => e.id);
  return { key, entities, resolver, byTicker };
}

export class DatasetIndex {
  /** A short content hash: which data a reply came from, shown by /healthz. */
  readonly version: string;
  readonly loadedAt = new Date();
  readonly entities: Map<string, Entity>;
  readonly sources: ReadonlyMap<string, Source>;
  /** Every month with at least one figure, oldest first. */
  readonly months: readonly YearMonth[];
  /** Events sorted by date (a year sorts before its months, a month before its days). */
  readonly events: readonly TimelineEvent[];
  private readonly salesBySeller: Map<string, Sale[]>;
  private readonly salesByMonth: Map<string, Sale[]>;
  private readonly eventsByEntity: Map<string, TimelineEvent[]>;
  private readonly brandsByAlliance: Map<string, Brand[]>;
  private readonly brandsByMaker: Map<string, Brand[]>;
  private readonly modelsByMaker: Map<string, Model[]>;
  private readonly modelsByBrand: Map<string, Model[]>;
  private readonly alliancesByLeader: Map<string, Alliance[]>;
  private readonly standingsByMonth: Map<string, Standing[]>;
  /** Tickers are looked up exactly, never fuzzily: "601127" is Seres, "601128" is nobody. */
  private readonly byTicker: Map<string, Entity>;
  private readonly resolver: NameResolver<Entity>;
  private readonly names: Names;
  private readonly resolved = new Map<string, Resolution<Entity>>();
  private readonly sellerList: readonly Entity[];

  /**
   * `version`: the loader's hash of the files read; without one the records are hashed (small, built-in-code
   * datasets). `parts`: pieces built beforehand (`DatasetIndex.build`) or taken over from the index serving.
   */
  constructor(readonly data: Collections, version?: string, parts: IndexParts = {}) {
    this.version = version ?? createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 12);
    this.names = parts.names && parts.names.key !== undefined && parts.names.key === parts.namesKey ? parts.names : buildNames(data, parts.namesKey);
    ({ entities: this.entities, resolver: this.resolver, byTicker: this.byTicker } = this.names);

    this.sources = new Map(data.sources.map((s) => [s.id, s]));
    const sales = parts.sales ?? buildSalesIndex(data.sales);
    this.salesByMonth = sales.byMonth;
    this.months = sales.months;
    this.salesBySeller = sales.bySeller;
    // Plain code-unit order, so every date with a given prefix (a year, a month) is one contiguous run.
    this.events = [...data.events].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    this.eventsByEntity = new Map();
    for (const e of this.events) for (const id of new Set(e.entities)) {
      const list = this.eventsByEntity.get(id);
      if (list) list.push(e);
      else this.eventsByEntity.set(id, [e]);
    }
    this.brandsByAlliance = group(data.brands, (b) => b.alliance);
    this.brandsByMaker = group(data.brands, (b) => b.maker);
    this.modelsByMaker = group(data.models, (m) => m.maker);
    this.modelsByBrand = group(data.models, (m) => m.brand);
    this.alliancesByLeader = group(data.alliances, (a) => a.leader);
    this.standingsByMonth = group(data.standings, (s) => s.month);
    this.sellerList = [...this.salesBySeller.keys()].flatMap((id) => this.entities.get(id) ?? []);
  }

  static async load(dir: string): Promise<DatasetIndex> {
    return DatasetIndex.fromLoaded(await loadDataset(dir));
  }

  /** The index of a loaded dataset, built in one go (start-up, one-shot tools). */
  static fromLoaded(loaded: LoadedDataset): DatasetIndex {
    return new DatasetIndex(loaded.data, loaded.version, { namesKey: namesKey(loaded.digests) });
  }

  /**
   * Builds the index for a reload without holding the event loop for long: the figures are grouped in steps, and
   * the names (the costly part) are taken over from `previous` when no entity file changed.
   */
  static async build(loaded: LoadedDataset, previous?: DatasetIndex): Promise<DatasetIndex> {
    const sales = await buildSalesIndexAsync(loaded.data.sales);
    return new DatasetIndex(loaded.data, loaded.version, { sales, namesKey: namesKey(loaded.digests), ...(previous ? { names: previous.names } : {}) });
  }

  /** Exact alias first, fuzzy only for what misses. */
  resolve(query: string): Resolution<Entity> {
    const ticker = this.byTicker.get(normalizeName(query));
    if (ticker) return { kind: 'found', value: ticker, via: 'exact' };
    // A request may look the same words up twice (the scan, then a command's lenient look-up): the fuzzy search,
    // the costly part, runs once. Bounded: cleared when full.
    let r = this.resolved.get(query);
    if (!r) {
      if (this.resolved.size >= RESOLVE_CACHE) this.resolved.clear();
      r = this.resolver.resolve(query);
      this.resolved.set(query, r);
    }
    return r;
  }

  /** Exact alias look-up only (no fuzzy search): for scanning free text. */
  lookupExact(query: string): Entity | undefined {
    const key = normalizeName(query);
    return this.resolver.exact(key) ?? this.byTicker.get(key);
  }

  /** Names for autocomplete: prefix matches first, then fuzzy ones. */
  complete(prefix: string, limit = 25): Entity[] {
    return this.resolver.complete(prefix, limit);
  }

  entity(id: string): Entity | undefined {
    return this.entities.get(id);
  }

  alliance(id: string): Alliance | undefined {
    const e = this.entities.get(id);
    return e?.kind === 'alliance' ? e.record : undefined;
  }

  /** The seller whose figures answer for an entity: itself, or the alliance it reports through. */
  sellerFor(entity: Entity): Entity {
    if (entity.kind === 'company' && entity.record.salesVia) return this.entities.get(entity.record.salesVia) ?? entity;
    return entity;
  }

  salesOf(sellerId: string): readonly Sale[] {
    return this.salesBySeller.get(sellerId) ?? [];
  }

  sale(sellerId: string, month: YearMonth): Sale | undefined {
    // A seller's figures are sorted by month: binary search keeps this cheap for long histories.
    const list = this.salesOf(sellerId);
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.month < month) lo = mid + 1;
      else hi = mid;
    }
    return list[lo]?.month === month ? list[lo] : undefined;
  }

  salesIn(month: YearMonth): readonly Sale[] {
    return this.salesByMonth.get(month) ?? [];
  }

  /** Entities that have figures of their own, for "what is known" replies. */
  sellers(): Entity[] {
    // Worked out once per load: "unknown name" replies list sellers, and a market has thousands.
    return this.sellerList.slice();
  }

  /** Events whose date falls in a year (`2025`) or a month (`2025-04`), by binary search over the sorted events. */
  eventsDuring(period: string): readonly TimelineEvent[] {
    const first = (key: string) => {
      let lo = 0;
      let hi = this.events.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.events[mid]!.date < key) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    // In a date only '-' can follow a year or a month, and '.' sorts right after '-': it ends the run.
    return this.events.slice(first(period), first(`${period}.`));
  }

  eventsOf(entityId: string): readonly TimelineEvent[] {
    return this.eventsByEntity.get(entityId) ?? [];
  }

  brandsOfAlliance(allianceId: string): readonly Brand[] {
    return this.brandsByAlliance.get(allianceId) ?? [];
  }

  brandsMadeBy(companyId: string): readonly Brand[] {
    return this.brandsByMaker.get(companyId) ?? [];
  }

  modelsMadeBy(companyId: string): readonly Model[] {
    return this.modelsByMaker.get(companyId) ?? [];
  }

  modelsOfBrand(brandId: string): readonly Model[] {
    return this.modelsByBrand.get(brandId) ?? [];
  }

  /** Orders a source states outright for a month ("reclaimed the top spot"). */
  standingsIn(month: YearMonth): readonly Standing[] {
    return this.standingsByMonth.get(month) ?? [];
  }

  /**
   * The seller whose figure already contains this one's: a brand's alliance. Such a pair is never ranked
   * against each other; the brand is shown as part of its alliance.
   */
  containerOf(sellerId: string): Entity | undefined {
    const e = this.entities.get(sellerId);
    return e?.kind === 'brand' && e.record.alliance ? this.entities.get(e.record.alliance) : undefined;
  }

  /** Alliances a company leads. */
  alliancesLedBy(companyId: string): readonly Alliance[] {
    return this.alliancesByLeader.get(companyId) ?? [];
  }
}
