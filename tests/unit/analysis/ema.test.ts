import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { debiasedEma } from '../../../src/analysis/ema';

/** loss = 10 at step 0, then 1 for steps 1..999 (CASES.md B23). */
function outlierFirstRun(): Float64Array {
  const values = new Float64Array(1000).fill(1);
  values[0] = 10;
  return values;
}

describe('debiasedEma', () => {
  it('debiasedEma with weight 0.99 after an outlying first loss gives 5.48, 1.78, 1.052 and 1.0006 at steps 1, 10, 100, 500 (B23)', () => {
    const smoothed = debiasedEma(outlierFirstRun(), 0.99);
    expect(smoothed.length).toBe(1000);
    expect(smoothed[0]).toBeCloseTo(10, 12);
    expect(Math.abs(smoothed[1] - 5.48)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(smoothed[10] - 1.78)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(smoothed[100] - 1.052)).toBeLessThanOrEqual(0.0005);
    expect(Math.abs(smoothed[500] - 1.0006)).toBeLessThanOrEqual(0.00005);
  });

  it('debiasedEma stays below the x0-seeded EMA, which B23 puts at 9.91, 9.14, 4.29 and 1.06', () => {
    const smoothed = debiasedEma(outlierFirstRun(), 0.99);
    [1, 10, 100, 500].forEach((step, i) => expect(smoothed[step]).toBeLessThan([9.91, 9.14, 4.29, 1.06][i] - 0.05));
  });

  it('debiasedEma of a run prefix equals the prefix of the full run exactly, so import length does not matter', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 80 }), fc.nat(), (values, cut) => {
        const full = debiasedEma(Float64Array.from(values), 0.9);
        const length = cut % values.length;
        expect(Array.from(debiasedEma(Float64Array.from(values.slice(0, length)), 0.9))).toEqual(Array.from(full.subarray(0, length)));
      }),
      { numRuns: 100, seed: 5 },
    );
  });

  it('debiasedEma gives NaN at a NaN or infinite input and later values as if that point were absent', () => {
    const withGaps = debiasedEma(new Float32Array([4, NaN, 2, Infinity, 3]), 0.5);
    const without = debiasedEma(new Float32Array([4, 2, 3]), 0.5);
    expect(withGaps[1]).toBeNaN();
    expect(withGaps[3]).toBeNaN();
    expect([withGaps[0], withGaps[2], withGaps[4]]).toEqual(Array.from(without));
  });

  it('debiasedEma with weight 0 returns the input and rejects a weight of 1', () => {
    expect(Array.from(debiasedEma(new Float64Array([3, -1, 2]), 0))).toEqual([3, -1, 2]);
    expect(() => debiasedEma(new Float64Array([1]), 1)).toThrow(/debiasedEma: weight must be in \[0, 1\), got 1/);
  });
});
