import { LabError } from '../../src/io/errors';
import { makeViews } from '../training/augment';
import { createRng, shuffledIndices } from '../training/rng';

/** Salt that separates the sample shuffle's stream from the augmentations' streams. */
const SAMPLE_STREAM = 0x5a4d;

/** Most analysis images a job may use (memory of the n x n similarity work in the worker). */
export const MAX_SAMPLE_COUNT = 2000;

/** Two seeded augmented views of a seeded sample of the analysis images. */
export interface ViewSet {
  /** Cache key: sample size and seed. */
  key: string;
  /** Indices into the analysis images, in sample order. */
  indices: Int32Array;
  /** View A, [n, h, w, c] pixels in [0, 1]. */
  a: Float32Array;
  /** View B, the same layout. */
  b: Float32Array;
}

/**
 * The first `sampleCount` images of a shuffle seeded by `seed`, each with two views (random
 * resized crop and flip seeded by seed, image index and view). `images` is [count, h, w, c].
 */
export function sampleViews(images: Uint8Array, count: number, shape: { height: number; width: number; channels: number }, sampleCount: number, seed: number): ViewSet {
  const n = validateSampleCount(sampleCount, count);
  const indices = shuffledIndices(count, createRng(seed, SAMPLE_STREAM)).slice(0, n);
  const { height, width, channels } = shape;
  return {
    key: `${n}|${seed}`,
    indices,
    a: makeViews(images, height, width, channels, indices, seed, 0),
    b: makeViews(images, height, width, channels, indices, seed, 1),
  };
}

function validateSampleCount(requested: number, available: number): number {
  if (!Number.isInteger(requested) || requested < 8) {
    throw new LabError('invalid_input', `The sample size must be a whole number of at least 8 images; got ${requested}.`);
  }
  return Math.min(requested, available, MAX_SAMPLE_COUNT);
}
