/** Answer latency through the core, as every adapter calls it: parse, resolve, look up, render plain text. */
import type { Bot } from '../../src/core/bot.js';
import { renderText } from '../../src/core/render-text.js';
import { monthWords } from '../generate.js';
import { chineseAliases, sellerNames, typos, unknownWords } from '../queries.js';
import { ms, times, type Line } from '../report.js';
import type { Rng } from '../rng.js';
import { summarize, timeEach, type Summary } from '../stats.js';

export type AnswerResults = Record<'exact' | 'chinese' | 'typo' | 'unknown' | 'question', Summary & { example: string }>;

/** Plain questions of each shape the query model answers, with names and months from the dataset. */
const QUESTION_SHAPES: readonly ((a: string, b: string, month: string) => string)[] = [
  (a, _b, m) => `how many cars did ${a} sell in ${m}?`,
  (a, b) => `${a} vs ${b} trend`,
  (a) => `total ${a} sales`,
  (a, _b, m) => `what was ${a}'s growth in ${m}`,
  (a, b) => `which month did ${a} first outsell ${b}`,
  (_a, _b, m) => `who was number one in ${m}`,
  (a) => `ticker for ${a}`,
  (a, b, m) => `what's the gap between ${a} and ${b} in ${m}`,
];

export function benchAnswers(bot: Bot, rng: Rng, n: number, entities: number): { results: AnswerResults; lines: Line[] } {
  const data = bot.data;
  const month = () => monthWords(rng.pick(data.months));
  const classes = {
    exact: sellerNames(data, rng, n),
    chinese: chineseAliases(data, rng, n),
    typo: typos(data, rng, n).map((t) => t.query),
    unknown: unknownWords(data, rng, n),
  };
  const answer = (line: string) => renderText(bot.handleLine(line, { platform: 'cli', user: 'bench' }));
  const results = {} as AnswerResults;
  for (const [name, words] of Object.entries(classes) as [keyof AnswerResults, string[]][]) {
    const lines = words.map((w) => `/sales ${w} ${month()}`);
    results[name] = { ...summarize(timeEach(lines, answer)), example: lines[0]! };
  }
  const pairs = sellerNames(data, rng, 2 * n);
  const questions = Array.from({ length: n }, (_, i) => rng.pick(QUESTION_SHAPES)(pairs[2 * i]!, pairs[2 * i + 1]!, month()));
  results.question = { ...summarize(timeEach(questions, answer)), example: questions[0]! };
  const section = `Answers, ${entities.toLocaleString('en-US')} entities`;
  const exact = results.exact;
  const row = (name: keyof AnswerResults, label: string, target: number | undefined): Line => {
    const r = results[name];
    return {
      section,
      measure: `${label}: p50 / p99 (n=${r.n})`,
      result: `${ms(r.p50)} / ${ms(r.p99)}`,
      ...(name === 'exact' ? {} : { baseline: `exact p99 ${ms(exact.p99)}`, ratio: times(r.p99 / exact.p99) }),
      ...(target === undefined ? {} : { target: `p99 < ${ms(target)}`, ok: r.p99 < target }),
    };
  };
  return {
    results,
    lines: [
      row('exact', 'exact name', 0.1), row('chinese', 'Chinese alias (exact)', 0.1), row('typo', 'typo', 5), row('unknown', 'unknown name', 5),
      row('question', 'questions of every shape (trend, change, total, first, leader, ticker, gap)', 5),
    ],
  };
}
