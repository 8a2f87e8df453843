/**
 * Reference SwAV swapped-prediction loss in float64 (Caron et al. 2020, eq. 1 and 2), written to
 * match self_supervised's SWAV callback (REFERENCE.md §3.5): with p_v = softmax(scores_v / τ)
 * per sample, t[i][v] = mean_b Σ_k q_i[b, k] log p_v[b, k], and
 * loss = -(1/A) Σ_i (1/(V-1)) Σ_{v != i} t[i][v]. Engine tests compare against it.
 */
import { assert } from '../io/errors';

import { assertMatrix } from './shape';

import type { FloatArray } from './types';

/** Sizes shared by every view's scores and codes. */
export interface SwavShape {
  /** Samples per view B. */
  readonly batch: number;
  /** Prototype count K. */
  readonly prototypes: number;
}

/**
 * SwAV loss in nats. `scoresPerView[v]` is view v's `[B, K]` row-major prototype scores (V >= 2
 * views); `codesPerAssignedView[i]` is the `[B, K]` code matrix (rows summing to 1, e.g. from
 * `sinkhornKnopp`) computed from view i, for i = 0..A-1 with A <= V. The term of view i predicting
 * its own codes is left out. Like self_supervised, codes i are paired with view position i, so
 * this matches upstream only for crop_assgn_ids = [0, 1, ...]. `temperature` τ > 0.
 */
export function swavLoss(
  scoresPerView: readonly FloatArray[],
  codesPerAssignedView: readonly FloatArray[],
  temperature: number,
  shape: SwavShape,
): number {
  const { batch, prototypes } = shape;
  const views = scoresPerView.length;
  const assigned = codesPerAssignedView.length;
  assert(views >= 2, () => `swavLoss: needs at least 2 views, got ${views}`);
  assert(
    assigned >= 1 && assigned <= views,
    () => `swavLoss: needs 1..${views} code matrices (one per assigned view), got ${assigned}`,
  );
  assert(
    temperature > 0 && Number.isFinite(temperature),
    () => `swavLoss: temperature must be finite and > 0, got ${temperature}`,
  );
  scoresPerView.forEach((s, v) => {
    assertMatrix(`swavLoss (scoresPerView[${v}])`, s, batch, prototypes);
  });
  codesPerAssignedView.forEach((q, i) => {
    assertMatrix(`swavLoss (codesPerAssignedView[${i}])`, q, batch, prototypes);
  });

  const logProbabilities = scoresPerView.map((scores) =>
    logSoftmaxRows(scores, batch, prototypes, temperature),
  );

  let total = 0;
  for (let i = 0; i < assigned; i++) {
    let crossViews = 0;
    for (let v = 0; v < views; v++) {
      if (v === i) continue;
      crossViews += meanCrossTerm(codesPerAssignedView[i], logProbabilities[v], batch, prototypes);
    }
    total += crossViews / (views - 1);
  }
  return -total / assigned;
}

/** mean_b Σ_k q[b, k] · logP[b, k] over `[B, K]` row-major arrays. */
function meanCrossTerm(
  q: FloatArray,
  logP: Float64Array,
  batch: number,
  prototypes: number,
): number {
  let sum = 0;
  for (let i = 0; i < batch * prototypes; i++) {
    // A zero code contributes nothing even where log p is -Infinity, as q·log p -> 0.
    if (q[i] !== 0) sum += q[i] * logP[i];
  }
  return sum / batch;
}

/** Row-wise log softmax of scores / τ, `[B, K]` row-major in float64, max-subtracted. */
function logSoftmaxRows(
  scores: FloatArray,
  batch: number,
  prototypes: number,
  temperature: number,
): Float64Array {
  const out = new Float64Array(batch * prototypes);
  for (let b = 0; b < batch; b++) {
    const o = b * prototypes;
    let largest = -Infinity;
    for (let k = 0; k < prototypes; k++) largest = Math.max(largest, scores[o + k] / temperature);
    let sum = 0;
    for (let k = 0; k < prototypes; k++) sum += Math.exp(scores[o + k] / temperature - largest);
    const logNormaliser = largest + Math.log(sum);
    for (let k = 0; k < prototypes; k++) out[o + k] = scores[o + k] / temperature - logNormaliser;
  }
  return out;
}
