/**
 * Eigenspectra of embeddings and weights in float64, with values that are rounding residue set to
 * exactly 0 so log-scale plots and entropies never see a negative or tiny spurious value
 * (CASES.md B22). Eigenvalues come from ml-matrix's symmetric solver (Householder
 * tridiagonalisation then implicit QL, the EISPACK tred2/tql2 pair via JAMA).
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

import { assert, LabError } from '../io/errors';

import { gramMatrix } from './gram';
import { centreColumns } from './normalise';
import { assertCount, assertMatrix } from './shape';

import type { FloatArray } from './types';

/**
 * Largest |a_ij - a_ji| allowed, relative to max |a|, for a matrix passed as symmetric. Loose
 * enough for a covariance accumulated in float32 (about 1e-7 relative), tight enough to catch a
 * non-symmetric matrix passed by mistake.
 */
export const SYMMETRY_REL_TOL = 1e-6;

/** A non-negative spectrum sorted descending, with sub-tolerance values set to exactly 0. */
export interface Spectrum {
  /** Descending; every entry is either > tolerance or exactly 0. */
  readonly values: Float64Array;
  /** Number of entries > tolerance; values.subarray(0, numericalRank) is safe on a log axis. */
  readonly numericalRank: number;
  /**
   * Cut-off in the units of `values`: λ_max · max(rows, cols) · 2^-52 on the eigenvalues, the
   * default of numpy.linalg.matrix_rank (after Golub and Van Loan, "Matrix Computations", §5.4).
   */
  readonly tolerance: number;
}

/**
 * All eigenvalues of the symmetric matrix `a` `[n, n]` row-major, in float64, sorted descending
 * (negative values kept). `a` is symmetrised as (A + Aᵀ)/2 after checking it is symmetric within
 * SYMMETRY_REL_TOL.
 */
export function symmetricEigenvalues(a: FloatArray, n: number): Float64Array {
  assertMatrix('symmetricEigenvalues', a, n, n);
  let largest = -Infinity;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i]));
  assert(
    Number.isFinite(largest),
    () => `symmetricEigenvalues: [${n}, ${n}] matrix has non-finite entries`,
  );

  const symmetric = new Float64Array(n * n);
  let worst = 0;
  let worstAt = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const upper = a[i * n + j];
      const lower = a[j * n + i];
      const gap = Math.abs(upper - lower);
      if (gap > worst) {
        worst = gap;
        worstAt = i * n + j;
      }
      symmetric[i * n + j] = 0.5 * (upper + lower);
    }
  }
  assert(worst <= SYMMETRY_REL_TOL * largest, () => {
    const [i, j] = [Math.floor(worstAt / n), worstAt % n];
    return `symmetricEigenvalues: [${n}, ${n}] matrix is not symmetric: a[${i}][${j}] = ${a[worstAt]} but a[${j}][${i}] = ${a[j * n + i]} (allowed gap ${SYMMETRY_REL_TOL} x max |a| = ${largest})`;
  });

  const decomposition = new EigenvalueDecomposition(Matrix.from1DArray(n, n, symmetric), {
    assumeSymmetric: true,
  });
  return Float64Array.from(decomposition.realEigenvalues).sort().reverse();
}

/**
 * Eigenvalues of the sample covariance of `x` `[n, d]` row-major (columns centred, divided by
 * n - 1), length d, descending, with sub-tolerance values 0. Solved on the smaller of the d x d
 * covariance and the n x n Gram of the centred rows, which share their non-zero eigenvalues; so
 * 100 samples in 512-d cost a 100 x 100 solve and give numerical rank at most 99. Throws
 * LabError('invalid_input') when `x` holds NaN or infinite values.
 */
export function covarianceEigenvalues(x: FloatArray, n: number, d: number): Spectrum {
  assertMatrix('covarianceEigenvalues', x, n, d);
  assertCount('covarianceEigenvalues', 'n', n, 2);
  assertFiniteInput('covarianceEigenvalues', x, n, d);

  const centred = centreColumns(x, n, d);
  const small = Math.min(n, d);
  const gram = d <= n ? gramMatrix(transpose(centred, n, d), d, n) : gramMatrix(centred, n, d);
  for (let i = 0; i < gram.length; i++) gram[i] /= n - 1;

  const eigenvalues = new Float64Array(d);
  eigenvalues.set(symmetricEigenvalues(gram, small));
  return truncate(eigenvalues, Math.max(n, d));
}

