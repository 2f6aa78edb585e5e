import { describe, expect, it } from 'vitest';
import { describe as describeFigure, difference, type Figure } from '../../src/sales/figures.js';

const exact = (n: number): Figure => ({ lo: n, hi: n, approximate: false });
const atLeast = (n: number): Figure => ({ lo: n, hi: Infinity, approximate: false });
const about = (n: number): Figure => ({ lo: n, hi: n, approximate: true });

describe('figures keep their bounds', () => {
  it('an exact gap is exact', () => {
    expect(describeFigure(difference(exact(28585), exact(27555)))).toBe('1,030');
  });
  it('a gap over a lower bound is an upper bound', () => {
    expect(describeFigure(difference(exact(44454), atLeast(28000)))).toBe('at most 16,454');
  });
  it('a change to a lower bound is a lower bound', () => {
    expect(describeFigure(difference(atLeast(28000), exact(28585)), { signed: true })).toBe('at least −585');
  });
  it('two lower bounds give no bound', () => {
    expect(describeFigure(difference(atLeast(5), atLeast(3)))).toBe('unknown');
  });
  it('approximate stays approximate', () => {
    expect(describeFigure(difference(about(1000), exact(400)), { signed: true })).toBe('about +600');
    expect(describeFigure(atLeast(28000))).toBe('at least 28,000');
  });
});
