import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { sinkhornKnopp } from '../../../src/analysis/sinkhorn';
import { swavLoss } from '../../../src/analysis/swavLoss';
import { createRng, normalMatrix } from './random';

describe('swavLoss', () => {
  it('swavLoss of uniform scores and uniform codes is ln K within 1e-12', () => {
    const [b, k] = [4, 7];
    const scores = [0, 1, 2].map(() => new Float64Array(b * k).fill(0.2));
    const codes = [0, 1].map((v) => sinkhornKnopp(scores[v], b, k, { epsilon: 0.05, iterations: 3 }).codes);
    expect(Math.abs(swavLoss(scores, codes, 0.1, { batch: b, prototypes: k }) - Math.log(k))).toBeLessThanOrEqual(1e-12);
  });

  it('swavLoss of the hand-worked case, codes [0.5, 0.5] from view 0 and p = [1/4, 3/4] in view 1, is ln(16/3)/2 within 1e-12', () => {
    // t[0][1] = 0.5 ln(1/4) + 0.5 ln(3/4); view 0's own term is left out.
    const scores = [new Float64Array([5, -5]), new Float64Array([0, Math.log(3)])];
    const loss = swavLoss(scores, [new Float64Array([0.5, 0.5])], 1, { batch: 1, prototypes: 2 });
    expect(Math.abs(loss - Math.log(16 / 3) / 2)).toBeLessThanOrEqual(1e-12);
  });

  it('swavLoss averages over the other V - 1 views and the assigned views: a 3-view case by hand within 1e-12', () => {
    // p for views 0, 1, 2 (temperature 1): [1/2, 1/2], [1/4, 3/4], [1/5, 4/5].
    const scores = [new Float64Array([0, 0]), new Float64Array([0, Math.log(3)]), new Float64Array([0, Math.log(4)])];
    const q0 = new Float64Array([1, 0]);
    const q1 = new Float64Array([0, 1]);
    const fromQ0 = -(Math.log(1 / 4) + Math.log(1 / 5)) / 2; // views 1 and 2
    const fromQ1 = -(Math.log(1 / 2) + Math.log(4 / 5)) / 2; // views 0 and 2
    const loss = swavLoss(scores, [q0, q1], 1, { batch: 1, prototypes: 2 });
    expect(Math.abs(loss - (fromQ0 + fromQ1) / 2)).toBeLessThanOrEqual(1e-12);
  });

  it('swavLoss is finite, non-negative and unchanged by shuffling the batch consistently across views', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const rng = createRng(seed);
        const [b, k] = [6, 10];
        const scores = [0, 1].map(() => Float32Array.from(normalMatrix(rng, b, k).map((v) => v / 3)));
        const codes = scores.map((s) => sinkhornKnopp(s, b, k, { epsilon: 0.05, iterations: 3 }).codes);
        const loss = swavLoss(scores, codes, 0.1, { batch: b, prototypes: k });
        expect(Number.isFinite(loss) && loss >= 0).toBe(true);
        const order = [3, 0, 5, 1, 4, 2];
        const shuffle = (m: Float32Array | Float64Array): Float64Array => {
          const out = new Float64Array(m.length);
          order.forEach((from, to) => out.set(m.subarray(from * k, (from + 1) * k), to * k));
          return out;
        };
        const shuffled = swavLoss(scores.map(shuffle), codes.map(shuffle), 0.1, { batch: b, prototypes: k });
        expect(Math.abs(shuffled - loss)).toBeLessThanOrEqual(1e-12);
      }),
      { numRuns: 30, seed: 6 },
    );
  });

  it('swavLoss rejects a single view and mismatched shapes with the sizes in the message', () => {
    const one = new Float64Array(4);
    expect(() => swavLoss([one], [one], 0.1, { batch: 2, prototypes: 2 })).toThrow(/swavLoss: needs at least 2 views, got 1/);
    expect(() => swavLoss([one, new Float64Array(3)], [one], 0.1, { batch: 2, prototypes: 2 })).toThrow(
      /swavLoss \(scoresPerView\[1\]\): expected a \[2, 2\] matrix of length 4, got length 3/,
    );
  });
});
