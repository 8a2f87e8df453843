import { describe, expect, it } from 'vitest';

import { sinkhornKnopp } from '../../../src/analysis/sinkhorn';
import { createRng, normalMatrix } from './random';

import type { Rng } from './random';

/** Rows of a `[rows, cols]` normal matrix scaled to `norm`. */
function rowsOfNorm(rng: Rng, rows: number, cols: number, norm: number): Float64Array {
  const x = normalMatrix(rng, rows, cols);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += x[i * cols + c] ** 2;
    const scale = norm / Math.sqrt(s);
    for (let c = 0; c < cols; c++) x[i * cols + c] *= scale;
  }
  return x;
}

/** `[B, K]` scores = features `[B, D]` · prototypesᵀ `[K, D]`. */
function scoresOf(features: Float64Array, prototypes: Float64Array, b: number, k: number, d: number): Float64Array {
  const scores = new Float64Array(b * k);
  for (let i = 0; i < b; i++) {
    for (let p = 0; p < k; p++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += features[i * d + c] * prototypes[p * d + c];
      scores[i * k + p] = s;
    }
  }
  return scores;
}

/** Straight exp-domain transcription of the SwAV steps, float64, for moderate scores only. */
function referenceSinkhorn(scores: Float64Array, b: number, k: number, epsilon: number, iterations: number): Float64Array {
  const q = new Float64Array(k * b);
  let total = 0;
  for (let i = 0; i < b; i++) for (let p = 0; p < k; p++) total += (q[p * b + i] = Math.exp(scores[i * k + p] / epsilon));
  for (let t = 0; t < q.length; t++) q[t] /= total;
  for (let round = 0; round < iterations; round++) {
    for (let p = 0; p < k; p++) {
      let u = 0;
      for (let i = 0; i < b; i++) u += q[p * b + i];
      for (let i = 0; i < b; i++) q[p * b + i] *= 1 / k / u;
    }
    for (let i = 0; i < b; i++) {
      let c = 0;
      for (let p = 0; p < k; p++) c += q[p * b + i];
      for (let p = 0; p < k; p++) q[p * b + i] *= 1 / b / c;
    }
  }
  const codes = new Float64Array(b * k);
  for (let i = 0; i < b; i++) {
    let c = 0;
    for (let p = 0; p < k; p++) c += q[p * b + i];
    for (let p = 0; p < k; p++) codes[i * k + p] = q[p * b + i] / c;
  }
  return codes;
}

function maxAbsDeviation(values: Float64Array, target: number): number {
  let worst = 0;
  for (const v of values) worst = Math.max(worst, Math.abs(v - target));
  return worst;
}

function rowSumsOf(codes: Float64Array, b: number, k: number): Float64Array {
  const sums = new Float64Array(b);
  for (let i = 0; i < b; i++) for (let p = 0; p < k; p++) sums[i] += codes[i * k + p];
  return sums;
}

