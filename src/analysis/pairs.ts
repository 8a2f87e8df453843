/**
 * Cosine-similarity statistics for two views of the same items (a matching pair is (a_i, b_i)):
 * the matching and non-matching similarity distributions, their ROC-AUC, and top-1 retrieval
 * accuracy in both directions, the usual alignment read-out for contrastive and clustering SSL
 * (e.g. Wang and Isola 2020, "Understanding Contrastive Representation Learning through Alignment
 * and Uniformity on the Hypersphere"). Items whose vector cannot be normalised are excluded and
 * reported (CASES.md B19), so no statistic is ever NaN because of one bad embedding.
 */
import { crossProducts } from './gram';
import { unitRows } from './normalise';
import { rocAuc } from './rocAuc';
import { assertMatrix } from './shape';
import { mean } from './stats';

import type { InvalidRowReason } from './normalise';
import type { FloatArray } from './types';

/** An item excluded from the pair statistics. */
export interface InvalidPairItem {
  /** Item index i in 0..n-1. */
  readonly index: number;
  /** Which view's vector is unusable: a_i, b_i or both. */
  readonly view: 'a' | 'b' | 'both';
  /** Why, for the first unusable view ('a' when both). */
  readonly reason: InvalidRowReason;
}

/** Pair statistics over the valid items; see `matchingPairStats`. */
export interface MatchingPairStats {
  /** cos(a_i, b_i) for each valid i, in ascending i, within [-1, 1]; length validCount. */
  readonly matching: Float64Array;
  /** cos(a_i, b_j) for valid i != j, row-major over (i, j); length validCount(validCount - 1). */
  readonly nonMatching: Float64Array;
  /** Mean of `matching`; NaN when there are no valid items. */
  readonly meanMatching: number;
  /** Mean of `nonMatching`; NaN when fewer than two items are valid. */
  readonly meanNonMatching: number;
  /** ROC-AUC of matching against non-matching similarities; NaN when either is empty. */
  readonly auc: number;
  /**
   * Fraction of valid i for which b_i is strictly more similar to a_i than every other valid b_j;
   * a tie counts as a miss. NaN when there are no valid items.
   */
  readonly top1: number;
  /** The same from b to a: a_i strictly more similar to b_i than every other valid a_j. */
  readonly top1Reverse: number;
  /**
   * Length n; for valid i, the index j of the valid b_j most similar to a_i (ties go to the
   * lowest j != i, the pessimistic choice); -1 for invalid i.
   */
  readonly nearestAtoB: Int32Array;
  /** Length n; the same from b to a. */
  readonly nearestBtoA: Int32Array;
  /** Number of items with both vectors usable. */
  readonly validCount: number;
  /** Ascending indices of the excluded items. */
  readonly invalidIds: Int32Array;
  /** Per excluded item, which view and why. */
  readonly invalid: readonly InvalidPairItem[];
}

/**
 * Cosine similarity of two equal-length vectors in float64, clamped to [-1, 1] against rounding,
 * or null when either norm is at or below COSINE_NORM_EPS (1e-12, see normalise.ts) or an entry
 * is not finite.
 */
export function cosineSimilarity(u: FloatArray, v: FloatArray): number | null {
  assertMatrix('cosineSimilarity (u)', u, 1, u.length);
  assertMatrix('cosineSimilarity (v)', v, 1, u.length);

  const pair = unitRows(u, 1, u.length);
  const other = unitRows(v, 1, v.length);
  if (pair.valid[0] === 0 || other.valid[0] === 0) return null;

  let dot = 0;
  for (let c = 0; c < u.length; c++) dot += pair.unit[c] * other.unit[c];
  return clampCosine(dot);
}

/**
 * Matching vs non-matching cosine statistics of `viewA` and `viewB`, both `[n, d]` row-major with
 * row i of each being item i. Item i is valid when both a_i and b_i have finite entries and norm
 * above COSINE_NORM_EPS; every statistic is over valid items only. Cost n²d for the similarity
 * matrix; for n = 2000 `nonMatching` holds about 4e6 values, so send `histogram(nonMatching, ...)`
 * to the UI rather than the array.
 */
