/**
 * Linear centred kernel alignment (CKA) between representations of the same samples.
 *
 * CKA(K, L) = HSIC(K, L) / sqrt(HSIC(K, K) HSIC(L, L)) on linear-kernel Gram matrices
 * (Kornblith et al. 2019, "Similarity of Neural Network Representations Revisited", eq. 4).
 * - 'unbiased' (default): the U-statistic HSIC of Song et al. 2012 ("Feature Selection via
 *   Dependence Maximization", JMLR 13, Theorem 2), used for CKA by Nguyen, Raghu and Kornblith
 *   2021 ("Do Wide and Deep Networks Learn the Same Things?", eq. 3). With K̃, L̃ the Grams with
 *   zeroed diagonals:
 *   HSIC_1 = [tr(K̃L̃) + 1ᵀK̃1·1ᵀL̃1 / ((n-1)(n-2)) - 2/(n-2)·1ᵀK̃L̃1] / (n(n-3)).
 *   It averages about 0 for independent inputs at every n, but can fall to or below 0.
 * - 'biased': the plug-in HSIC_0 = tr(KHLH) / (n-1)² with H the centring matrix (Kornblith et
 *   al. 2019, eq. 3). For independent inputs it is positive and shrinks with n (CASES.md B16).
 * Both are evaluated from per-Gram sums plus one elementwise product Σ K∘L, so a matrix over S
 * representations costs S Gram builds and S(S+1)/2 passes of n² each.
 */
import { assert } from '../io/errors';

import { gramMatrix, toFloat64 } from './gram';
import { centreColumns } from './normalise';
import { assertCount, assertMatrix } from './shape';

import type { FloatArray, Representation } from './types';

/** Reason given when a self-similarity term is not positive. */
export const CKA_NOT_POSITIVE_REASON =
  'undefined: HSIC(X,X) or HSIC(Y,Y) estimate is not positive (n too small)';

/**
 * A self term HSIC(X, X) at or below this fraction of its leading term tr(K̃²)/(n(n-3)) (or
 * Σ K²/(n-1)² for the biased form) is treated as not positive: it is then rounding residue of a
 * representation with no variation, and dividing by it would give an arbitrary number. The
 * residue of float64 sums over n² terms is about n·2^-52 relative, far below 1e-10 for any
 * n this lab handles.
 */
export const SELF_HSIC_REL_TOL = 1e-10;

/** Which HSIC estimator a CKA value was computed with; shown next to every number. */
export type CkaEstimator = 'unbiased' | 'biased';

/** One CKA value. */
export interface CkaResult {
  /** The CKA estimate, negative values kept as they are; null when it is undefined, never NaN. */
  readonly value: number | null;
  /** Estimator used. */
  readonly estimator: CkaEstimator;
  /** Present exactly when `value` is null; says why. */
  readonly reason?: string;
  /** Number of samples the estimate is based on. */
  readonly n: number;
}

/** CKA between every pair of S representations. */
export interface CkaMatrixResult {
  /** `[S, S]` row-major, symmetric; NaN where undefined (see `reasons`). */
  readonly values: Float64Array;
  /** `[S, S]` row-major; null where the value is defined, otherwise why it is not. */
  readonly reasons: readonly (string | null)[];
  /** Number of representations S. */
  readonly size: number;
  /** Estimator used for every cell. */
  readonly estimator: CkaEstimator;
  /** Number of samples. */
  readonly n: number;
}

/** Sums of one Gram matrix that the HSIC estimators need besides Σ K∘L. */
interface GramSummary {
  /** `[n, n]` row-major Gram matrix. */
  readonly gram: Float64Array;
  /** Length n; K_ii. */
  readonly diagonal: Float64Array;
  /** Length n; Σ_j K_ij, diagonal included. */
  readonly rowSums: Float64Array;
  /** Σ_ij K_ij. */
  readonly total: number;
  /** Σ_ij K_ij², i.e. Σ K∘K. */
  readonly sumSquares: number;
  /** False when any entry is NaN or infinite. */
  readonly finite: boolean;
}

