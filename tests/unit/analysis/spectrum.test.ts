import { describe, expect, it } from 'vitest';

import { LabError } from '../../../src/io/errors';
import {
  covarianceEigenvalues,
  effectiveRank,
  participationRatio,
  singularValues,
  symmetricEigenvalues,
} from '../../../src/analysis/spectrum';
import { createRng, matmul, normalMatrix } from './random';

describe('symmetricEigenvalues', () => {
  it('symmetricEigenvalues of [[2, 1], [1, 2]] and of an indefinite diagonal are sorted descending within 1e-12', () => {
    const small = symmetricEigenvalues(new Float64Array([2, 1, 1, 2]), 2);
    [3, 1].forEach((v, i) => expect(Math.abs(small[i] - v)).toBeLessThanOrEqual(1e-12));
    const diagonal = symmetricEigenvalues(new Float32Array([-1, 0, 0, 0, 5, 0, 0, 0, 2]), 3);
    [5, 2, -1].forEach((v, i) => expect(Math.abs(diagonal[i] - v)).toBeLessThanOrEqual(1e-12));
  });

  it('symmetricEigenvalues rejects a non-symmetric matrix and prints the offending pair', () => {
    expect(() => symmetricEigenvalues(new Float64Array([1, 2, 0, 1]), 2)).toThrow(/not symmetric: a\[0\]\[1\] = 2 but a\[1\]\[0\] = 0/);
  });
});

describe('covarianceEigenvalues', () => {
  it('covarianceEigenvalues of 100 samples in 512-d has numerical rank 99, no NaN, and only exact zeros below tolerance (B22)', () => {
    const x = Float32Array.from(normalMatrix(createRng(22), 100, 512));
    const spectrum = covarianceEigenvalues(x, 100, 512);
    expect(spectrum.values.length).toBe(512);
    expect(spectrum.numericalRank).toBe(99);
    expect(spectrum.values.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    const logPlotted = spectrum.values.subarray(0, spectrum.numericalRank);
    expect(logPlotted.every((v) => v > spectrum.tolerance && Number.isFinite(Math.log10(v)))).toBe(true);
    expect(spectrum.values.subarray(99).every((v) => v === 0)).toBe(true);
    for (let k = 1; k < 512; k++) expect(spectrum.values[k]).toBeLessThanOrEqual(spectrum.values[k - 1]);
    expect(Number.isFinite(effectiveRank(spectrum.values))).toBe(true);
  });

  it('covarianceEigenvalues agrees with the explicit covariance (divided by n - 1) on both solve paths, within 1e-10', () => {
    const rng = createRng(23);
    for (const [n, d] of [[20, 5], [5, 20]] as const) {
      const x = normalMatrix(rng, n, d).map((v, i) => v * (1 + (i % d)) + 4);
      const means = new Float64Array(d);
      for (let i = 0; i < n * d; i++) means[i % d] += x[i] / n;
      const covariance = new Float64Array(d * d);
      for (let i = 0; i < n; i++) {
        for (let a = 0; a < d; a++) {
          for (let b = 0; b < d; b++) covariance[a * d + b] += ((x[i * d + a] - means[a]) * (x[i * d + b] - means[b])) / (n - 1);
        }
      }
      const expected = symmetricEigenvalues(covariance, d);
      const spectrum = covarianceEigenvalues(x, n, d);
      expect(spectrum.numericalRank).toBe(Math.min(n - 1, d));
      for (let k = 0; k < spectrum.numericalRank; k++) expect(Math.abs(spectrum.values[k] - expected[k])).toBeLessThanOrEqual(1e-10);
    }
  });

  it('covarianceEigenvalues rejects NaN samples with a LabError that counts them and suggests a fix', () => {
    const x = new Float64Array(12).fill(1);
    x[3] = NaN;
    let thrown: unknown;
    try {
      covarianceEigenvalues(x, 4, 3);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LabError);
    expect((thrown as LabError).code).toBe('invalid_input');
    expect((thrown as LabError).message).toMatch(/1 of the 12 values in the \[4, 3\] input are NaN or infinite.*Drop the affected samples/);
  });
});

describe('singularValues', () => {
  it('singularValues of a 2048 x 128 projection-head weight has 128 positive values, descending', () => {
    const w = Float32Array.from(normalMatrix(createRng(24), 2048, 128));
    const spectrum = singularValues(w, 2048, 128);
    expect(spectrum.values.length).toBe(128);
    expect(spectrum.numericalRank).toBe(128);
    // Random-matrix theory: the values lie near sqrt(2048) ± sqrt(128).
    expect(spectrum.values[0]).toBeLessThan(Math.sqrt(2048) + Math.sqrt(128) + 2);
    expect(spectrum.values[127]).toBeGreaterThan(Math.sqrt(2048) - Math.sqrt(128) - 2);
  });

  it('singularValues of a rank-10 product reports numerical rank 10 with exact zeros after it', () => {
    const rng = createRng(25);
    const w = matmul(normalMatrix(rng, 60, 10), normalMatrix(rng, 10, 40), 60, 10, 40);
    const spectrum = singularValues(w, 60, 40);
    expect(spectrum.values.length).toBe(40);
    expect(spectrum.numericalRank).toBe(10);
    expect(spectrum.values.subarray(10).every((v) => v === 0)).toBe(true);
  });

  it('singularValues of a diagonal 2 x 3 matrix are the absolute diagonal within 1e-12', () => {
    const spectrum = singularValues(new Float64Array([-3, 0, 0, 0, 2, 0]), 2, 3);
    [3, 2].forEach((v, i) => expect(Math.abs(spectrum.values[i] - v)).toBeLessThanOrEqual(1e-12));
  });
});

describe('effectiveRank and participationRatio', () => {
  it('effectiveRank and participationRatio of a flat spectrum of 7 are 7, and of one direction are 1, within 1e-12', () => {
    const flat = new Float64Array([2, 2, 2, 2, 2, 2, 2, 0, 0]);
    expect(Math.abs(effectiveRank(flat) - 7)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(participationRatio(flat) - 7)).toBeLessThanOrEqual(1e-12);
    expect(effectiveRank(new Float64Array([5, 0, -1e-9]))).toBe(1);
    expect(participationRatio(new Float64Array([5, 0, -1e-9]))).toBe(1);
  });

  it('effectiveRank of [3, 1] is exp of the entropy of [0.75, 0.25] within 1e-12, and NaN with nothing positive', () => {
    const entropy = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
    expect(Math.abs(effectiveRank(new Float64Array([3, 1])) - Math.exp(entropy))).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(participationRatio(new Float64Array([3, 1])) - 16 / 10)).toBeLessThanOrEqual(1e-12);
    expect(effectiveRank(new Float64Array([0, -1]))).toBeNaN();
    expect(participationRatio(new Float64Array(0))).toBeNaN();
  });
});
