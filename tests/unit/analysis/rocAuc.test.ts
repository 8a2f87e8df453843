import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { rocAuc } from '../../../src/analysis/rocAuc';

/** Brute-force P x Q comparison count, ties 1/2. */
function bruteAuc(positives: number[], negatives: number[]): number {
  let u = 0;
  for (const p of positives) for (const q of negatives) u += p > q ? 1 : p === q ? 0.5 : 0;
  return u / (positives.length * negatives.length);
}

describe('rocAuc', () => {
  it('rocAuc is 1 for perfect separation, 0 when reversed and 0.5 when every score ties', () => {
    expect(rocAuc(new Float64Array([3, 4, 5]), new Float64Array([0, 1, 2]))).toBe(1);
    expect(rocAuc(new Float64Array([0, 1]), new Float64Array([2, 3, 4]))).toBe(0);
    expect(rocAuc(new Float32Array([0.7, 0.7]), new Float32Array([0.7, 0.7, 0.7]))).toBe(0.5);
  });

  it('rocAuc of the hand-worked 3 x 3 example [0.9, 0.5, 0.3] vs [0.5, 0.2, 0.1] is 7.5/9 within 1e-15', () => {
    // 0.9 beats all 3; 0.5 beats 0.2 and 0.1 and ties 0.5 (2.5); 0.3 beats 0.2 and 0.1 (2).
    expect(Math.abs(rocAuc(new Float64Array([0.9, 0.5, 0.3]), new Float64Array([0.5, 0.2, 0.1])) - 7.5 / 9)).toBeLessThanOrEqual(1e-15);
  });

  it('rocAuc equals the brute-force pair count on data full of ties, within 1e-12', () => {
    const scores = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(scores, scores, (positives, negatives) => {
        const auc = rocAuc(Float64Array.from(positives), Float64Array.from(negatives));
        expect(Math.abs(auc - bruteAuc(positives, negatives))).toBeLessThanOrEqual(1e-12);
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('rocAuc skips NaN scores and is NaN when one side has none left', () => {
    expect(rocAuc(new Float64Array([NaN, 2, 3]), new Float64Array([1, NaN]))).toBe(1);
    expect(rocAuc(new Float64Array([NaN]), new Float64Array([1]))).toBeNaN();
    expect(rocAuc(new Float64Array([1]), new Float64Array(0))).toBeNaN();
  });
});
