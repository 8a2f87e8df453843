import { assert } from '../io/errors';

import type { FloatArray } from './types';

/** Options for `histogram`. */
export interface HistogramOptions {
  /** Number of equal-width bins; a positive integer. */
  readonly bins: number;
  /**
   * Closed range [low, high] the bins cover, low < high and both finite. Defaults to the
   * smallest and largest finite value (widened by 0.5 each side when they are equal).
   */
  readonly domain?: readonly [number, number];
}

/** Counts of values in equal-width bins, small enough to send to the UI instead of the values. */
export interface Histogram {
  /** Length `bins`; counts[b] holds values in [edges[b], edges[b+1]), the last bin also high. */
  readonly counts: Float64Array;
  /** Length `bins + 1`, ascending; all NaN when no domain was given and no value is finite. */
  readonly edges: Float64Array;
  /** Values below the domain (including -Infinity); counted, never clamped into a bin. */
  readonly below: number;
  /** Values above the domain (including +Infinity). */
  readonly above: number;
  /** NaN values, counted separately. */
  readonly missing: number;
}

/**
 * Bins `values` (any length, e.g. the ~4e6 non-matching cosines of 2000 pairs) into
 * `options.bins` equal-width bins over `options.domain`. Values outside the domain and NaN are
 * counted apart, so the counts plus `below`, `above` and `missing` add up to values.length.
 */
export function histogram(values: FloatArray, options: HistogramOptions): Histogram {
  const { bins } = options;
  assert(
    Number.isInteger(bins) && bins > 0,
    () => `histogram: bins must be a positive integer, got ${bins}`,
  );

  const domain = options.domain ?? finiteRange(values);
  const counts = new Float64Array(bins);
  const edges = new Float64Array(bins + 1);
  if (domain === null) {
    edges.fill(NaN);
    return { counts, edges, ...countNonFinite(values) };
  }
  const [low, high] = domain;
  assert(
    Number.isFinite(low) && Number.isFinite(high) && low < high,
    () => `histogram: domain must be finite with low < high, got [${low}, ${high}]`,
  );

  for (let b = 0; b <= bins; b++) edges[b] = b === bins ? high : low + ((high - low) * b) / bins;
  let below = 0;
  let above = 0;
  let missing = 0;
  const scale = bins / (high - low);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) missing++;
    else if (v < low) below++;
    else if (v > high) above++;
    else counts[binOf(v, low, scale, edges, bins)]++;
  }
  return { counts, edges, below, above, missing };
}

/** Bin of an in-domain value, nudged so it agrees with `edges` despite rounding in the scale. */
function binOf(v: number, low: number, scale: number, edges: Float64Array, bins: number): number {
  let b = Math.min(bins - 1, Math.floor((v - low) * scale));
  while (b > 0 && v < edges[b]) b--;
  while (b < bins - 1 && v >= edges[b + 1]) b++;
  return b;
}

/** [min, max] over finite values (widened when equal), or null when none is finite. */
function finiteRange(values: FloatArray): [number, number] | null {
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  if (low > high) return null;
  return low === high ? [low - 0.5, high + 0.5] : [low, high];
}

/** Counts of -Infinity (below), +Infinity (above) and NaN (missing) entries. */
function countNonFinite(values: FloatArray): { below: number; above: number; missing: number } {
  let below = 0;
  let above = 0;
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) missing++;
    else if (v === -Infinity) below++;
    else if (v === Infinity) above++;
  }
  return { below, above, missing };
}