describe('sinkhornKnopp', () => {
  const [b, k, d] = [16, 3000, 128];

  it('sinkhornKnopp matches the exp-domain SwAV steps on seeded cosine scores within 1e-12 (golden)', () => {
    const rng = createRng(33);
    const scores = scoresOf(rowsOfNorm(rng, 8, 16, 1), rowsOfNorm(rng, 40, 16, 1), 8, 40, 16);
    const result = sinkhornKnopp(scores, 8, 40, { epsilon: 0.05, iterations: 3 });
    const expected = referenceSinkhorn(scores, 8, 40, 0.05, 3);
    expect(result.codes.length).toBe(8 * 40);
    expect(maxAbsDeviation(result.codes.map((v, i) => v - expected[i]), 0)).toBeLessThanOrEqual(1e-12);
  });

  it('sinkhornKnopp after 3 iterations on L2-normalised features (B = 16, K = 3000) has marginals 1/K and 1/B within 1e-4 and rows of 1 (B33 a)', () => {
    const rng = createRng(34);
    const scores = scoresOf(rowsOfNorm(rng, b, d, 1), rowsOfNorm(rng, k, d, 1), b, k, d);
    const result = sinkhornKnopp(Float32Array.from(scores), b, k, { epsilon: 0.05, iterations: 3 });
    expect(result.finite).toBe(true);
    expect(result.prototypeMass.length).toBe(k);
    expect(result.sampleMass.length).toBe(b);
    expect(maxAbsDeviation(result.prototypeMass, 1 / k)).toBeLessThanOrEqual(1e-4);
    expect(maxAbsDeviation(result.sampleMass, 1 / b)).toBeLessThanOrEqual(1e-4);
    expect(maxAbsDeviation(rowSumsOf(result.codes, b, k), 1)).toBeLessThanOrEqual(1e-12);
  });

  it('sinkhornKnopp with 200 iterations on random scores has marginals within 1e-9', () => {
    const rng = createRng(35);
    const scores = scoresOf(rowsOfNorm(rng, 12, 8, 1), rowsOfNorm(rng, 20, 8, 1), 12, 20, 8);
    const result = sinkhornKnopp(scores, 12, 20, { epsilon: 0.05, iterations: 200 });
    expect(maxAbsDeviation(result.prototypeMass, 1 / 20)).toBeLessThanOrEqual(1e-9);
    expect(maxAbsDeviation(result.sampleMass, 1 / 12)).toBeLessThanOrEqual(1e-9);
  });

  it('sinkhornKnopp stays finite for unnormalised features of norm 30 and 40, where exp(score / ε) overflows float32 and float64 (B33 b)', () => {
    for (const norm of [30, 40]) {
      const rng = createRng(36);
      const features = rowsOfNorm(rng, b, d, norm);
      const prototypes = rowsOfNorm(rng, k, d, 1);
      for (let c = 0; c < d; c++) prototypes[c] = features[c] / norm; // prototype 0 points at sample 0
      const scores = scoresOf(features, prototypes, b, k, d);
      let largest = -Infinity;
      for (const s of scores) largest = Math.max(largest, s);
      expect(Math.abs(largest - norm)).toBeLessThanOrEqual(1e-9);
      // The naive first step: exp(600) overflows float32 (limit ~88.7), exp(800) float64 (~709.8).
      expect(norm === 30 ? Math.fround(Math.exp(largest / 0.05)) : Math.exp(largest / 0.05)).toBe(Infinity);

      const result = sinkhornKnopp(scores, b, k, { epsilon: 0.05, iterations: 3 });
      expect(result.finite).toBe(true);
      expect(result.codes.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
      expect(maxAbsDeviation(rowSumsOf(result.codes, b, k), 1)).toBeLessThanOrEqual(1e-12);
      expect(maxAbsDeviation(result.sampleMass, 1 / b)).toBeLessThanOrEqual(1e-12);
      expect(result.prototypeMass.every(Number.isFinite)).toBe(true);
      // B33's absolute 1e-4 holds (measured ~4e-5), though it is loose next to 1/K = 3.3e-4.
      expect(maxAbsDeviation(result.prototypeMass, 1 / k)).toBeLessThanOrEqual(1e-4);
    }
  });

  it('sinkhornKnopp of uniform scores gives every code 1/K within 1e-15', () => {
    const result = sinkhornKnopp(new Float64Array(4 * 5).fill(0.3), 4, 5, { epsilon: 0.05, iterations: 3 });
    expect(maxAbsDeviation(result.codes, 1 / 5)).toBeLessThanOrEqual(1e-15);
  });

  it('sinkhornKnopp with 0 iterations is the row softmax of scores / ε within 1e-15', () => {
    const scores = new Float64Array([0, 0.05 * Math.log(3)]);
    const result = sinkhornKnopp(scores, 1, 2, { epsilon: 0.05, iterations: 0 });
    [0.25, 0.75].forEach((v, i) => expect(Math.abs(result.codes[i] - v)).toBeLessThanOrEqual(1e-15));
  });

  it('sinkhornKnopp flags NaN scores as not finite and rejects a non-positive epsilon', () => {
    expect(sinkhornKnopp(new Float64Array([0, NaN, 1, 2]), 2, 2, { epsilon: 0.05, iterations: 3 }).finite).toBe(false);
    expect(() => sinkhornKnopp(new Float64Array(4), 2, 2, { epsilon: 0, iterations: 3 })).toThrow(/sinkhornKnopp: epsilon must be finite and > 0, got 0/);
  });
});
