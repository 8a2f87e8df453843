import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  CKA_NOT_POSITIVE_REASON,
  ckaFromGrams,
  ckaMatrix,
  linearCka,
} from '../../../src/analysis/cka';
import { crossProducts, gramMatrix } from '../../../src/analysis/gram';
import { createRng, matmul, normalMatrix, orthogonalMatrix } from './random';

import type { CkaEstimator } from '../../../src/analysis/cka';

// linearCka of the seed-42 example below; the same test checks them against the O(n³) reference.
const GOLDEN_UNBIASED = 0.19225370541909453;
const GOLDEN_BIASED = 0.3850962713495481;

/** Textbook HSIC straight from the matrix formulas, O(n³), as an independent reference. */
function referenceHsic(k: Float64Array, l: Float64Array, n: number, estimator: CkaEstimator): number {
  const at = (m: Float64Array, i: number, j: number): number => m[i * n + j];
  if (estimator === 'biased') {
    // tr(K H L H) / (n-1)² with H = I - 11ᵀ/n built explicitly.
    const h = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) h[i * n + j] = (i === j ? 1 : 0) - 1 / n;
    const khlh = matmul(matmul(matmul(k, h, n, n, n), l, n, n, n), h, n, n, n);
    let trace = 0;
    for (let i = 0; i < n; i++) trace += at(khlh, i, i);
    return trace / (n - 1) ** 2;
  }
  const kt = Float64Array.from(k);
  const lt = Float64Array.from(l);
  for (let i = 0; i < n; i++) {
    kt[i * n + i] = 0;
    lt[i * n + i] = 0;
  }
  const kl = matmul(kt, lt, n, n, n);
  let trace = 0;
  let sumK = 0;
  let sumL = 0;
  let sumKL = 0;
  for (let i = 0; i < n; i++) {
    trace += at(kl, i, i);
    for (let j = 0; j < n; j++) {
      sumK += at(kt, i, j);
      sumL += at(lt, i, j);
      sumKL += at(kl, i, j);
    }
  }
  return (trace + (sumK * sumL) / ((n - 1) * (n - 2)) - (2 / (n - 2)) * sumKL) / (n * (n - 3));
}

function referenceCka(x: Float64Array, y: Float64Array, n: number, dx: number, dy: number, estimator: CkaEstimator): number {
  const k = gramMatrix(x, n, dx);
  const l = gramMatrix(y, n, dy);
  return referenceHsic(k, l, n, estimator) / Math.sqrt(referenceHsic(k, k, n, estimator) * referenceHsic(l, l, n, estimator));
}

function meanCka(n: number, d: number, estimator: CkaEstimator, seeds = 20): number {
  let sum = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const rng = createRng(seed);
    const x = normalMatrix(rng, n, d);
    const y = normalMatrix(rng, n, d);
    const result = linearCka({ values: x, d }, { values: y, d }, n, estimator);
    expect(result.value).not.toBeNull();
    sum += result.value ?? NaN;
  }
  return sum / seeds;
}

describe('gramMatrix', () => {
  it('gramMatrix equals the naive X Xᵀ, tails included, within 1e-12', () => {
    for (const [n, d] of [[1, 1], [7, 5], [9, 3], [10, 1]] as const) {
      const x = normalMatrix(createRng(n * 31 + d), n, d);
      const gram = gramMatrix(Float32Array.from(x), n, d);
      const x32 = Float32Array.from(x);
      expect(gram.length).toBe(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let dot = 0;
          for (let c = 0; c < d; c++) dot += x32[i * d + c] * x32[j * d + c];
          expect(Math.abs(gram[i * n + j] - dot)).toBeLessThanOrEqual(1e-12);
          expect(gram[i * n + j]).toBe(gram[j * n + i]);
        }
      }
    }
  });

  it('crossProducts equals the naive A Bᵀ for sizes that exercise every kernel tail, within 1e-12', () => {
    const [n, m, d] = [6, 7, 3];
    const rng = createRng(5);
    const a = normalMatrix(rng, n, d);
    const b = normalMatrix(rng, m, d);
    const out = crossProducts(a, b, n, m, d);
    expect(out.length).toBe(n * m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let dot = 0;
        for (let c = 0; c < d; c++) dot += a[i * d + c] * b[j * d + c];
        expect(Math.abs(out[i * m + j] - dot)).toBeLessThanOrEqual(1e-12);
      }
    }
  });

  it('gramMatrix rejects a length that does not match [n, d]', () => {
    expect(() => gramMatrix(new Float64Array(10), 3, 4)).toThrow(/gramMatrix: expected a \[3, 4\] matrix of length 12, got length 10/);
  });
});

