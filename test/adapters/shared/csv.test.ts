/**
 * The CSV of a reply's figures, read back with csv-parse as a spreadsheet would: values, qualifiers (a lower bound
 * stays a bound) and sources by title and publisher; quoting that survives commas, quotes and formula-like text.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { csvFileName, figuresCsv, hasFigures } from '../../../src/adapters/shared/csv.js';
import { splitLineWords, takeTrailingWords } from '../../../src/adapters/shared/trailing-words.js';
import type { Bot } from '../../../src/core/bot.js';
import { answer, type Reply } from '../../../src/core/reply.js';
import { makeBot } from '../../support/bot.js';
import { expectedRows, readCsv } from '../../support/csv.js';

let bot: Bot;
beforeAll(async () => {
  bot = await makeBot();
});

const reply = (line: string) => bot.handleLine(line, { platform: 'cli' });

describe('figuresCsv', () => {
  it('/sales xiaomi may: one row, the lower bound kept as "at_least" 28000 reported as "over 28,000", both sources named', () => {
    const file = figuresCsv(reply('/sales xiaomi may'))!;
    expect(file.name).toBe('sales-xiaomi-2025-05.csv');
    expect(file.rows).toBe(1);
    expect(readCsv(file.data)).toEqual([{
      seller: 'xiaomi', month: '2025-05', units: '28000', qualifier: 'at_least', reported_as: 'over 28,000',
      sources: 'Xiaomi announcement of May 2025 sales, as cited by Caixin Global — Xiaomi Corp.; Huawei\'s EV Strategy Falters as Xiaomi Gains Ground in China — Caixin Global',
    }]);
  });

  it.each(['/compare xiaomi huawei may', '/digest may', '/sales xiaomi', 'who sold more in may'])('%s round-trips every figure', (line) => {
    const r = reply(line);
    expect(r.figures?.length).toBeGreaterThan(0);
    expect(readCsv(figuresCsv(r)!.data)).toEqual(expectedRows(r));
  });

  it('names a file after its sellers and months', () => {
    expect(figuresCsv(reply('/digest may'))!.name).toBe('sales-hima-xiaomi-2025-04-to-2025-05.csv');
    expect(csvFileName([])).toBe('sales.csv');
  });

  it('starts with a byte-order mark and the header, lines ending CRLF', () => {
    const text = figuresCsv(reply('/sales xiaomi may'))!.data.toString('utf8');
    expect(text.startsWith('\ufeffseller,month,units,qualifier,reported_as,sources\r\n')).toBe(true);
  });

  it('quotes commas, quotes and line breaks, and defuses text a spreadsheet would run as a formula', () => {
    const r: Reply = {
      ...answer('T', []),
      sources: [{ id: 's', title: 'A "quoted", title\nover two lines', publisher: '=HYPERLINK("x")' }],
      figures: [{ seller: '@evil', month: '2025-05', units: 5, qualifier: 'approximate', reportedAs: 'about 5, give or take', sources: ['s'] }],
    };
    const [row] = readCsv(figuresCsv(r)!.data);
    expect(row).toEqual({
      seller: "'@evil", month: '2025-05', units: '5', qualifier: 'approximate', reported_as: 'about 5, give or take',
      sources: 'A "quoted", title\nover two lines — =HYPERLINK("x")',
    });
  });

  it('a reply without figures (help, a notice) makes no file', () => {
    expect(hasFigures(reply('/help'))).toBe(false);
    expect(figuresCsv(reply('/help'))).toBeUndefined();
    expect(figuresCsv(reply('/sales nobody'))).toBeUndefined();
  });
});

describe('the trailing csv word', () => {
  const csvWord = (text: string) => {
    const { text: rest, found } = takeTrailingWords(text, ['csv']);
    return { text: rest, csv: found.has('csv') };
  };
  const csvLine = (typed: string) => {
    const { line, csv } = splitLineWords(typed);
    return { line, csv };
  };

  it('is taken only as the last word', () => {
    expect(csvWord('xiaomi may csv')).toEqual({ text: 'xiaomi may', csv: true });
    expect(csvWord('xiaomi may CSV ')).toEqual({ text: 'xiaomi may', csv: true });
    expect(csvWord('csv xiaomi')).toEqual({ text: 'csv xiaomi', csv: false });
    expect(csvWord('xiaomi mycsv')).toEqual({ text: 'xiaomi mycsv', csv: false });
  });

  it('on a typed line, only for /sales, /compare and /digest', () => {
    expect(csvLine('/sales xiaomi may csv')).toEqual({ line: '/sales xiaomi may', csv: true });
    expect(csvLine('/digest csv')).toEqual({ line: '/digest', csv: true });
    expect(csvLine('/timeline csv')).toEqual({ line: '/timeline csv', csv: false });
    expect(csvLine('xiaomi may csv')).toEqual({ line: 'xiaomi may csv', csv: false });
  });

  it('with public, in either order; a line that is only the word is left as typed', () => {
    expect(splitLineWords('/sales xiaomi may public csv')).toEqual({ line: '/sales xiaomi may', public: true, csv: true });
    expect(splitLineWords('/compare xiaomi huawei csv public')).toEqual({ line: '/compare xiaomi huawei', public: true, csv: true });
    expect(splitLineWords('who led in may public')).toEqual({ line: 'who led in may', public: true, csv: false });
    expect(splitLineWords('public')).toEqual({ line: 'public', public: false, csv: false });
  });
});
