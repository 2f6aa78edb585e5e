import { describe, expect, it } from 'vitest';
import { formatDate, formatMonth, parseMonth, previousMonth } from '../../src/sales/months.js';

const known = ['2024-04', '2025-04', '2025-05'];

describe('parseMonth', () => {
  it.each([
    ['april', '2025-04'], ['April', '2025-04'], ['apr', '2025-04'], ['Apr.', '2025-04'], ['APRIL', '2025-04'],
    ['April 2025', '2025-04'], ['april, 2024', '2024-04'], ['2025 april', '2025-04'], ['apr 2024', '2024-04'],
    ['2025-04', '2025-04'], ['2024-4', '2024-04'], ['2025/05', '2025-05'], ['04/2025', '2025-04'], ['4/2024', '2024-04'],
    ['4月', '2025-04'], ['5月', '2025-05'], ['5月份', '2025-05'], ['2025年4月', '2025-04'], ['2024年4月', '2024-04'],
    ['４月', '2025-04'], ['may', '2025-05'], ['sept', '2025-09'], ['2023-12', '2023-12'],
  ])('%s → %s', (text, month) => {
    expect(parseMonth(text, known)).toMatchObject({ ok: true, month });
  });

  it('picks the latest year that has data for a month given without a year', () => {
    expect(parseMonth('april', ['2023-04', '2024-04', '2022-05'])).toMatchObject({ month: '2024-04', yearGiven: false });
    // No data for that month in any year: the newest year with data.
    expect(parseMonth('july', known)).toMatchObject({ month: '2025-07' });
  });

  it.each(['', 'ma', 'aprill', '13/2025', '2025-13', '0月', 'next tuesday', 'xiaomi', '99999', '2025-04-01'])('rejects %s', (text) => {
    expect(parseMonth(text, known).ok).toBe(false);
  });
});

describe('formatting', () => {
  it('keeps a date at its own precision', () => {
    expect(formatDate('2021')).toBe('2021');
    expect(formatDate('2025-04')).toBe('April 2025');
    expect(formatDate('2025-05-30')).toBe('May 30, 2025');
    expect(formatMonth('2025-06')).toBe('June 2025');
    expect(previousMonth('2025-01')).toBe('2024-12');
    expect(previousMonth('2025-05')).toBe('2025-04');
  });
});
