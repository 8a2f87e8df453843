/**
 * Seeded random helpers for the analysis tests. Every generator is injected; nothing touches
 * Math.random.
 */

/** A function returning uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * Mulberry32 (Tommy Ettinger's 32-bit generator, public domain): small, fast and good enough
 * for test data. Returns uniforms in [0, 1) from the given integer seed.
 */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `[rows, cols]` row-major standard normals by the Box-Muller transform. */
export function normalMatrix(rng: Rng, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < out.length; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - rng()));
    const angle = 2 * Math.PI * rng();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < out.length) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

/**
 * A random `[d, d]` orthogonal matrix: Gram-Schmidt (twice, for float64 orthogonality to
 * ~1e-15) on the rows of a seeded normal matrix.
 */
export function orthogonalMatrix(rng: Rng, d: number): Float64Array {
  const q = normalMatrix(rng, d, d);
  for (let i = 0; i < d; i++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < i; j++) {
        let dot = 0;
        for (let c = 0; c < d; c++) dot += q[i * d + c] * q[j * d + c];
        for (let c = 0; c < d; c++) q[i * d + c] -= dot * q[j * d + c];
      }
    }
    let norm = 0;
    for (let c = 0; c < d; c++) norm += q[i * d + c] ** 2;
    norm = Math.sqrt(norm);
    for (let c = 0; c < d; c++) q[i * d + c] /= norm;
  }
  return q;
}

/** Plain `[n, k]` = `[n, m]` × `[m, k]` product, all row-major. */
export function matmul(a: Float64Array, b: Float64Array, n: number, m: number, k: number): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < m; t++) {
      const v = a[i * m + t];
      for (let j = 0; j < k; j++) out[i * k + j] += v * b[t * k + j];
    }
  }
  return out;
}
