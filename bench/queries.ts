/**
 * Queries drawn from a loaded dataset with a seeded RNG: exact names, Chinese aliases, unknown words,
 * typos of known names (the intended entity is known, so accuracy can be scored) and typed prefixes.
 */
import type { DatasetIndex, Entity } from '../src/data/index.js';
import { normalizeName } from '../src/data/normalize.js';
import { typoBudget } from '../src/data/names/edit-distance.js';
import type { Rng } from './rng.js';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const HAN = /\p{Script=Han}/u;

export interface TypoQuery {
  query: string;
  /** The entity whose alias was mistyped. */
  truth: string;
}

export function entitiesOf(data: DatasetIndex): Entity[] {
  return [...data.entities.values()];
}

/** Display names of entities that have figures: what a user asks `/sales` about. */
export function sellerNames(data: DatasetIndex, rng: Rng, count: number): string[] {
  const sellers = entitiesOf(data).filter((e) => e.kind === 'company');
  return Array.from({ length: count }, () => rng.pick(sellers).name);
}

export function chineseAliases(data: DatasetIndex, rng: Rng, count: number): string[] {
  const han = entitiesOf(data).filter((e) => e.kind === 'company').flatMap((e) => e.aliases.filter((a) => HAN.test(a)));
  return Array.from({ length: count }, () => rng.pick(han));
}

/** Invented words that are no alias and not within the typo budget of one, checked against the index. */
export function unknownWords(data: DatasetIndex, rng: Rng, count: number): string[] {
  const out: string[] = [];
  while (out.length < count) {
    let w = '';
    const length = rng.int(5, 10);
    for (let i = 0; i < length; i++) w += rng.pick([...'qwxzjkvy']) + rng.pick([...'aeiou']);
    w = w.slice(0, length);
    if (data.resolve(w).kind === 'unknown') out.push(w);
  }
  return out;
}

/** One random edit: a substitution, deletion, insertion or swap of neighbours. */
function edit(word: string, rng: Rng): string {
  const i = rng.int(0, word.length - 1);
  switch (rng.int(0, 3)) {
    case 0: {
      let c = rng.pick([...LETTERS]);
      while (c === word[i]) c = rng.pick([...LETTERS]);
      return word.slice(0, i) + c + word.slice(i + 1);
    }
    case 1:
      return word.slice(0, i) + word.slice(i + 1);
    case 2:
      return word.slice(0, i) + rng.pick([...LETTERS]) + word.slice(i);
    default:
      return i + 1 < word.length && word[i] !== word[i + 1] ? word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2) : edit(word, rng);
  }
}

/**
 * Typos of known Latin-script aliases, as many edits as the typo budget of the alias allows (one for
 * 4–5 letters, one or two from 6). A "typo" that is itself an alias is no typo and is skipped.
 */
export function typos(data: DatasetIndex, rng: Rng, count: number): TypoQuery[] {
  const pool = entitiesOf(data).flatMap((e) => [e.name, ...e.aliases].filter((a) => !HAN.test(a)).map((a) => ({ key: normalizeName(a), truth: e.id })))
    .filter((a) => a.key.length >= 4);
  const out: TypoQuery[] = [];
  while (out.length < count) {
    const { key, truth } = rng.pick(pool);
    const edits = Math.max(1, rng.int(1, typoBudget(key.length)));
    let query = key;
    for (let i = 0; i < edits; i++) query = edit(query, rng);
    if (query.length < 4 || data.lookupExact(query) !== undefined) continue;
    out.push({ query, truth });
  }
  return out;
}

/** What a user has typed after 1–4 characters: mostly the start of a real name, sometimes anything. */
export function prefixes(data: DatasetIndex, rng: Rng, length: number, count: number): string[] {
  const names = entitiesOf(data).map((e) => e.name.toLowerCase());
  return Array.from({ length: count }, () => {
    if (rng.chance(0.2)) return Array.from({ length }, () => rng.pick([...LETTERS])).join('');
    return rng.pick(names).slice(0, length);
  });
}