export function matchingPairStats(
  viewA: FloatArray,
  viewB: FloatArray,
  n: number,
  d: number,
): MatchingPairStats {
  assertMatrix('matchingPairStats (viewA)', viewA, n, d);
  assertMatrix('matchingPairStats (viewB)', viewB, n, d);

  const a = unitRows(viewA, n, d);
  const b = unitRows(viewB, n, d);
  const { validIds, invalid } = joinValidity(a, b, n);
  const v = validIds.length;

  const unitA = compactRows(a.unit, validIds, d);
  const unitB = compactRows(b.unit, validIds, d);
  const similarities = v === 0 ? new Float64Array(0) : crossProducts(unitA, unitB, v, v, d);
  const matching = new Float64Array(v);
  const nonMatching = new Float64Array(v * (v - 1));
  let at = 0;
  for (let i = 0; i < v; i++) {
    for (let j = 0; j < v; j++) {
      const s = clampCosine(similarities[i * v + j]);
      if (i === j) matching[i] = s;
      else nonMatching[at++] = s;
    }
  }

  const forward = retrieval(similarities, v, validIds, n, v, 1);
  const reverse = retrieval(similarities, v, validIds, n, 1, v);
  return {
    matching,
    nonMatching,
    meanMatching: mean(matching),
    meanNonMatching: mean(nonMatching),
    auc: rocAuc(matching, nonMatching),
    top1: forward.top1,
    top1Reverse: reverse.top1,
    nearestAtoB: forward.nearest,
    nearestBtoA: reverse.nearest,
    validCount: v,
    invalidIds: Int32Array.from(invalid, (item) => item.index),
    invalid,
  };
}

/**
 * A dot product of unit vectors clamped to [-1, 1]: rounding can overshoot by a few ulps, and a
 * histogram over the domain [-1, 1] would then count a perfect match as out of range.
 */
function clampCosine(dot: number): number {
  return Math.min(1, Math.max(-1, dot));
}

/** Indices valid in both views, and the excluded items with their view and reason. */
function joinValidity(
  a: ReturnType<typeof unitRows>,
  b: ReturnType<typeof unitRows>,
  n: number,
): { validIds: Int32Array; invalid: InvalidPairItem[] } {
  const reasonOf = (rows: ReturnType<typeof unitRows>, index: number): InvalidRowReason =>
    rows.invalid.find((row) => row.index === index)?.reason ?? 'zero_norm';

  const valid: number[] = [];
  const invalid: InvalidPairItem[] = [];
  for (let i = 0; i < n; i++) {
    const okA = a.valid[i] === 1;
    const okB = b.valid[i] === 1;
    if (okA && okB) valid.push(i);
    else if (!okA && !okB) invalid.push({ index: i, view: 'both', reason: reasonOf(a, i) });
    else if (!okA) invalid.push({ index: i, view: 'a', reason: reasonOf(a, i) });
    else invalid.push({ index: i, view: 'b', reason: reasonOf(b, i) });
  }
  return { validIds: Int32Array.from(valid), invalid };
}

/** Rows `ids` of `rows` `[*, d]` packed into a new `[ids.length, d]` array. */
function compactRows(rows: Float64Array, ids: Int32Array, d: number): Float64Array {
  const out = new Float64Array(ids.length * d);
  ids.forEach((id, k) => out.set(rows.subarray(id * d, (id + 1) * d), k * d));
  return out;
}

/**
 * Top-1 accuracy and nearest neighbours over the `[v, v]` similarity matrix, read along rows
 * (rowStride v, colStride 1: a to b) or columns (1, v: b to a). Ties never favour the match.
 */
function retrieval(
  similarities: Float64Array,
  v: number,
  validIds: Int32Array,
  n: number,
  rowStride: number,
  colStride: number,
): { top1: number; nearest: Int32Array } {
  const nearest = new Int32Array(n).fill(-1);
  let hits = 0;
  for (let k = 0; k < v; k++) {
    const own = similarities[k * rowStride + k * colStride];
    let bestOther = -Infinity;
    let bestOtherIndex = -1;
    for (let l = 0; l < v; l++) {
      if (l === k) continue;
      const s = similarities[k * rowStride + l * colStride];
      if (s > bestOther) {
        bestOther = s;
        bestOtherIndex = l;
      }
    }
    const hit = own > bestOther;
    if (hit) hits++;
    nearest[validIds[k]] = validIds[hit ? k : bestOtherIndex];
  }
  return { top1: v === 0 ? NaN : hits / v, nearest };
}
