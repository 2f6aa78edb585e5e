/**
 * A synthetic market in the project's own data format (see src/data/schema.ts): companies with
 * English and Chinese aliases, alliances, brands, models, people, events, and one figure per
 * seller and month. Seeded, so a run is reproducible; written once per parameter set and reused.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { normalizeName } from '../src/data/normalize.js';
import type { Alliance, Brand, Company, Model, Person, Sale, Source, TimelineEvent } from '../src/data/schema.js';
import { Rng } from './rng.js';

/** Bump when the output changes shape, so cached directories are rebuilt. */
const GENERATOR_VERSION = 1;

export interface GenerateOptions {
  companies: number;
  months: number;
  seed: number;
}

export interface GeneratedDataset {
  dir: string;
  counts: { companies: number; alliances: number; brands: number; models: number; people: number; entities: number; sales: number; events: number };
  bytes: number;
  /** True when an earlier run's directory was reused. */
  reused: boolean;
  generateMs: number;
}

const ONSETS = ['b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'x', 'y', 'z', 'br', 'ch', 'dr', 'gr', 'kr', 'pl', 'qu', 'sh', 'st', 'tr', 'zh'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ao', 'ei', 'ia', 'io', 'ou'];
const CODAS = ['', '', '', 'n', 'r', 's', 'l', 'ng', 'x'];
const COMPANY_SUFFIXES = ['Motors', 'Auto', 'Automobile', 'EV', 'Mobility', 'Group', 'Technologies', 'Motor'];
const HAN = [...'安百宝北奔比长辰晨驰创达大德迪东动帆飞丰福富高光广海汉航豪合和恒宏华辉吉佳江捷金锦京晶景骏凯康科蓝朗乐理力立联灵领龙路铭明南诺鹏奇启擎庆瑞润赛尚深盛时顺思速泰腾天通拓威伟蔚文翔小新星兴旭轩雅耀易银盈永优宇远跃云泽哲正志智中众卓'];
const FIRST_NAMES = ['Richard', 'Li', 'Wang', 'Chen', 'Anna', 'David', 'Mei', 'Jun', 'Lei', 'Yan', 'Sofia', 'Omar', 'Ivan', 'Lena', 'Hiro', 'Ming', 'Tao', 'Wei', 'Ravi', 'Nora'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The newest month of every generated dataset; months count back from here. */
export const NEWEST_MONTH = { year: 2025, month: 5 };

export function monthList(count: number): string[] {
  const out: string[] = [];
  let { year, month } = NEWEST_MONTH;
  for (let i = 0; i < count; i++) {
    out.push(`${year}-${String(month).padStart(2, '0')}`);
    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
  }
  return out.reverse();
}

export function monthWords(ym: string): string {
  const [y, m] = ym.split('-');
  return `${MONTH_NAMES[Number(m) - 1]} ${y}`;
}

class Names {
  /** Every normalised alias handed out: the loader rejects an alias that names two entities. */
  private readonly taken = new Set<string>();

  constructor(private readonly rng: Rng) {}

  claim(alias: string): boolean {
    const key = normalizeName(alias);
    if (!key || this.taken.has(key)) return false;
    this.taken.add(key);
    return true;
  }

  /** A pronounceable invented word, unique as an alias: "Zhaoren", "Kavel". */
  word(syllables = this.rng.int(2, 3)): string {
    for (;;) {
      let w = '';
      for (let i = 0; i < syllables; i++) w += this.rng.pick(ONSETS) + this.rng.pick(VOWELS) + this.rng.pick(CODAS);
      if (w.length >= 4 && w.length <= 12 && this.claim(w)) return capitalize(w);
    }
  }

  /** A fresh word and a name built from it, both unique as aliases. */
  named(build: (base: string) => string): [string, string] {
    for (;;) {
      const base = this.word();
      const name = build(base);
      if (this.claim(name)) return [base, name];
    }
  }

  /** A Chinese name of `chars` characters plus a suffix, unique as an alias. */
  han(chars: number, suffix = ''): string {
    for (let attempt = 0; ; attempt++) {
      let w = '';
      for (let i = 0; i < chars + Math.floor(attempt / 20); i++) w += this.rng.pick(HAN);
      if (this.claim(w + suffix)) return w + suffix;
    }
  }

  /** Keeps only the aliases nobody else has. */
  unique(aliases: string[]): string[] {
    return aliases.filter((a) => this.claim(a));
  }
}

interface Collections {
  sources: Source[];
  companies: Company[];
  alliances: Alliance[];
  brands: Brand[];
  models: Model[];
  people: Person[];
  sales: Sale[];
  standings: never[];
  events: TimelineEvent[];
}

export function generateCollections({ companies: companyCount, months: monthCount, seed }: GenerateOptions): Collections {
  const rng = new Rng(seed);
  const names = new Names(rng.fork(1));
  const pick = rng.fork(2);

  const sources: Source[] = Array.from({ length: 50 }, (_, i) => ({
    id: `src-${i + 1}`,
    title: `Market report ${i + 1}`,
    publisher: pick.pick(['China Passenger Car Association', 'Auto Weekly', 'EV Data Desk', 'Company filing']),
    kind: pick.pick(['article', 'industry-body', 'company-announcement', 'other'] as const),
    url: `https://example.com/reports/${i + 1}`,
    date: `2025-0${pick.int(1, 5)}`,
  }));
  const someSources = () => (pick.chance(0.3) ? [pick.pick(sources).id, pick.pick(sources).id].filter((v, i, a) => a.indexOf(v) === i) : [pick.pick(sources).id]);

  const companies: Company[] = [];
  const hanOf = new Map<string, string>();
  const baseOf = new Map<string, string>();
  for (let i = 0; i < companyCount; i++) {
    const suffix = pick.pick(COMPANY_SUFFIXES);
    const [base, name] = names.named((b) => `${b} ${suffix}`);
    const han = names.han(2, '汽车');
    const id = base.toLowerCase();
    hanOf.set(id, han.slice(0, -2));
    baseOf.set(id, base);
    const extra = names.unique(pick.chance(0.4) ? [`${base} ${suffix} Group`] : []);
    companies.push({
      id,
      name,
      legalName: `${base} ${suffix} Co. Ltd.`,
      ...(pick.chance(0.3) ? { ticker: `${pick.int(600000, 603999)}.SH` } : {}),
      role: pick.pick(['Automaker', 'EV maker', 'Technology company', 'Parts supplier turned automaker']),
      summary: `${base} makes vehicles under its own name; figures are synthetic benchmark data.`,
      aliases: [name, base, han, ...extra],
      sources: someSources(),
    });
  }

  const alliances: Alliance[] = [];
  const allianceCount = Math.max(1, Math.floor(companyCount / 100));
  for (let i = 0; i < allianceCount; i++) {
    const leader = companies[Math.floor((i * companyCount) / allianceCount)]!;
    const [base, name] = names.named((b) => `${b} Alliance`);
    const id = `${base.toLowerCase()}-alliance`;
    const legalName = `${base} Intelligent Mobility Alliance`;
    leader.salesVia = id;
    alliances.push({
      id,
      name,
      legalName,
      leader: leader.id,
      summary: `An alliance led by ${leader.name}; its figures stand for the leader's.`,
      aliases: [name, ...names.unique([legalName]), names.han(2, '联盟')],
      sources: someSources(),
    });
  }

  const brands: Brand[] = [];
  for (let i = 0; i < Math.floor(companyCount / 2); i++) {
    const maker = pick.pick(companies);
    const base = names.word();
    const id = `${base.toLowerCase()}-brand`;
    baseOf.set(id, base);
    const han = names.han(2);
    hanOf.set(id, han);
    brands.push({
      id,
      name: base,
      maker: maker.id,
      ...(pick.chance(0.2) ? { alliance: pick.pick(alliances).id } : {}),
      summary: `A brand made by ${maker.name}.`,
      aliases: [base, han],
      sources: someSources(),
    });
  }

  const models: Model[] = [];
  for (let i = 0; i < companyCount; i++) {
    const brand = brands.length > 0 && pick.chance(0.6) ? pick.pick(brands) : undefined;
    const makerId = brand ? brand.maker : pick.pick(companies).id;
    const ownerId = brand ? brand.id : makerId;
    const owner = baseOf.get(ownerId)!;
    for (let attempt = 0; attempt < 50; attempt++) {
      const code = `${pick.pick(['X', 'S', 'M', 'L', 'Q', 'V', 'GT', 'EV'])}${pick.int(1, 99)}`;
      const name = `${owner} ${code}`;
      if (!names.claim(name)) continue;
      const id = `${ownerId}-${code.toLowerCase()}`;
      models.push({
        id,
        name,
        maker: makerId,
        ...(brand ? { brand: brand.id } : {}),
        summary: `A model by ${owner}.`,
        aliases: [name, ...names.unique([`${hanOf.get(ownerId)!}${code}`])],
        sources: someSources(),
      });
      break;
    }
  }

  const people: Person[] = [];
  for (let i = 0; i < Math.floor(companyCount / 5); i++) {
    const surname = names.word(2);
    const name = `${pick.pick(FIRST_NAMES)} ${surname}`;
    if (!names.claim(name)) continue;
    const company = pick.pick(companies);
    people.push({
      id: `${name.toLowerCase().replace(/\s+/g, '-')}-${i}`,
      name,
      title: pick.pick(['Chairman', 'Chief executive', 'Chief technology officer', 'President']),
      affiliation: company.id,
      aliases: [name, names.han(3)],
      sources: someSources(),
    });
  }

  // One figure per seller and month: a company's own, or its alliance's when it reports through one.
  const months = monthList(monthCount);
  const sellers = companies.map((c) => c.salesVia ?? c.id);
  const sales: Sale[] = [];
  const level = sellers.map(() => pick.int(800, 60000));
  for (const month of months) {
    sellers.forEach((seller, s) => {
      level[s] = Math.max(1, Math.round(level[s]! * (0.9 + pick.next() * 0.22)));
      const units = level[s]!;
      const roll = pick.next();
      const sale: Sale = roll < 0.9
        ? { seller, month, units, qualifier: 'exact', sources: someSources() }
        : roll < 0.96
          ? { seller, month, units: Math.max(1000, Math.floor(units / 1000) * 1000), qualifier: 'at_least', reportedAs: `over ${Math.max(1000, Math.floor(units / 1000) * 1000).toLocaleString('en-US')}`, sources: someSources() }
          : { seller, month, units: Math.max(100, Math.round(units / 100) * 100), qualifier: 'approximate', reportedAs: `about ${Math.max(100, Math.round(units / 100) * 100).toLocaleString('en-US')}`, sources: someSources() };
      if (pick.chance(0.02)) sale.note = 'Includes exports.';
      sales.push(sale);
    });
  }

  const entityIds = [...companies, ...alliances, ...brands, ...models, ...people].map((e) => e.id);
  const events: TimelineEvent[] = [];
  for (let i = 0; i < Math.floor(companyCount / 2); i++) {
    const month = pick.pick(months);
    const date = pick.chance(0.5) ? `${month}-${String(pick.int(1, 28)).padStart(2, '0')}` : month;
    const entities = [...new Set(Array.from({ length: pick.int(1, 3) }, () => pick.pick(entityIds)))];
    events.push({ id: `event-${i + 1}`, date, title: `Launch event ${i + 1}`, summary: 'A synthetic event for the benchmark.', entities, sources: someSources() });
  }

  return { sources, companies, alliances, brands, models, people, sales, standings: [], events };
}

/** One record a line: compact enough for a million figures, still readable. */
function toJson(rows: readonly unknown[]): string {
  if (rows.length === 0) return '[]\n';
  return `[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`;
}

/** Writes (or reuses) `root/c<companies>-m<months>-s<seed>` and returns what is in it. */
export function ensureDataset(root: string, options: GenerateOptions): GeneratedDataset {
  const dir = path.join(root, `c${options.companies}-m${options.months}-s${options.seed}`);
  const manifestFile = path.join(dir, 'bench-manifest.json');
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { version: number; counts: GeneratedDataset['counts']; bytes: number };
    if (manifest.version === GENERATOR_VERSION) return { dir, counts: manifest.counts, bytes: manifest.bytes, reused: true, generateMs: 0 };
  }
  const started = performance.now();
  const data = generateCollections(options);
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  let bytes = 0;
  for (const [name, rows] of Object.entries(data)) {
    const file = path.join(tmp, `${name}.json`);
    writeFileSync(file, toJson(rows as unknown[]));
    bytes += statSync(file).size;
  }
  const counts = {
    companies: data.companies.length,
    alliances: data.alliances.length,
    brands: data.brands.length,
    models: data.models.length,
    people: data.people.length,
    entities: data.companies.length + data.alliances.length + data.brands.length + data.models.length + data.people.length,
    sales: data.sales.length,
    events: data.events.length,
  };
  writeFileSync(path.join(tmp, 'bench-manifest.json'), JSON.stringify({ version: GENERATOR_VERSION, ...options, counts, bytes }, null, 2));
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return { dir, counts, bytes, reused: false, generateMs: performance.now() - started };
}
