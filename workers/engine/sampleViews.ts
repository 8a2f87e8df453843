import { LabError } from '../../src/io/errors';
import { adaptChannels } from '../training/channels';
import { makeViews } from '../training/augment';
import { createRng, shuffledIndices } from '../training/rng';

import type { AnalysisData } from './runSource';

/** Salt that separates the sample shuffle's stream from the augmentations' streams. */
const SAMPLE_STREAM = 0x5a4d;

/** Most analysis images a job may use (memory of the n x n similarity work in the worker). */
export const MAX_SAMPLE_COUNT = 2000;

/** Two views of a seeded sample of the analysis images. */
export interface ViewSet {
  /** Cache key: data, sample size, seed and channels. */
  key: string;
  /** Indices into the analysis images, in sample order. */
  indices: Int32Array;
  /** View A, [n, h, w, channels] pixels in [0, 1]. */
  a: Float32Array;
  /** View B, the same layout. */
  b: Float32Array;
  /** Channels of a and b (the checkpoint's input channels). */
  channels: number;
}

/**
 * The first `sampleCount` items of a shuffle seeded by `seed`, each with two views: its two
 * sensors when the data is paired, else two random resized crops and flips seeded by seed,
 * item index and view. Views are converted to `channels` (the checkpoint's input channels).
 */
export function sampleViews(data: AnalysisData, dataKey: string, channels: number, sampleCount: number, seed: number): ViewSet {
  const n = validateSampleCount(sampleCount, data.count);
  const indices = shuffledIndices(data.count, createRng(seed, SAMPLE_STREAM)).slice(0, n);
  const { height, width } = data;
  let a: Float32Array;
  let b: Float32Array;
  if (data.pairing === 'sensors' && data.second) {
    a = gather(data.images, indices, height * width * data.channels);
    b = gather(data.second, indices, height * width * data.channels);
  } else {
    a = makeViews(data.images, height, width, data.channels, indices, seed, 0);
    b = makeViews(data.images, height, width, data.channels, indices, seed, 1);
  }
  return {
    key: viewSetKey(dataKey, n, seed, channels),
    indices,
    a: adaptChannels(a, data.channels, channels),
    b: adaptChannels(b, data.channels, channels),
    channels,
  };
}

/** The key sampleViews would give, to test a cached ViewSet without rebuilding it. */
export function viewSetKey(dataKey: string, n: number, seed: number, channels: number): string {
  return `${dataKey}|${n}|${seed}|${channels}`;
}

/** The sample size a request resolves to. */
export function validateSampleCount(requested: number, available: number): number {
  if (!Number.isInteger(requested) || requested < 8) {
    throw new LabError('invalid_input', `The sample size must be a whole number of at least 8 images; got ${requested}.`);
  }
  if (available < 8) throw new LabError('invalid_input', `The dataset has ${available} usable items; the views need at least 8.`);
  return Math.min(requested, available, MAX_SAMPLE_COUNT);
}

function gather(images: Uint8Array, indices: Int32Array, per: number): Float32Array {
  const out = new Float32Array(indices.length * per);
  for (let k = 0; k < indices.length; k++) {
    const base = indices[k] * per;
    for (let j = 0; j < per; j++) out[k * per + j] = images[base + j] / 255;
  }
  return out;
}
