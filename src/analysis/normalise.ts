import { assertMatrix } from './shape';

import type { FloatArray } from './types';

/**
 * Norm at or below which a vector counts as zero for cosine similarity. It matches the default
 * `eps` of PyTorch's `torch.nn.functional.normalize` (1e-12), which SwAV uses on its embeddings,
 * so an item the training code would have clamped is the item the lab excludes.
 */
export const COSINE_NORM_EPS = 1e-12;

/** Why a row could not be normalised. */
export type InvalidRowReason = 'zero_norm' | 'zero_variance' | 'non_finite';

/** Rows of a matrix scaled to unit length, with the rows that could not be. */
export interface UnitRows {
  /** `[n, d]` row-major float64; a valid row has norm 1, an invalid row is all NaN. */
  readonly unit: Float64Array;
  /** Length n; 1 where the row is valid, 0 where it is not. */
  readonly valid: Uint8Array;
  /** Per invalid row, its index and reason, in ascending index order. */
  readonly invalid: readonly { readonly index: number; readonly reason: InvalidRowReason }[];
}

/**
 * Subtracts each column's mean from `x` `[n, d]` row-major and returns a new Float64Array
 * `[n, d]`. A column whose entries are all equal becomes exactly 0 rather than rounding residue,
 * so a constant feature contributes nothing downstream.
 */
export function centreColumns(x: FloatArray, n: number, d: number): Float64Array {
  assertMatrix('centreColumns', x, n, d);

  const means = new Float64Array(d);
  const lows = new Float64Array(d).fill(Infinity);
  const highs = new Float64Array(d).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let c = 0; c < d; c++) {
      const v = x[o + c];
      means[c] += v;
      if (v < lows[c]) lows[c] = v;
      if (v > highs[c]) highs[c] = v;
    }
  }
  for (let c = 0; c < d; c++) means[c] /= n;

  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let c = 0; c < d; c++) out[o + c] = lows[c] === highs[c] ? 0 : x[o + c] - means[c];
  }
  return out;
}

/**
 * Scales each row of `x` `[n, d]` row-major to unit Euclidean norm. A row with a non-finite
 * entry, or with norm <= COSINE_NORM_EPS, is marked invalid and filled with NaN so that a
 * forgotten validity check shows up instead of passing as a zero similarity.
 */
export function unitRows(x: FloatArray, n: number, d: number): UnitRows {
  assertMatrix('unitRows', x, n, d);

  const unit = new Float64Array(n * d);
  const valid = new Uint8Array(n);
  const invalid: { index: number; reason: InvalidRowReason }[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let sumSquares = 0;
    let finite = true;
    for (let c = 0; c < d; c++) {
      const v = x[o + c];
      if (!Number.isFinite(v)) finite = false;
      sumSquares += v * v;
    }
    const norm = Math.sqrt(sumSquares);
    if (!finite || !(norm > COSINE_NORM_EPS)) {
      invalid.push({ index: i, reason: finite ? 'zero_norm' : 'non_finite' });
      unit.fill(NaN, o, o + d);
      continue;
    }
    valid[i] = 1;
    for (let c = 0; c < d; c++) unit[o + c] = x[o + c] / norm;
  }
  return { unit, valid, invalid };
}

/**
 * Centres each row of `x` `[n, d]` row-major on its own mean and scales it to unit norm, so that
 * the dot product of two output rows is their Pearson correlation. A row whose entries are all
 * equal (zero variance) or include a non-finite value is marked invalid and filled with NaN.
 */
export function standardiseRows(x: FloatArray, n: number, d: number): UnitRows {
  assertMatrix('standardiseRows', x, n, d);

  const unit = new Float64Array(n * d);
  const valid = new Uint8Array(n);
  const invalid: { index: number; reason: InvalidRowReason }[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let sum = 0;
    let low = Infinity;
    let high = -Infinity;
    for (let c = 0; c < d; c++) {
      const v = x[o + c];
      sum += v;
      if (v < low) low = v;
      if (v > high) high = v;
    }
    // A constant row is detected exactly (min === max) rather than by a variance threshold, so
    // float32 inputs with tiny but genuine variation still count as varying.
    const finite = Number.isFinite(low) && Number.isFinite(high) && Number.isFinite(sum);
    if (!finite || low === high) {
      invalid.push({ index: i, reason: finite ? 'zero_variance' : 'non_finite' });
      unit.fill(NaN, o, o + d);
      continue;
    }
    const mean = sum / d;
    let sumSquares = 0;
    for (let c = 0; c < d; c++) {
      const centred = x[o + c] - mean;
      unit[o + c] = centred;
      sumSquares += centred * centred;
    }
    const norm = Math.sqrt(sumSquares);
    valid[i] = 1;
    for (let c = 0; c < d; c++) unit[o + c] /= norm;
  }
  return { unit, valid, invalid };
}
