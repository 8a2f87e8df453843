import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { correlationRdm, rsaMatrix, spearman } from '../../../src/analysis/rsa';
import { createRng, normalMatrix } from './random';

describe('correlationRdm', () => {
  it('correlationRdm gives 1 - r between rows in upper-triangle row order, within 1e-12', () => {
    // Rows: x1 = 2 x0 (r = 1), x2 reversed (r = -1), x3 with r = 0.5 to x0 and -0.5 to x2.
    const x = new Float64Array([1, 2, 3, 2, 4, 6, 3, 2, 1, 1, 3, 2]);
    const rdm = correlationRdm(x, 4, 3);
    const expected = [0, 2, 0.5, 2, 0.5, 1.5];
    expect(rdm.values.length).toBe(6);
    expected.forEach((v, i) => expect(Math.abs(rdm.values[i] - v)).toBeLessThanOrEqual(1e-12));
    expect(Array.from(rdm.invalidSamples)).toEqual([]);
  });

  it('correlationRdm marks a zero-variance sample with NaN entries and reports its index', () => {
    const x = new Float32Array([1, 2, 3, 5, 5, 5, 3, 1, 2]);
    const rdm = correlationRdm(x, 3, 3);
    expect(rdm.values[0]).toBeNaN(); // (0, 1)
    expect(rdm.values[2]).toBeNaN(); // (1, 2)
    expect(Number.isFinite(rdm.values[1])).toBe(true); // (0, 2)
    expect(Array.from(rdm.invalidSamples)).toEqual([1]);
  });
});

describe('spearman', () => {
  it('spearman of a series and a strictly increasing transform of it is 1 within 1e-12', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const a = normalMatrix(createRng(seed), 1, 30);
        const b = a.map((v) => Math.exp(3 * v) + v ** 3);
        expect(Math.abs(spearman(a, b).value - 1)).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(spearman(a, b.map((v) => -v)).value + 1)).toBeLessThanOrEqual(1e-12);
      }),
      { numRuns: 30, seed: 2 },
    );
  });

  it('spearman with ties uses average ranks: [1,2,2,3] vs [1,3,2,4] gives 3/sqrt(10) within 1e-12', () => {
    const result = spearman(new Float64Array([1, 2, 2, 3]), new Float64Array([1, 3, 2, 4]));
    expect(result.pairCount).toBe(4);
    expect(Math.abs(result.value - 3 / Math.sqrt(10))).toBeLessThanOrEqual(1e-12);
  });

  it('spearman skips positions where either series is NaN', () => {
    const base = spearman(new Float64Array([1, 2, 2, 3]), new Float64Array([1, 3, 2, 4]));
    const padded = spearman(new Float64Array([1, NaN, 2, 7, 2, 3]), new Float64Array([1, 5, 3, NaN, 2, 4]));
    expect(padded.pairCount).toBe(4);
    expect(padded.value).toBe(base.value);
  });

  it('spearman is NaN with a reason when one series is all tied or fewer than two pairs remain', () => {
    const tied = spearman(new Float64Array([1, 1, 1]), new Float64Array([1, 2, 3]));
    expect(tied.value).toBeNaN();
    expect(tied.reason).toBe('undefined: every entry of one RDM is tied, so its ranks have no variance');
    const short = spearman(new Float64Array([1, NaN]), new Float64Array([1, 2]));
    expect(short.value).toBeNaN();
    expect(short.reason).toBe('undefined: needs at least 2 entries finite in both RDMs, got 1');
  });
});

describe('rsaMatrix', () => {
  it('rsaMatrix equals pairwise spearman of the RDMs within 1e-12, with a unit diagonal and zero-variance samples listed', () => {
    const rng = createRng(21);
    const n = 15;
    const a = normalMatrix(rng, n, 6);
    const b = a.map((v, i) => v + 0.5 * Math.sin(i));
    const c = normalMatrix(rng, n, 4);
    c.fill(2, 4 * 4, 5 * 4); // sample 4 of c is constant
    const reps = [{ values: a, d: 6 }, { values: b, d: 6 }, { values: c, d: 4 }];
    const result = rsaMatrix(reps, n);
    expect(result.size).toBe(3);
    expect(result.values.length).toBe(9);
    expect(result.invalidSamples.map((ids) => Array.from(ids))).toEqual([[], [], [4]]);
    for (let s = 0; s < 3; s++) {
      expect(Math.abs(result.values[s * 3 + s] - 1)).toBeLessThanOrEqual(1e-12);
      for (let t = 0; t < 3; t++) {
        const direct = spearman(correlationRdm(reps[s].values, n, reps[s].d).values, correlationRdm(reps[t].values, n, reps[t].d).values);
        expect(Math.abs(result.values[s * 3 + t] - direct.value)).toBeLessThanOrEqual(1e-12);
        expect(result.reasons[s * 3 + t]).toBeNull();
      }
    }
    expect(result.values[1]).toBeGreaterThan(0.5);
  });
});
