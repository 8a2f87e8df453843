/**
 * Sinkhorn-Knopp code assignment as SwAV computes it (Caron et al. 2020, "Unsupervised Learning
 * of Visual Features by Contrasting Cluster Assignments", Algorithm 1 and §A.1; REFERENCE.md §3.5
 * for self_supervised's version): Q = exp(scores / ε)ᵀ as K x B, divided by its total, then per
 * iteration rows scaled to sum 1/K and columns to 1/B, then columns normalised to 1.
 *
 * This version runs the same steps in the log domain (each scaling is a log-sum-exp), which is
 * the exp-domain algorithm with the global maximum subtracted taken to its limit: no exp overflows
 * for unnormalised scores (CASES.md B33 (b): scores near 30 with ε = 0.05 give exp(600)), and no
 * prototype row underflows to an all-zero row that would turn the next scaling into 0/0.
 */
import { assert } from '../io/errors';

import { assertCount, assertMatrix } from './shape';

import type { FloatArray } from './types';

/** Options for `sinkhornKnopp`. */
export interface SinkhornOptions {
  /** Entropic regularisation ε > 0; SwAV and self_supervised default to 0.05. */
  readonly epsilon: number;
  /** Number of row-then-column scaling rounds, an integer >= 0; SwAV uses 3. */
  readonly iterations: number;
}

/** Codes plus the marginals they were normalised from. */
export interface SinkhornResult {
  /** `[B, K]` row-major; row b is sample b's code over the K prototypes and sums to 1. */
  readonly codes: Float64Array;
  /**
   * Length K; row sums of the K x B matrix Q after the last iteration, before the final column
   * normalisation. Sinkhorn drives these to 1/K.
   */
  readonly prototypeMass: Float64Array;
  /** Length B; column sums of Q at the same point, 1/B up to rounding after any iteration. */
  readonly sampleMass: Float64Array;
  /** False when any code is NaN or infinite (only possible for non-finite scores). */
  readonly finite: boolean;
}

/**
 * Sinkhorn-Knopp codes for `scores` `[B, K]` row-major (sample b's similarity to prototype k,
 * cosines when features and prototypes are L2-normalised). With a feature queue, pass the batch
 * rows first and the queue rows after (`batch` = B + queue length) and keep the first B rows of
 * `codes`, as SwAV does.
 * Returns float64 codes `[B, K]` whose rows sum to 1.
 */
export function sinkhornKnopp(
  scores: FloatArray,
  batch: number,
  prototypes: number,
  options: SinkhornOptions,
): SinkhornResult {
  const { epsilon, iterations } = options;
  assertMatrix('sinkhornKnopp', scores, batch, prototypes);
  assert(
    epsilon > 0 && Number.isFinite(epsilon),
    () => `sinkhornKnopp: epsilon must be finite and > 0, got ${epsilon}`,
  );
  assertCount('sinkhornKnopp', 'iterations', iterations, 0);

  // logQ is K x B row-major: logQ[k * B + b] = scores[b, k] / ε, then the total is divided out.
  const b = batch;
  const k = prototypes;
  const logQ = new Float64Array(k * b);
  for (let s = 0; s < b; s++) {
    for (let p = 0; p < k; p++) logQ[p * b + s] = scores[s * k + p] / epsilon;
  }
  shift(logQ, 0, 1, k * b, -logSumExp(logQ, 0, 1, k * b));

  const logRowTarget = -Math.log(k);
  const logColumnTarget = -Math.log(b);
  for (let round = 0; round < iterations; round++) {
    for (let p = 0; p < k; p++) {
      shift(logQ, p * b, 1, b, logRowTarget - logSumExp(logQ, p * b, 1, b));
    }
    for (let s = 0; s < b; s++) {
      shift(logQ, s, b, k, logColumnTarget - logSumExp(logQ, s, b, k));
    }
  }

  const prototypeMass = new Float64Array(k);
  for (let p = 0; p < k; p++) prototypeMass[p] = Math.exp(logSumExp(logQ, p * b, 1, b));
  const sampleMass = new Float64Array(b);
  const codes = new Float64Array(b * k);
  let finite = true;
  for (let s = 0; s < b; s++) {
    const logColumn = logSumExp(logQ, s, b, k);
    sampleMass[s] = Math.exp(logColumn);
    for (let p = 0; p < k; p++) {
      const code = Math.exp(logQ[p * b + s] - logColumn);
      if (!Number.isFinite(code)) finite = false;
      codes[s * k + p] = code;
    }
  }
  return { codes, prototypeMass, sampleMass, finite };
}

/**
 * log Σ exp over `count` entries of `values` starting at `start` with stride `stride`, with the
 * maximum factored out; -Infinity for an all -Infinity run, NaN if any entry is NaN.
 */
function logSumExp(values: Float64Array, start: number, stride: number, count: number): number {
  let largest = -Infinity;
  for (let i = 0, at = start; i < count; i++, at += stride) {
    const v = values[at];
    if (Number.isNaN(v)) return NaN;
    if (v > largest) largest = v;
  }
  if (largest === -Infinity || largest === Infinity) return largest;

  let sum = 0;
  for (let i = 0, at = start; i < count; i++, at += stride) sum += Math.exp(values[at] - largest);
  return largest + Math.log(sum);
}

/** Adds `offset` to `count` entries of `values` from `start`, `stride` apart. Mutates `values`. */
function shift(
  values: Float64Array,
  start: number,
  stride: number,
  count: number,
  offset: number,
): void {
  for (let i = 0, at = start; i < count; i++, at += stride) values[at] += offset;
}
