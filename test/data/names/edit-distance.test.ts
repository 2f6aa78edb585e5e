import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedDistance, DistanceRows, editDistance, typoBudget } from '../../../src/data/names/edit-distance.js';
import { partitionPoint } from '../../../src/data/names/partition-point.js';

describe('edit distance', () => {
  it.each([['xiomi', 'xiaomi', 1], ['hauwei', 'huawei', 1], ['ab', 'ba', 1], ['', 'abc', 3], ['chery', 'chery', 0]])('%s to %s is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it('the banded distance is the full one up to its budget, and budget + 1 past it', () => {
    const rows = new DistanceRows();
    const word = fc.string({ unit: fc.constantFrom(...'abcxy'), maxLength: 12 });
    fc.assert(
      fc.property(word, word, fc.nat(3), (a, b, max) => {
        expect(boundedDistance(a, b, max, rows)).toBe(Math.min(editDistance(a, b), max + 1));
      }),
      { seed: 4, numRuns: 500 },
    );
  });

  it('allows no typo up to 3 characters, one up to 5, two beyond', () => {
    expect([3, 4, 5, 6, 20].map(typoBudget)).toEqual([0, 1, 1, 2, 2]);
  });
});

describe('partitionPoint', () => {
  it('finds the first position without the property, within the run', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 })), fc.integer({ min: 0, max: 20 }), (values, cut) => {
        const sorted = [...values].sort((a, b) => a - b);
        const expected = sorted.findIndex((v) => v >= cut);
        expect(partitionPoint(0, sorted.length, (p) => sorted[p]! < cut)).toBe(expected === -1 ? sorted.length : expected);
      }),
      { seed: 5 },
    );
  });
});
