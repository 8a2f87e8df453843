/**
 * Seeded random numbers for reproducible augmentations and samples. Mulberry32 (a 32-bit
 * state generator by Tommy Ettinger) is small and plenty for choosing crops.
 */

/** A function returning uniform numbers in [0, 1). */
export type RandomFn = () => number;

/** Returns a generator seeded by the integers given, e.g. createRng(seed, imageIndex, view). */
export function createRng(...seeds: number[]): RandomFn {
  let state = 0x9e3779b9;
  for (const s of seeds) state = Math.imul(state ^ (s >>> 0), 0x85ebca6b) + 0x68e31da4;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns 0..count-1 in an order shuffled by `rng` (Fisher-Yates). */
export function shuffledIndices(count: number, rng: RandomFn): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}
