/**
 * Debiased exponential moving average, the smoothing TensorBoard's scalar dashboard applies since
 * tensorflow/tensorboard PR #639 (issue #610): the average starts at 0 and is divided by
 * 1 - w^k after k finite points, the bias correction of Adam's moment estimates (Kingma and Ba
 * 2015, "Adam: A Method for Stochastic Optimization", §3). Without it the curve is pulled toward
 * the first value for about 1/(1 - w) steps (CASES.md B23).
 */
import { assert } from '../io/errors';

import type { FloatArray } from './types';

/**
 * Smooths `values` (one value per logged step, full resolution: smooth before any downsampling
 * so a run's prefix looks the same whatever its length) with weight `weight` in [0, 1); weight 0
 * returns the finite values unchanged. Returns a Float64Array of the same length. A NaN or
 * infinite input gives NaN at its index and is skipped by the average, so later values are
 * unaffected. Example: [10, 1, 1, ...] with weight 0.99 gives about 5.48 at index 1.
 */
export function debiasedEma(values: FloatArray, weight: number): Float64Array {
  assert(
    Number.isFinite(weight) && weight >= 0 && weight < 1,
    () => `debiasedEma: weight must be in [0, 1), got ${weight}`,
  );

  const smoothed = new Float64Array(values.length);
  let average = 0;
  // w^k for the k finite points seen so far, kept as a running product rather than Math.pow.
  let weightPower = 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      smoothed[i] = NaN;
      continue;
    }
    average = weight * average + (1 - weight) * v;
    weightPower *= weight;
    smoothed[i] = average / (1 - weightPower);
  }
  return smoothed;
}
