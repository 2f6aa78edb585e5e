/**
 * Finds the month (or year) a question is about, anywhere in the text: "in April", "april 2025",
 * "2025-04", "4月", "2025年4月", "四月", "last month" (the newest month with data). Each match is cut
 * out of the text and replaced with a break, so month words are never read as names.
 */
import type { DatasetIndex } from '../../data/index.js';
import type { YearMonth } from '../../data/schema.js';
import { formatMonth, parseMonth } from '../months.js';

/** Marks where a month was cut out; never a letter or digit, so the tokenizer sees a break. */
export const BREAK = '\uE000';

export interface MonthFound {
  month: YearMonth;
  /** The user named the year (or a relative month that we pinned down). */
  yearGiven: boolean;
}

export interface MonthScan {
  text: string;
  month?: MonthFound;
  year?: string;
}

const NAME = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
// "may" is a month unless it reads as the verb: "may I ask", "it may be".
const MAY = '(?<!\\b(?:it|this|that|which|who|they|we|you|i|he|she)\\s)\\bmay\\b(?!\\s+(?:i|we|you|he|she|they|it|be|have|not|also|need)\\b)';
const CN_DIGITS: Record<string, string> = { 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9', 十: '10', 十一: '11', 十二: '12' };

type Rule = [RegExp, (m: RegExpExecArray) => string | 'newest' | { year: string }];

const RULES: readonly Rule[] = [
  [/(\d{4})\s*年\s*(\d{1,2})\s*月份?/g, (m) => `${m[1]}年${m[2]}月`],
  [/(?<![\d.])(\d{4})[-/.](\d{1,2})(?![\d.])/g, (m) => `${m[1]}-${m[2]}`],
  [/(?<![\d.])(\d{1,2})[-/.](\d{4})(?![\d.])/g, (m) => `${m[1]}/${m[2]}`],
  [new RegExp(`\\b(${NAME})\\b\\.?,?\\s*(\\d{4})(?!\\d)`, 'g'), (m) => `${m[1]} ${m[2]}`],
  [new RegExp(`(?<!\\d)(\\d{4})\\s+(${NAME})\\b`, 'g'), (m) => `${m[1]} ${m[2]}`],
  [/\b(?:last|latest|this|previous|past|current|most recent|recent)\s+month'?s?\b|\b(?:latest|newest|most recent|recently|lately)\b|上个?月|本月|这个月|最近|最新/g, () => 'newest'],
  [new RegExp(`\\b(?:${NAME.replace('|may|', '|')})\\b\\.?|${MAY}`, 'g'), (m) => m[0]],
  [/(?<!\d)(\d{1,2})\s*月份?/g, (m) => `${m[1]}月`],
  [/(?<!\d)((?:19|20)\d{2})(?!\d)\s*年?/g, (m) => ({ year: m[1]! })],
];

/** Reads the first month (and year) out of lower-cased text. */
export function findMonths(input: string, data: DatasetIndex): MonthScan {
  let text = input.replace(/(十[一二]?|[一二三四五六七八九])(?=\s*月)/g, (d) => CN_DIGITS[d] ?? d);
  const found: MonthScan = { text };
  for (const [pattern, read] of RULES) {
    text = text.replace(pattern, (...args) => {
      const match = args.slice(0, -2) as unknown as RegExpExecArray;
      const value = read(match);
      if (typeof value === 'object') {
        found.year ??= value.year;
        return ` ${BREAK} `;
      }
      if (value === 'newest') {
        const newest = data.months.at(-1);
        if (newest) found.month ??= { month: newest, yearGiven: true };
        return ` ${BREAK} `;
      }
      const parsed = parseMonth(value, data.months);
      if (!parsed.ok) return String(args[0]);
      found.month ??= { month: parsed.month, yearGiven: parsed.yearGiven };
      return ` ${BREAK} `;
    });
  }
  found.text = text;
  return found;
}

/** The month as a command reads it back: "april" when the user gave no year, else "april 2025". */
export function monthArgument(found: MonthFound): string {
  const text = formatMonth(found.month).toLowerCase();
  return found.yearGiven ? text : text.split(' ')[0]!;
}
