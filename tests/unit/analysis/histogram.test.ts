import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { histogram } from '../../../src/analysis/histogram';

describe('histogram', () => {
  it('histogram counts values into half-open bins with the top edge closed, and counts outliers and NaN apart', () => {
    const values = new Float64Array([0, 0.25, 0.5, 0.99, 1, -0.1, 1.5, NaN, -Infinity, Infinity]);
    const result = histogram(values, { bins: 4, domain: [0, 1] });
    expect(Array.from(result.edges)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(Array.from(result.counts)).toEqual([1, 1, 1, 2]);
    expect(result.below).toBe(2);
    expect(result.above).toBe(2);
    expect(result.missing).toBe(1);
  });

  it('histogram defaults its domain to the finite range and widens a single value by 0.5', () => {
    const ranged = histogram(new Float32Array([2, 4, Infinity]), { bins: 2 });
    expect(Array.from(ranged.edges)).toEqual([2, 3, 4]);
    expect(Array.from(ranged.counts)).toEqual([1, 1]);
    expect(ranged.above).toBe(1);
    const single = histogram(new Float64Array([5, 5]), { bins: 1 });
    expect(Array.from(single.edges)).toEqual([4.5, 5.5]);
    expect(Array.from(single.counts)).toEqual([2]);
  });

  it('histogram of values with nothing finite has NaN edges, zero counts and every value accounted for', () => {
    const result = histogram(new Float64Array([NaN, Infinity, -Infinity, NaN]), { bins: 3 });
    expect(Array.from(result.edges).every(Number.isNaN)).toBe(true);
    expect(Array.from(result.counts)).toEqual([0, 0, 0]);
    expect([result.below, result.above, result.missing]).toEqual([1, 1, 2]);
  });

  it('histogram counts plus below, above and missing always add up to the number of values', () => {
    const value = fc.oneof(fc.double({ min: -2, max: 2, noNaN: true }), fc.constant(NaN), fc.constant(1), fc.constant(-1));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 60 }), fc.integer({ min: 1, max: 9 }), (values, bins) => {
        const result = histogram(Float64Array.from(values), { bins, domain: [-1, 1] });
        const inBins = result.counts.reduce((a, b) => a + b, 0);
        expect(inBins + result.below + result.above + result.missing).toBe(values.length);
        const inside = values.filter((v) => v >= -1 && v <= 1).length;
        expect(inBins).toBe(inside);
      }),
      { numRuns: 200, seed: 4 },
    );
  });

  it('histogram rejects an empty or reversed domain with the values in the message', () => {
    expect(() => histogram(new Float64Array([1]), { bins: 2, domain: [1, 1] })).toThrow(/histogram: domain must be finite with low < high, got \[1, 1\]/);
    expect(() => histogram(new Float64Array([1]), { bins: 0 })).toThrow(/histogram: bins must be a positive integer, got 0/);
  });
});
