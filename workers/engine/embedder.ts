import * as tf from '@tensorflow/tfjs';

import { LabError } from '../../src/io/errors';

import type { EncoderNetwork } from '../models/network';

/** Images per forward pass. 64 keeps WebGPU buffers small and batches the WASM kernels well. */
export const EMBED_BATCH = 64;

/** One representation of n samples, row-major [n, d]. */
export interface Representation {
  /** 'stem', 'stage1'.., 'encoder' (concat pool) or 'projection' (L2-normalised). */
  name: string;
  /** Width. */
  d: number;
  /** Values, [n, d] row-major. */
  values: Float32Array;
}

/** Representations of one set of inputs, in depth order. */
export interface FeatureSet {
  /** Samples. */
  n: number;
  /** Pooled stage outputs, then the encoder output, then the projection (when there is a head). */
  reps: Representation[];
}

/** Input normalisation the checkpoint was trained with, per channel. */
export interface Normalisation {
  /** Channel means of [0, 1] pixels. */
  mean: number[];
  /** Channel standard deviations. */
  std: number[];
}

/** Hooks of a long job: progress per batch, and a cancellation check. */
export interface JobHooks {
  /** Called after each batch with the images done so far. */
  onBatch(done: number): void;
  /** True once the user asked to stop. */
  isCancelled(): boolean;
}

/**
 * Runs `inputs` [n, h, w, c] (pixels in [0, 1]) through the network in batches and returns
 * each stage's global-average-pooled output, the encoder output and the projection as host
 * arrays. Intermediate tensors are released after every batch.
 */
export async function embed(network: EncoderNetwork, inputs: Float32Array, shape: [number, number, number, number], norm: Normalisation, hooks: JobHooks): Promise<FeatureSet> {
  const [n, h, w, c] = shape;
  const per = h * w * c;
  const mean = tf.tensor1d(norm.mean, 'float32');
  const std = tf.tensor1d(norm.std, 'float32');
  let reps: Representation[] | null = null;

  try {
    for (let start = 0; start < n; start += EMBED_BATCH) {
      // On cpu and wasm, data() resolves without a macrotask, so a cancel message would never be
      // read until the job ended; yielding here lets the worker take messages between batches.
      await yieldToEventLoop();
      if (hooks.isCancelled()) throw new LabError('cancelled', 'The job was cancelled; nothing computed so far was kept.');
      const count = Math.min(EMBED_BATCH, n - start);
      let widths: number[] = [];
      // One [count, sum of widths] tensor and one read-back per batch: on WebGPU every data() is
      // a queue sync plus a buffer map, which cost more than the forward pass at small batches.
      const packed = tf.tidy(() => {
        const x = tf.tensor4d(inputs.subarray(start * per, (start + count) * per), [count, h, w, c], 'float32');
        const out = network.forward(tf.div(tf.sub(x, mean), std) as tf.Tensor4D);
        const pooledStages = [out.stem, ...out.stages].map((t) => tf.mean(t, [1, 2]) as tf.Tensor2D);
        const parts = [...pooledStages, out.pooled, ...(out.embedding ? [out.embedding] : [])];
        widths = parts.map((t) => t.shape[1]);
        return tf.concat(parts, 1) as tf.Tensor2D;
      });
      try {
        const data = (await packed.data()) as Float32Array;
        reps ??= widths.map((d, i) => ({ name: repName(i, widths.length, network), d, values: new Float32Array(n * d) }));
        unpackRows(data, count, widths, reps, start);
      } finally {
        packed.dispose();
      }
      hooks.onBatch(start + count);
    }
  } finally {
    mean.dispose();
    std.dispose();
  }
  return { n, reps: reps ?? [] };
}

/** Splits rows of concatenated representations into each representation's array (mutates `reps`). */
function unpackRows(data: Float32Array, count: number, widths: number[], reps: Representation[], start: number): void {
  const total = widths.reduce((a, b) => a + b, 0);
  for (let row = 0; row < count; row++) {
    let offset = row * total;
    for (let i = 0; i < widths.length; i++) {
      const d = widths[i];
      reps[i].values.set(data.subarray(offset, offset + d), (start + row) * d);
      offset += d;
    }
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function repName(i: number, total: number, network: EncoderNetwork): string {
  const stageCount = network.stageNames.length;
  if (i === 0) return 'stem';
  if (i < stageCount) return `stage${i}`;
  if (i === stageCount) return 'encoder';
  if (i === total - 1 && network.headSpec) return 'projection';
  return `output${i}`;
}
