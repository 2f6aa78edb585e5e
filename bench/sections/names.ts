/** Autocomplete and typo resolution: our index against plain fuse.js over every name, same queries, same run. */
import type { DatasetIndex } from '../../src/data/index.js';
import { fuseComplete, fuseTop1, type PlainFuse } from '../baseline.js';
import { prefixes, typos } from '../queries.js';
import { count, ms, pct, times, type Line } from '../report.js';
import type { Rng } from '../rng.js';
import { summarize, timeEach, type Summary } from '../stats.js';

export interface NameBenchOptions {
  /** Queries timed on our side. */
  n: number;
  /** Queries also timed on plain fuse.js (it takes up to a second each at scale). */
  baselineN: number;
  /** p99 target in ms for autocomplete and typo resolution at this scale. */
  targetMs: number;
  label: string;
}

export interface AutocompleteResults {
  byLength: { typed: number; ours: Summary; fuse: Summary }[];
}

export function benchAutocomplete(data: DatasetIndex, baseline: PlainFuse, rng: Rng, o: NameBenchOptions): { results: AutocompleteResults; lines: Line[] } {
  const section = `Autocomplete, ${o.label}`;
  const byLength: AutocompleteResults['byLength'] = [];
  const lines: Line[] = [];
  for (let typed = 1; typed <= 4; typed++) {
    const queries = prefixes(data, rng, typed, o.n);
    const ours = summarize(timeEach(queries, (q) => data.complete(q, 25)));
    const fuse = summarize(timeEach(queries.slice(0, o.baselineN), (q) => fuseComplete(baseline, q, 25), 2));
    byLength.push({ typed, ours, fuse });
    lines.push({
      section,
      measure: `complete(${typed} char${typed > 1 ? 's' : ''}, 25): p50 / p99 (n=${o.n})`,
      result: `${ms(ours.p50)} / ${ms(ours.p99)}`,
      baseline: `fuse.js p99 ${ms(fuse.p99)} (n=${fuse.n})`,
      ratio: times(fuse.p99 / ours.p99),
      target: `p99 < ${ms(o.targetMs)}`,
      ok: ours.p99 < o.targetMs,
    });
  }
  return { results: { byLength }, lines };
}

export interface TypoResults {
  ours: Summary;
  oursAccuracy: number;
  oursOutcomes: Record<'right' | 'wrong' | 'ambiguous' | 'unknown', number>;
  same: { n: number; ours: Summary; fuse: Summary; oursAccuracy: number; fuseAccuracy: number };
  fuseBuildMs: number;
}

export function benchTypos(data: DatasetIndex, baseline: PlainFuse, rng: Rng, o: NameBenchOptions): { results: TypoResults; lines: Line[] } {
  const queries = typos(data, rng, o.n);
  const ours = summarize(timeEach(queries, (q) => data.resolve(q.query)));
  const outcomes = { right: 0, wrong: 0, ambiguous: 0, unknown: 0 };
  const right = (q: { query: string; truth: string }) => {
    const r = data.resolve(q.query);
    return r.kind === 'found' && r.value.id === q.truth;
  };
  for (const q of queries) {
    const r = data.resolve(q.query);
    if (r.kind === 'found') outcomes[r.value.id === q.truth ? 'right' : 'wrong']++;
    else outcomes[r.kind]++;
  }
  const subset = queries.slice(0, o.baselineN);
  const oursSame = summarize(timeEach(subset, (q) => data.resolve(q.query), 2));
  const fuseSame = summarize(timeEach(subset, (q) => fuseTop1(baseline, q.query), 2));
  const oursAccuracy = subset.filter(right).length / subset.length;
  const fuseAccuracy = subset.filter((q) => fuseTop1(baseline, q.query) === q.truth).length / subset.length;
  const results: TypoResults = {
    ours,
    oursAccuracy: outcomes.right / queries.length,
    oursOutcomes: outcomes,
    same: { n: subset.length, ours: oursSame, fuse: fuseSame, oursAccuracy, fuseAccuracy },
    fuseBuildMs: baseline.buildMs,
  };
  const section = `Typos, ${o.label}`;
  const ratio = fuseSame.p99 / oursSame.p99;
  return {
    results,
    lines: [
      { section, measure: `resolve(typo): p50 / p99 (n=${o.n})`, result: `${ms(ours.p50)} / ${ms(ours.p99)}`, target: `p99 < ${ms(o.targetMs)}`, ok: ours.p99 < o.targetMs },
      {
        section, measure: `vs fuse.js over all ${count(baseline.aliases)} names, same ${subset.length} queries: p99`,
        result: ms(oursSame.p99), baseline: `fuse.js ${ms(fuseSame.p99)} (p50 ${ms(fuseSame.p50)})`, ratio: times(ratio), target: '≥ 100× faster', ok: ratio >= 100,
      },
      {
        section, measure: `top-1 accuracy, same ${subset.length} queries`, result: pct(oursAccuracy), baseline: `fuse.js ${pct(fuseAccuracy)}`,
        target: 'at least fuse.js', ok: oursAccuracy >= fuseAccuracy,
      },
      {
        section, measure: `all ${o.n}: right / wrong / ambiguous / unknown`,
        result: `${pct(outcomes.right / queries.length)} / ${pct(outcomes.wrong / queries.length)} / ${pct(outcomes.ambiguous / queries.length)} / ${pct(outcomes.unknown / queries.length)}`,
      },
    ],
  };
}
