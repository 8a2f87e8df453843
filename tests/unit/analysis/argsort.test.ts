import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { argsort } from '../../../src/analysis/argsort';
import { createRng } from './random';

describe('argsort', () => {
  it('argsort orders negatives, both zeros, subnormals and infinities ascending and keeps ties stable', () => {
    const values = new Float64Array([3, -0, -Infinity, 5e-324, 0, -2.5, Infinity, -5e-324, 3]);
    expect(Array.from(argsort(values))).toEqual([2, 5, 7, 1, 4, 3, 0, 8, 6]);
  });

  it('argsort agrees with a stable comparator sort on random doubles and integers', () => {
    const value = fc.oneof(fc.double({ noNaN: true }), fc.integer({ min: -3, max: 3 }));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 80 }), (values) => {
        const expected = values
          .map((_, i) => i)
          .sort((a, b) => (values[a] === values[b] ? a - b : values[a] < values[b] ? -1 : 1));
        expect(Array.from(argsort(Float64Array.from(values)))).toEqual(expected);
      }),
      { numRuns: 200, seed: 8 },
    );
  });

  it('argsort takes the radix path for 20,000 values and still matches a stable comparator sort exactly', () => {
    const rng = createRng(10);
    const pool = [-0, 0, -Infinity, Infinity, 5e-324, -5e-324, 1e308, -1e308, 0.5, -0.5];
    const values = Float64Array.from({ length: 20_000 }, (_, i) =>
      i % 7 === 0 ? pool[Math.floor(rng() * pool.length)] : (rng() - 0.5) * 10 ** Math.floor(rng() * 12 - 6),
    );
    const expected = Array.from(values, (_, i) => i).sort((a, b) =>
      values[a] === values[b] ? a - b : values[a] < values[b] ? -1 : 1,
    );
    expect(Array.from(argsort(values))).toEqual(expected);
  });

  it('argsort of float32 input sorts the widened values', () => {
    expect(Array.from(argsort(new Float32Array([0.5, -1, 0.25])))).toEqual([1, 2, 0]);
  });
});
