/**
 * Representational similarity analysis (Kriegeskorte, Mur and Bandettini 2008, "Representational
 * similarity analysis - connecting the branches of systems neuroscience", Front. Syst. Neurosci.).
 * Each representation becomes a representational dissimilarity matrix (RDM) of correlation
 * distances 1 - r between samples' feature vectors, and two RDMs are compared by the Spearman
 * rank correlation of their upper triangles, as that paper recommends for comparing RDMs.
 */
import { assert } from '../io/errors';

import { gramMatrix } from './gram';
import { standardiseRows } from './normalise';
import { assertCount, assertMatrix } from './shape';
import { averageRanks, pearson } from './stats';

import type { FloatArray, Representation } from './types';

/** A correlation-distance RDM over n samples. */
export interface Rdm {
  /**
   * Upper triangle without the diagonal, length n(n-1)/2, in row order: (0,1), (0,2), ...,
   * (0,n-1), (1,2), ... Entry (i, j) with i < j sits at i*n - i(i+1)/2 + (j - i - 1). Values lie in
   * [0, 2]; NaN where sample i or j has zero variance or a non-finite feature.
   */
  readonly values: Float64Array;
  /** Number of samples. */
  readonly n: number;
  /** Ascending indices of samples whose feature vector is constant or non-finite. */
  readonly invalidSamples: Int32Array;
}

/** Spearman correlation between two RDMs, or why there is none. */
export interface RdmComparison {
  /** Spearman rho in [-1, 1]; NaN when undefined (see `reason`). */
  readonly value: number;
  /** Number of entries used: those finite in both RDMs. */
  readonly pairCount: number;
  /** Present exactly when `value` is NaN. */
  readonly reason?: string;
}

/** Spearman RSA between every pair of S representations. */
export interface RsaMatrixResult {
  /** `[S, S]` row-major, symmetric; NaN where undefined (see `reasons`). */
  readonly values: Float64Array;
  /** `[S, S]` row-major; null where the value is defined, otherwise why it is not. */
  readonly reasons: readonly (string | null)[];
  /** Number of representations S. */
  readonly size: number;
  /** Per representation, the ascending indices of its samples with zero variance. */
  readonly invalidSamples: readonly Int32Array[];
}

/**
 * Correlation-distance RDM of `x` `[n, d]` row-major: entry (i, j) = 1 - Pearson r between rows
 * i and j, clamped to [0, 2] against rounding. A row with zero variance has no correlation, so its
 * entries are NaN and its index is listed in `invalidSamples`.
 */
export function correlationRdm(x: FloatArray, n: number, d: number): Rdm {
  assertMatrix('correlationRdm', x, n, d);
  assertCount('correlationRdm', 'n', n, 2);

  const { unit, invalid } = standardiseRows(x, n, d);
  const correlations = gramMatrix(unit, n, d);

  const values = new Float64Array((n * (n - 1)) / 2);
  let at = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const r = correlations[i * n + j];
      // NaN (an invalid row) passes through both bounds unchanged.
      values[at++] = Math.min(2, Math.max(0, 1 - r));
    }
  }
  return { values, n, invalidSamples: Int32Array.from(invalid, (row) => row.index) };
}

/**
 * Spearman rank correlation between two equal-length series, e.g. two RDMs' `values`. Ties get
 * average ranks; positions where either series is NaN are skipped. NaN with a reason when fewer
 * than two pairs remain or when the ranks of either series are all tied.
 */
export function spearman(a: FloatArray, b: FloatArray): RdmComparison {
  assert(
    a.length === b.length,
    () => `spearman: series must have equal lengths, got ${a.length} and ${b.length}`,
  );

  const [keptA, keptB] = dropMissingPairs(a, b);
  return spearmanOfRanks(averageRanks(keptA), averageRanks(keptB));
}

/**
 * Spearman RSA between every pair of `reps`, each `[n, d_s]` row-major. Each RDM is built once,
 * and its ranks are computed once when it has no NaN entries.
 */
export function rsaMatrix(reps: readonly Representation[], n: number): RsaMatrixResult {
  assertCount('rsaMatrix', 'n', n, 2);
  assert(reps.length > 0, () => 'rsaMatrix: needs at least one representation, got 0');
  reps.forEach((rep, s) => assertMatrix(`rsaMatrix (reps[${s}])`, rep.values, n, rep.d));

  const size = reps.length;
  const rdms = reps.map((rep) => correlationRdm(rep.values, n, rep.d));
  const completeRanks = rdms.map((rdm) =>
    rdm.invalidSamples.length === 0 ? averageRanks(rdm.values) : null,
  );

  const values = new Float64Array(size * size);
  const reasons: (string | null)[] = new Array<string | null>(size * size).fill(null);
  for (let s = 0; s < size; s++) {
    for (let t = s; t < size; t++) {
      const ranksS = completeRanks[s];
      const ranksT = completeRanks[t];
      const result =
        ranksS !== null && ranksT !== null
          ? spearmanOfRanks(ranksS, ranksT)
          : spearman(rdms[s].values, rdms[t].values);
      values[s * size + t] = result.value;
      values[t * size + s] = result.value;
      reasons[s * size + t] = result.reason ?? null;
      reasons[t * size + s] = result.reason ?? null;
    }
  }
  return { values, reasons, size, invalidSamples: rdms.map((rdm) => rdm.invalidSamples) };
}

/** Pearson correlation of two rank series, with the undefined cases named. */
function spearmanOfRanks(ranksA: Float64Array, ranksB: Float64Array): RdmComparison {
  const pairCount = ranksA.length;
  if (pairCount < 2) {
    const reason = `undefined: needs at least 2 entries finite in both RDMs, got ${pairCount}`;
    return { value: NaN, pairCount, reason };
  }
  const value = pearson(ranksA, ranksB);
  if (Number.isNaN(value)) {
    const reason = 'undefined: every entry of one RDM is tied, so its ranks have no variance';
    return { value, pairCount, reason };
  }
  return { value, pairCount };
}

/** The entries of `a` and `b` at positions where neither is NaN, as float64 copies. */
function dropMissingPairs(a: FloatArray, b: FloatArray): [Float64Array, Float64Array] {
  let kept = 0;
  for (let i = 0; i < a.length; i++) if (!Number.isNaN(a[i]) && !Number.isNaN(b[i])) kept++;

  const keptA = new Float64Array(kept);
  const keptB = new Float64Array(kept);
  let at = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) continue;
    keptA[at] = a[i];
    keptB[at] = b[i];
    at++;
  }
  return [keptA, keptB];
}