describe('linearCka', () => {
  it('linearCka matches the O(n³) textbook formulas for both estimators within 1e-10 (seeded golden)', () => {
    const rng = createRng(42);
    const [n, dx, dy] = [12, 5, 3];
    const x = normalMatrix(rng, n, dx);
    const y = normalMatrix(rng, n, dy);
    for (let i = 0; i < n * dy; i++) y[i] += 0.5 * x[Math.floor(i / dy) * dx + (i % dy)];
    for (const estimator of ['unbiased', 'biased'] as const) {
      const result = linearCka({ values: x, d: dx }, { values: y, d: dy }, n, estimator);
      expect(result.estimator).toBe(estimator);
      expect(result.n).toBe(n);
      expect(result.value).not.toBeNull();
      expect(Math.abs((result.value ?? NaN) - referenceCka(x, y, n, dx, dy, estimator))).toBeLessThanOrEqual(1e-10);
    }
    // Regression values from this seed, checked against the reference above.
    expect(linearCka({ values: x, d: dx }, { values: y, d: dy }, n).value).toBeCloseTo(GOLDEN_UNBIASED, 10);
    expect(linearCka({ values: x, d: dx }, { values: y, d: dy }, n, 'biased').value).toBeCloseTo(GOLDEN_BIASED, 10);
  });

  it('linearCka of a representation with itself is 1 within 1e-9 for both estimators', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 4, max: 40 }), fc.integer({ min: 1, max: 20 }), (seed, n, d) => {
        const x = normalMatrix(createRng(seed), n, d);
        for (const estimator of ['unbiased', 'biased'] as const) {
          const value = linearCka({ values: x, d }, { values: x, d }, n, estimator).value;
          expect(value).not.toBeNull();
          expect(Math.abs((value ?? NaN) - 1)).toBeLessThanOrEqual(1e-9);
        }
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('linearCka of X and XQ with Q a random orthogonal matrix is 1 within 1e-6 at n = 32 (B16)', () => {
    const rng = createRng(16);
    const [n, d] = [32, 64];
    const x = normalMatrix(rng, n, d);
    const xq = matmul(x, orthogonalMatrix(rng, d), n, d, d);
    for (const estimator of ['unbiased', 'biased'] as const) {
      const value = linearCka({ values: x, d }, { values: xq, d }, n, estimator).value ?? NaN;
      expect(Math.abs(value - 1)).toBeLessThanOrEqual(1e-6);
    }
  });

  it('linearCka is unchanged by an orthogonal transform or an isotropic scaling of one side, within 1e-6', () => {
    const rng = createRng(3);
    const [n, dx, dy] = [40, 16, 8];
    const x = normalMatrix(rng, n, dx);
    const y = normalMatrix(rng, n, dy);
    for (let i = 0; i < n * dy; i++) y[i] += x[Math.floor(i / dy) * dx + (i % dy)];
    const xq = matmul(x, orthogonalMatrix(rng, dx), n, dx, dx);
    const scaled = y.map((v) => 37.5 * v);
    for (const estimator of ['unbiased', 'biased'] as const) {
      const base = linearCka({ values: x, d: dx }, { values: y, d: dy }, n, estimator).value ?? NaN;
      const rotated = linearCka({ values: xq, d: dx }, { values: y, d: dy }, n, estimator).value ?? NaN;
      const rescaled = linearCka({ values: x, d: dx }, { values: scaled, d: dy }, n, estimator).value ?? NaN;
      expect(Math.abs(rotated - base)).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(rescaled - base)).toBeLessThanOrEqual(1e-6);
    }
  });

  it('linearCka changes by more than 0.01 under a non-isotropic scaling of the features', () => {
    const rng = createRng(4);
    const [n, d] = [40, 8];
    const x = normalMatrix(rng, n, d);
    const stretched = x.map((v, i) => (i % d === 0 ? 20 * v : v));
    const value = linearCka({ values: x, d }, { values: stretched, d }, n).value ?? NaN;
    expect(Number.isFinite(value)).toBe(true);
    expect(Math.abs(value - 1)).toBeGreaterThan(0.01);
  });

  it('linearCka ignores a shared offset of the features, within 1e-9, also through uncentred Grams', () => {
    const rng = createRng(8);
    const [n, d] = [30, 6];
    const x = normalMatrix(rng, n, d);
    const y = normalMatrix(rng, n, d).map((v, i) => v + 0.7 * x[i]);
    const shifted = x.map((v, i) => v + 3 + (i % d));
    for (const estimator of ['unbiased', 'biased'] as const) {
      const base = linearCka({ values: x, d }, { values: y, d }, n, estimator).value ?? NaN;
      const moved = linearCka({ values: shifted, d }, { values: y, d }, n, estimator).value ?? NaN;
      const fromRawGrams = ckaFromGrams(gramMatrix(shifted, n, d), gramMatrix(y, n, d), n, estimator).value ?? NaN;
      expect(Math.abs(moved - base)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(fromRawGrams - base)).toBeLessThanOrEqual(1e-9);
    }
  });

  it('unbiased linearCka of independent normals (d = 64, 20 seeds) averages within 0.02 of 0 at n = 32 and 0.003 at n = 128 (B16)', () => {
    expect(Math.abs(meanCka(32, 64, 'unbiased'))).toBeLessThanOrEqual(0.02);
    expect(Math.abs(meanCka(128, 64, 'unbiased'))).toBeLessThanOrEqual(0.003);
  });

  it('biased linearCka of independent normals (d = 64) stays well above 0, near d/(n+d) within 0.01, and falls with n (B16)', () => {
    const means = [32, 64, 128, 256].map((n) => meanCka(n, 64, 'biased'));
    [32, 64, 128, 256].forEach((n, i) => expect(Math.abs(means[i] - 64 / (n + 64))).toBeLessThanOrEqual(0.01));
    for (let i = 1; i < means.length; i++) expect(means[i]).toBeLessThan(means[i - 1]);
  });

  it('biased linearCka of independent normals with d = 8 reproduces the reported 0.198, 0.114, 0.056, 0.029 within 0.02, about 3 standard errors of a 20-seed mean at n = 32 (B16 source numbers)', () => {
    const reported = [0.198, 0.114, 0.056, 0.029];
    [32, 64, 128, 256].forEach((n, i) => expect(Math.abs(meanCka(n, 8, 'biased') - reported[i])).toBeLessThanOrEqual(0.02));
  });

  it('unbiased linearCka returns a negative estimate as a number, not null', () => {
    const values: (number | null)[] = [];
    for (let seed = 0; seed < 20; seed++) {
      const rng = createRng(seed);
      const x = normalMatrix(rng, 32, 64);
      const y = normalMatrix(rng, 32, 64);
      values.push(linearCka({ values: x, d: 64 }, { values: y, d: 64 }, 32).value);
    }
    expect(values.every((v) => v !== null)).toBe(true);
    expect(values.some((v) => v !== null && v < 0)).toBe(true);
  });

  it('unbiased linearCka is null with a reason below n = 4, where the estimator divides by n - 3', () => {
    const x = normalMatrix(createRng(1), 3, 4);
    const result = linearCka({ values: x, d: 4 }, { values: x, d: 4 }, 3);
    expect(result.value).toBeNull();
    expect(result.reason).toBe('undefined: the unbiased HSIC estimator needs n >= 4 samples (got n = 3)');
    expect(result.estimator).toBe('unbiased');
  });

  it('linearCka is null with the not-positive reason for a representation without variation, for both estimators', () => {
    const rng = createRng(2);
    const y = normalMatrix(rng, 8, 3);
    const constant = new Float32Array(8 * 3).map((_, i) => [0.1, -2, 7][i % 3]);
    for (const estimator of ['unbiased', 'biased'] as const) {
      const result = linearCka({ values: constant, d: 3 }, { values: y, d: 3 }, 8, estimator);
      expect(result).toEqual({ value: null, estimator, n: 8, reason: CKA_NOT_POSITIVE_REASON });
    }
  });

  it('ckaFromGrams treats a self term that is only rounding residue as not positive (Gram of a constant, uncentred)', () => {
    const n = 9;
    const constantGram = new Float64Array(n * n).fill(14.000000000000002);
    const other = gramMatrix(normalMatrix(createRng(6), n, 2), n, 2);
    for (const estimator of ['unbiased', 'biased'] as const) {
      const result = ckaFromGrams(constantGram, other, n, estimator);
      expect(result.value).toBeNull();
      expect(result.reason).toBe(CKA_NOT_POSITIVE_REASON);
    }
  });

  it('linearCka is null with a reason, never NaN, when a representation holds NaN', () => {
    const x = normalMatrix(createRng(9), 10, 3);
    const y = Float64Array.from(x);
    y[4] = NaN;
    const result = linearCka({ values: x, d: 3 }, { values: y, d: 3 }, 10);
    expect(result.value).toBeNull();
    expect(result.reason).toBe('undefined: a representation contains NaN or infinite values');
  });
});