/**
 * Singular values of `w` `[rows, cols]` row-major, length min(rows, cols), descending: square
 * roots of the eigenvalues of the smaller Gram (W Wᵀ or Wᵀ W). Eigenvalues under the tolerance
 * become 0, and `tolerance` is reported as its square root. Through the Gram, singular values
 * below about 1e-8 · σ_max lose relative accuracy; use them as "numerically zero".
 */
export function singularValues(w: FloatArray, rows: number, cols: number): Spectrum {
  assertMatrix('singularValues', w, rows, cols);
  assertFiniteInput('singularValues', w, rows, cols);

  const small = Math.min(rows, cols);
  const gram =
    rows <= cols ? gramMatrix(w, rows, cols) : gramMatrix(transpose(w, rows, cols), cols, rows);
  const squared = truncate(symmetricEigenvalues(gram, small), Math.max(rows, cols));

  const values = squared.values.map(Math.sqrt);
  return { values, numericalRank: squared.numericalRank, tolerance: Math.sqrt(squared.tolerance) };
}

/**
 * Effective rank exp(H(p)) with p_k = λ_k / Σ λ over the positive finite entries of
 * `eigenvalues` (Roy and Vetterli 2007, "The effective rank: a measure of effective
 * dimensionality", EUSIPCO, who apply it to singular values). Ranges from 1 (one direction) to
 * the count of positive entries (flat spectrum); NaN when none is positive.
 */
export function effectiveRank(eigenvalues: FloatArray): number {
  const total = positiveSum(eigenvalues);
  if (!(total > 0)) return NaN;

  let entropy = 0;
  for (let k = 0; k < eigenvalues.length; k++) {
    const v = eigenvalues[k];
    if (!(v > 0) || !Number.isFinite(v)) continue;
    const p = v / total;
    entropy -= p * Math.log(p);
  }
  return Math.exp(entropy);
}

/**
 * Participation ratio (Σ λ)² / Σ λ² over the positive finite entries of `eigenvalues` (Gao et
 * al. 2017, "A theory of multineuronal dimensionality, dynamics and measurement", bioRxiv 214262).
 * Between 1 and the count of positive entries; NaN when none is positive.
 */
export function participationRatio(eigenvalues: FloatArray): number {
  const total = positiveSum(eigenvalues);
  if (!(total > 0)) return NaN;

  let squares = 0;
  for (let k = 0; k < eigenvalues.length; k++) {
    const v = eigenvalues[k];
    if (v > 0 && Number.isFinite(v)) squares += v * v;
  }
  return (total * total) / squares;
}

/** Sorts descending and zeroes entries at or below λ_max · size · 2^-52. */
function truncate(eigenvalues: Float64Array, size: number): Spectrum {
  const values = Float64Array.from(eigenvalues).sort().reverse();
  const largest = values.length > 0 ? Math.max(0, values[0]) : 0;
  const tolerance = largest * size * Number.EPSILON;

  let numericalRank = 0;
  for (let k = 0; k < values.length; k++) {
    if (values[k] > tolerance) numericalRank++;
    else values[k] = 0;
  }
  return { values, numericalRank, tolerance };
}

/** `[cols, rows]` transpose of `x` `[rows, cols]` row-major. */
function transpose(x: FloatArray, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j];
  }
  return out;
}

/** Sum of the positive finite entries. */
function positiveSum(values: FloatArray): number {
  let total = 0;
  for (let k = 0; k < values.length; k++) {
    if (values[k] > 0 && Number.isFinite(values[k])) total += values[k];
  }
  return total;
}

/** Throws LabError('invalid_input') naming how many entries of `x` are NaN or infinite. */
function assertFiniteInput(op: string, x: FloatArray, rows: number, cols: number): void {
  let bad = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) bad++;
  if (bad === 0) return;
  throw new LabError(
    'invalid_input',
    `${op}: ${bad} of the ${rows * cols} values in the [${rows}, ${cols}] input are NaN or infinite, so no spectrum can be computed. Drop the affected samples or pick a checkpoint whose outputs are finite.`,
    { details: { op, rows, cols, nonFinite: bad } },
  );
}
