/**
 * Finds the periods a text is about, anywhere in it: months ("in April", "april 2025", "2025-04", "4月",
 * "2025年四月", "last month"), spans ("Q2", "第二季度", "from april to june", "this year", "2024") and month-like
 * words that cannot be read ("13/2025"). Each match is cut out and replaced with a break, so period words are
 * never read as names; the breaks carry an index, so months keep the order in which they were written.
 */
import type { DatasetIndex } from '../data/index.js';
import type { YearMonth } from '../data/schema.js';
import { formatMonth, parseMonth } from './months.js';

/** Marks where a period was cut out; never a letter or digit, so the tokenizer sees a break. */
export const BREAK = '\uE000';
/** Private-use characters after a break number the months in the order they were written. */
const ORDER_BASE = 0xe100;

export interface Span {
  label: string;
  from: YearMonth;
  to: YearMonth;
}

export interface PeriodScan {
  /** The text with every period replaced by a break. */
  text: string;
  months: YearMonth[];
  /** A year, quarter or range the user named. */
  span?: Span;
  relative?: 'month' | 'year';
  /** Month-like words that did not read as a month. */
  unreadable: string[];
}

const NAME = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
// "may" is a month unless it reads as the verb: "may I ask", "it may be".
const MAY = '(?<!\\b(?:it|this|that|which|who|they|we|you|i|he|she)\\s)\\bmay\\b(?!\\s+(?:i|we|you|he|she|they|it|be|have|not|also|need)\\b)';
const MONTH_WORD = `(?:${NAME.replace('|may|', '|')}|may)`;
const CN_DIGITS: Record<string, string> = { 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9', 十: '10', 十一: '11', 十二: '12' };
const ORDINAL: Record<string, number> = { first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4 };

const pad = (m: number) => String(m).padStart(2, '0');
const newestYear = (data: DatasetIndex) => data.months.at(-1)?.slice(0, 4);

function quarter(year: string, q: number): Span {
  return { label: `Q${q} ${year}`, from: `${year}-${pad(q * 3 - 2)}`, to: `${year}-${pad(q * 3)}` };
}

function yearSpan(year: string): Span {
  return { label: year, from: `${year}-01`, to: `${year}-12` };
}

type Found = { month: YearMonth } | { span: Span; relative?: 'year' } | { relative: 'month' } | { unreadable: string } | undefined;
type Rule = [RegExp, (m: RegExpExecArray, data: DatasetIndex) => Found];

const month = (text: string, data: DatasetIndex): Found => {
  const parsed = parseMonth(text, data.months);
  return parsed.ok ? { month: parsed.month } : undefined;
};

const RULES: readonly Rule[] = [
  // Quarters: "Q2", "q2 2025", "2025 Q2", "second quarter", "第二季度", "2季度".
  [/(?:(\d{4})\s*)?\bq([1-4])\b(?:\s*(\d{4}))?/g, (m, d) => { const y = m[1] ?? m[3] ?? newestYear(d); return y ? { span: quarter(y, Number(m[2])) } : undefined; }],
  [/\b(first|second|third|fourth|1st|2nd|3rd|4th) quarter(?: of)?(?:\s*(\d{4}))?/g, (m, d) => { const y = m[2] ?? newestYear(d); return y ? { span: quarter(y, ORDINAL[m[1]!]!) } : undefined; }],
  [/(?:(\d{4})\s*年\s*)?第?([1-4])\s*季度/g, (m, d) => { const y = m[1] ?? newestYear(d); return y ? { span: quarter(y, Number(m[2])) } : undefined; }],
  [/\b(?:this|current|latest) year\b|今年/g, (_m, d) => { const y = newestYear(d); return y ? { span: yearSpan(y), relative: 'year' } : undefined; }],
  [/(\d{4})\s*年\s*(\d{1,2})\s*月份?/g, (m, d) => month(`${m[1]}年${m[2]}月`, d)],
  [/(?<![\d.])(\d{4})[-/.](\d{1,2})(?![\d.])/g, (m, d) => month(`${m[1]}-${m[2]}`, d) ?? { unreadable: m[0] }],
  [/(?<![\d.])(\d{1,2})[-/.](\d{4})(?![\d.])/g, (m, d) => month(`${m[1]}/${m[2]}`, d) ?? { unreadable: m[0] }],
  [new RegExp(`\\b(${NAME})\\b\\.?,?\\s*(\\d{4})(?!\\d)`, 'g'), (m, d) => month(`${m[1]} ${m[2]}`, d)],
  [new RegExp(`(?<!\\d)(\\d{4})\\s+(${NAME})\\b`, 'g'), (m, d) => month(`${m[1]} ${m[2]}`, d)],
  [/\b(?:last|latest|this|previous|past|current|most recent|recent)\s+month'?s?\b|\b(?:latest|newest|most recent|recently|lately)\b|上个?月|本月|这个月|最近|最新/g, () => ({ relative: 'month' })],
  [new RegExp(`\\b(?:${NAME.replace('|may|', '|')})\\b\\.?|${MAY}`, 'g'), (m, d) => month(m[0], d)],
  [/(?<!\d)(\d{1,2})\s*月份?/g, (m, d) => month(`${m[1]}月`, d) ?? { unreadable: m[0] }],
  [/(?<!\d)((?:19|20)\d{2})(?!\d)\s*年?/g, (m) => ({ span: yearSpan(m[1]!) })],
];

/** "from april to june", "april-june", "april through june", "4月到6月": a span of months. */
const RANGE = new RegExp(`(?:\\bfrom\\s+)?\\b(${MONTH_WORD})\\s*(?:-|–|to|through|thru|until|till)\\s*(${MONTH_WORD})\\b|(\\d{1,2})\\s*月?\\s*(?:到|至|-)\\s*(\\d{1,2})\\s*月`, 'g');

/**
 * Reads every period out of lower-cased text. `newest month` answers "last month"; the caller learns it was
 * relative, so the reply can say which month that is.
 */
export function findPeriods(input: string, data: DatasetIndex): PeriodScan {
  let text = input.replace(/(十[一二]?|[一二三四五六七八九])(?=\s*(?:月|季度))/g, (d) => CN_DIGITS[d] ?? d);
  const scan: PeriodScan = { text, months: [], unreadable: [] };
  const ordered: YearMonth[] = [];
  const mark = (ym: YearMonth) => {
    ordered.push(ym);
    return ` ${BREAK}${String.fromCharCode(ORDER_BASE + ordered.length - 1)} `;
  };

  text = text.replace(RANGE, (whole, a?: string, b?: string, c?: string, e?: string) => {
    const from = month(a ?? `${c}月`, data);
    const to = month(b ?? `${e}月`, data);
    if (!from || !to || !('month' in from) || !('month' in to) || from.month > to.month) return whole;
    scan.span ??= { label: `${formatMonth(from.month)} to ${formatMonth(to.month)}`, from: from.month, to: to.month };
    return ` ${BREAK} `;
  });
  for (const [pattern, read] of RULES) {
    text = text.replace(pattern, (...args) => {
      const match = args.slice(0, -2) as unknown as RegExpExecArray;
      const found = read(match, data);
      if (!found) return String(args[0]);
      if ('month' in found) return mark(found.month);
      if ('unreadable' in found) scan.unreadable.push(found.unreadable.trim());
      else if ('span' in found) {
        scan.span ??= found.span;
        if (found.relative) scan.relative ??= found.relative;
      } else {
        const newest = data.months.at(-1);
        if (newest) {
          scan.relative ??= 'month';
          return mark(newest);
        }
      }
      return ` ${BREAK} `;
    });
  }
  // Months in the order they were written, each once.
  const order = [...text.matchAll(new RegExp(`${BREAK}([\\uE100-\\uE1FF])`, 'g'))].map((m) => ordered[m[1]!.charCodeAt(0) - ORDER_BASE]!);
  scan.months = [...new Set(order)];
  scan.text = text.replace(/[\uE100-\uE1FF]/g, '');
  return scan;
}

const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/**
 * A month name with one typo ("aprl", "mya", "agust"): only for words that are no ordinary word and at least
 * three letters, so "car" never reads as March.
 */
export function monthTypo(word: string, distance: (a: string, b: string) => number): number | undefined {
  if (word.length < 3 || !/^[a-z]+$/.test(word)) return undefined;
  for (let i = 0; i < MONTH_NAMES.length; i++) {
    const name = MONTH_NAMES[i]!;
    const forms = name.length > 4 ? [name, name.slice(0, 3)] : [name];
    for (const form of forms) {
      if (Math.abs(form.length - word.length) > 1) continue;
      // One edit; three-letter forms only a swap ("mya"), not a changed letter ("car" → "mar").
      const d = distance(word, form);
      if (d !== 1) continue;
      if (form.length === 3 && [...word].sort().join('') !== [...form].sort().join('')) continue;
      return i + 1;
    }
  }
  return undefined;
}