/**
 * Linear CKA between `x` `[n, dx]` and `y` `[n, dy]` (row i of each is sample i). Features are
 * centred first, which leaves both estimators unchanged in exact arithmetic and avoids
 * cancellation when activations share a large mean. Example: `linearCka({ values: a, d: 64 },
 * { values: b, d: 128 }, 32)`.
 */
export function linearCka(
  x: Representation,
  y: Representation,
  n: number,
  estimator: CkaEstimator = 'unbiased',
): CkaResult {
  assertCount('linearCka', 'n', n, 1);
  assertMatrix('linearCka (x)', x.values, n, x.d);
  assertMatrix('linearCka (y)', y.values, n, y.d);

  return ckaFromGrams(centredGram(x.values, n, x.d), centredGram(y.values, n, y.d), n, estimator);
}

/**
 * CKA from two precomputed symmetric `[n, n]` row-major Gram matrices of the same n samples,
 * e.g. from `gramMatrix`. The Grams need not be centred, but a Gram of features with a large
 * shared mean carries that mean's rounding error, which can push a small self term under
 * SELF_HSIC_REL_TOL; build it from `centreColumns` output (as `linearCka` does) to avoid that.
 */
export function ckaFromGrams(
  kx: FloatArray,
  ky: FloatArray,
  n: number,
  estimator: CkaEstimator = 'unbiased',
): CkaResult {
  assertCount('ckaFromGrams', 'n', n, 1);
  assertMatrix('ckaFromGrams (kx)', kx, n, n);
  assertMatrix('ckaFromGrams (ky)', ky, n, n);

  const a = summariseGram(toFloat64(kx), n);
  const b = summariseGram(toFloat64(ky), n);
  return ckaFromSummaries(a, b, elementwiseDot(a.gram, b.gram), n, estimator);
}

/**
 * CKA between every pair of `reps`, each `[n, d_s]` row-major. Each Gram is built once; the
 * result keeps all S of them alive while it runs, S·n²·8 bytes (160 MB for S = 5, n = 2000).
 */
export function ckaMatrix(
  reps: readonly Representation[],
  n: number,
  estimator: CkaEstimator = 'unbiased',
): CkaMatrixResult {
  assertCount('ckaMatrix', 'n', n, 1);
  assert(reps.length > 0, () => 'ckaMatrix: needs at least one representation, got 0');
  reps.forEach((rep, s) => assertMatrix(`ckaMatrix (reps[${s}])`, rep.values, n, rep.d));

  const size = reps.length;
  const summaries = reps.map((rep) => summariseGram(centredGram(rep.values, n, rep.d), n));

  const values = new Float64Array(size * size);
  const reasons: (string | null)[] = new Array<string | null>(size * size).fill(null);
  for (let s = 0; s < size; s++) {
    for (let t = s; t < size; t++) {
      const a = summaries[s];
      const b = summaries[t];
      const full = s === t ? a.sumSquares : elementwiseDot(a.gram, b.gram);
      const result = ckaFromSummaries(a, b, full, n, estimator);
      const value = result.value ?? NaN;
      const reason = result.reason ?? null;
      values[s * size + t] = value;
      values[t * size + s] = value;
      reasons[s * size + t] = reason;
      reasons[t * size + s] = reason;
    }
  }
  return { values, reasons, size, estimator, n };
}

/**
 * HSIC between two Grams from their summaries and `full` = Σ_ij K_ij L_ij, together with the
 * estimator's leading term (used to judge whether a self term is rounding residue).
 */
