/**
 * Shared array types for the analysis code. Every matrix is a flat row-major typed array with its
 * sizes passed next to it; the analysis always computes in float64 whatever the input precision.
 */

/** A flat row-major numeric array as it comes from the engine (f32) or from the analysis (f64). */
export type FloatArray = Float32Array | Float64Array;

/**
 * One representation of `n` samples: `values` is `[n, d]` row-major, row i being sample i's
 * feature vector. The sample count is passed separately so every representation agrees on it.
 */
export interface Representation {
  /** `[n, d]` row-major; length is exactly n * d. */
  readonly values: FloatArray;
  /** Feature count per sample; a positive integer. */
  readonly d: number;
}
