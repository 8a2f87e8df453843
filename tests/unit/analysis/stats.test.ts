import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { averageRanks, mean, pearson } from '../../../src/analysis/stats';

describe('stats', () => {
  it('averageRanks gives tied values the mean of their positions', () => {
    expect(Array.from(averageRanks(new Float64Array([10, 20, 20, 5])))).toEqual([2, 3.5, 3.5, 1]);
    expect(Array.from(averageRanks(new Float32Array([3, 3, 3])))).toEqual([2, 2, 2]);
  });

  it('averageRanks sums to m(m+1)/2 and follows a permutation of its input, exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -4, max: 4 }), { minLength: 1, maxLength: 40 }), (values) => {
        const ranks = averageRanks(Float64Array.from(values));
        const m = values.length;
        expect(ranks.reduce((a, b) => a + b, 0)).toBe((m * (m + 1)) / 2);
        const reversed = averageRanks(Float64Array.from(values).reverse());
        expect(Array.from(reversed)).toEqual(Array.from(ranks).reverse());
      }),
      { numRuns: 100, seed: 1 },
    );
  });

  it('averageRanks of 10,000 values in 5 tied groups gives each group the mid-rank of its block, exactly', () => {
    const values = Float64Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 5);
    const ranks = averageRanks(values);
    // Each value 0..4 appears 2,000 times, so group g occupies positions 2000g+1 .. 2000g+2000.
    for (let i = 0; i < values.length; i++) expect(ranks[i]).toBe(2000 * values[i] + 1000.5);
  });

  it('averageRanks rejects NaN, names its index and says to drop missing values first', () => {
    expect(() => averageRanks(new Float64Array([1, NaN]))).toThrow(/values must not contain NaN \(first at index 1 of 2\); drop missing values first/);
  });

  it('mean of an empty array is NaN, a missing value rather than 0', () => {
    expect(mean(new Float64Array(0))).toBeNaN();
    expect(mean(new Float32Array([1, 2, 6]))).toBe(3);
  });

  it('pearson is 1 for a positive affine relation and NaN for a constant series, within 1e-12', () => {
    expect(Math.abs(pearson(new Float64Array([1, 2, 4]), new Float64Array([3, 5, 9])) - 1)).toBeLessThanOrEqual(1e-12);
    expect(pearson(new Float64Array([1, 2, 4]), new Float64Array([2, 2, 2]))).toBeNaN();
  });
});