describe('ckaMatrix', () => {
  it('ckaMatrix equals pairwise linearCka within 1e-12, is symmetric with a unit diagonal, and marks an undefined row', () => {
    const rng = createRng(11);
    const n = 24;
    const a = normalMatrix(rng, n, 5);
    const b = normalMatrix(rng, n, 9).map((v, i) => v + a[Math.floor(i / 9) * 5 + (i % 5)]);
    const c = normalMatrix(rng, n, 3);
    const constant = new Float64Array(n * 2).fill(1.5);
    const reps = [{ values: a, d: 5 }, { values: b, d: 9 }, { values: c, d: 3 }, { values: constant, d: 2 }];
    for (const estimator of ['unbiased', 'biased'] as const) {
      const result = ckaMatrix(reps, n, estimator);
      expect(result.size).toBe(4);
      expect(result.values.length).toBe(16);
      expect(result.reasons.length).toBe(16);
      for (let s = 0; s < 3; s++) {
        expect(Math.abs(result.values[s * 4 + s] - 1)).toBeLessThanOrEqual(1e-9);
        for (let t = 0; t < 3; t++) {
          const pair = linearCka(reps[s], reps[t], n, estimator).value ?? NaN;
          expect(Math.abs(result.values[s * 4 + t] - pair)).toBeLessThanOrEqual(1e-12);
          expect(result.values[s * 4 + t]).toBe(result.values[t * 4 + s]);
          expect(result.reasons[s * 4 + t]).toBeNull();
        }
        expect(result.values[s * 4 + 3]).toBeNaN();
        expect(result.reasons[3 * 4 + s]).toBe(CKA_NOT_POSITIVE_REASON);
      }
    }
  });

  it('ckaMatrix rejects a representation whose length does not match n', () => {
    expect(() => ckaMatrix([{ values: new Float64Array(12), d: 3 }, { values: new Float64Array(10), d: 3 }], 4)).toThrow(
      /ckaMatrix \(reps\[1\]\): expected a \[4, 3\] matrix of length 12, got length 10/,
    );
  });
});
