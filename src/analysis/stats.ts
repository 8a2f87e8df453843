import { assert } from '../io/errors';

import { argsort } from './argsort';

import type { FloatArray } from './types';

/** Arithmetic mean of `values` in float64; NaN (a missing value) when `values` is empty. */
export function mean(values: FloatArray): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/**
 * Fractional ("average") ranks of `values`, 1-based, as a Float64Array of the same length: tied
 * values all get the mean of the positions they occupy, e.g. [10, 20, 20, 5] -> [2, 3.5, 3.5, 1].
 * `values` must hold no NaN. O(m) through the radix `argsort`, so 2e6 values take well under a
 * second.
 */
export function averageRanks(values: FloatArray): Float64Array {
  const order = argsort(values);

  const ranks = new Float64Array(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && values[order[end]] === values[order[start]]) end++;
    // Sorted positions start+1 .. end (1-based) hold one value; their mean is its rank.
    const rank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) ranks[order[i]] = rank;
    start = end;
  }
  return ranks;
}

/**
 * Pearson correlation of two equal-length series, in float64 with the means removed first.
 * NaN when fewer than two values are given or when either series has zero variance.
 */
export function pearson(x: FloatArray, y: FloatArray): number {
  assert(
    x.length === y.length,
    () => `pearson: series must have equal lengths, got ${x.length} and ${y.length}`,
  );
  if (x.length < 2) return NaN;

  const meanX = mean(x);
  const meanY = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i] - meanX;
    const dy = y[i] - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (!(sxx > 0) || !(syy > 0)) return NaN;
  return sxy / Math.sqrt(sxx * syy);
}