function hsic(
  a: GramSummary,
  b: GramSummary,
  full: number,
  n: number,
  estimator: CkaEstimator,
): { value: number; leading: number } {
  switch (estimator) {
    case 'unbiased': {
      // Zeroed diagonals: tr(K̃L̃) = Σ K∘L - Σ_i K_ii L_ii; K̃1 = rowSums - diagonal.
      let diagonalDot = 0;
      let rowDot = 0;
      let traceA = 0;
      let traceB = 0;
      for (let i = 0; i < n; i++) {
        diagonalDot += a.diagonal[i] * b.diagonal[i];
        rowDot += (a.rowSums[i] - a.diagonal[i]) * (b.rowSums[i] - b.diagonal[i]);
        traceA += a.diagonal[i];
        traceB += b.diagonal[i];
      }
      const traceProduct = full - diagonalDot;
      const totals = (a.total - traceA) * (b.total - traceB);
      const scale = n * (n - 3);
      const value =
        (traceProduct + totals / ((n - 1) * (n - 2)) - (2 / (n - 2)) * rowDot) / scale;
      return { value, leading: traceProduct / scale };
    }
    case 'biased': {
      // tr(KHLH) = Σ K∘L - (2/n) Σ_i r_i s_i + (1ᵀK1)(1ᵀL1)/n², with r, s the row sums.
      let rowDot = 0;
      for (let i = 0; i < n; i++) rowDot += a.rowSums[i] * b.rowSums[i];
      const scale = (n - 1) * (n - 1);
      const value = (full - (2 / n) * rowDot + (a.total * b.total) / (n * n)) / scale;
      return { value, leading: full / scale };
    }
    default: {
      const unsupported: never = estimator;
      throw new Error(`hsic: unsupported estimator ${String(unsupported)}`);
    }
  }
}

/** CKA from summaries; null with a reason when the estimate is undefined. */
function ckaFromSummaries(
  a: GramSummary,
  b: GramSummary,
  full: number,
  n: number,
  estimator: CkaEstimator,
): CkaResult {
  if (!a.finite || !b.finite || !Number.isFinite(full)) {
    const reason = 'undefined: a representation contains NaN or infinite values';
    return { value: null, estimator, n, reason };
  }
  if (estimator === 'unbiased' && n < 4) {
    const reason = `undefined: the unbiased HSIC estimator needs n >= 4 samples (got n = ${n})`;
    return { value: null, estimator, n, reason };
  }

  const selfA = hsic(a, a, a.sumSquares, n, estimator);
  const selfB = hsic(b, b, b.sumSquares, n, estimator);
  const notPositive = (term: { value: number; leading: number }): boolean =>
    !(term.value > SELF_HSIC_REL_TOL * Math.abs(term.leading));
  if (notPositive(selfA) || notPositive(selfB)) {
    return { value: null, estimator, n, reason: CKA_NOT_POSITIVE_REASON };
  }

  const cross = hsic(a, b, full, n, estimator).value;
  return { value: cross / Math.sqrt(selfA.value * selfB.value), estimator, n };
}

/** Gram of the column-centred representation. */
function centredGram(values: FloatArray, n: number, d: number): Float64Array {
  return gramMatrix(centreColumns(values, n, d), n, d);
}

/** Diagonal, row sums, total and Σ K² of `gram` `[n, n]`. */
function summariseGram(gram: Float64Array, n: number): GramSummary {
  const diagonal = new Float64Array(n);
  const rowSums = new Float64Array(n);
  let total = 0;
  let sumSquares = 0;
  for (let i = 0; i < n; i++) {
    const o = i * n;
    let row = 0;
    for (let j = 0; j < n; j++) {
      const v = gram[o + j];
      row += v;
      sumSquares += v * v;
    }
    diagonal[i] = gram[o + i];
    rowSums[i] = row;
    total += row;
  }
  const finite = Number.isFinite(total) && Number.isFinite(sumSquares);
  return { gram, diagonal, rowSums, total, sumSquares, finite };
}

/** Σ_i a_i b_i over two equal-length arrays, with four accumulators to shorten the add chain. */
function elementwiseDot(a: Float64Array, b: Float64Array): number {
  // prettier-ignore
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const m = a.length;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < m; i++) s0 += a[i] * b[i];
  return s0 + s1 + s2 + s3;
}
