/**
 * Area under the ROC curve via the Mann-Whitney U statistic (Mann and Whitney 1947; the
 * AUC = U / (P·Q) identity is Hanley and McNeil 1982, "The meaning and use of the area under a
 * receiver operating characteristic (ROC) curve", Radiology 143). A tie between a positive and a
 * negative counts 1/2.
 */
import type { FloatArray } from './types';

/**
 * ROC-AUC of scores `positives` (length P) against `negatives` (length Q): the probability that a
 * random positive scores above a random negative, ties counted as 1/2, so 1 is perfect
 * separation, 0 perfectly reversed and 0.5 chance or all ties. NaN scores are skipped; the result
 * is NaN (missing) when either side has no non-NaN score. Cost O(P log P + Q log Q): two native
 * sorts and one merge, so 4e6 negatives take well under a second.
 */
export function rocAuc(positives: FloatArray, negatives: FloatArray): number {
  const pos = sortedWithoutNaN(positives);
  const neg = sortedWithoutNaN(negatives);
  if (pos.length === 0 || neg.length === 0) return NaN;

  // Walk the positives in ascending order; `below` counts negatives < p, `atOrBelow` those <= p.
  let below = 0;
  let atOrBelow = 0;
  let u = 0;
  for (let i = 0; i < pos.length; i++) {
    const p = pos[i];
    while (below < neg.length && neg[below] < p) below++;
    if (atOrBelow < below) atOrBelow = below;
    while (atOrBelow < neg.length && neg[atOrBelow] <= p) atOrBelow++;
    u += below + 0.5 * (atOrBelow - below);
  }
  return u / (pos.length * neg.length);
}

/** A float64 copy of `values` without NaN, sorted ascending. */
function sortedWithoutNaN(values: FloatArray): Float64Array {
  const sorted = Float64Array.from(values).sort();
  // Typed-array sort places NaN last.
  let end = sorted.length;
  while (end > 0 && Number.isNaN(sorted[end - 1])) end--;
  return sorted.subarray(0, end);
}
