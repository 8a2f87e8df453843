import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';

import { readCheckpoint } from '../../../src/io/checkpoint';
import { buildModel } from '../../../workers/models/buildModel';
import { embed } from '../../../workers/engine/embedder';
import { sampleViews } from '../../../workers/engine/sampleViews';

import type { FeatureSet } from '../../../workers/engine/embedder';

const DEMO = join(process.cwd(), 'public/models/fmnist-swav');

/** The demo manifest as committed. */
export function demoManifest(): { checkpoints: { file: string; step: number }[]; input: { height: number; width: number; channels: number; mean: number[]; std: number[] }; dataset: { analysisImages: string }; log: string } {
  return JSON.parse(readFileSync(join(DEMO, 'manifest.json'), 'utf8'));
}

/** Rows of the demo's step log, counted straight from the CSV file. */
export function demoLogRowCount(): number {
  const text = readFileSync(join(DEMO, demoManifest().log), 'utf8').trim();
  return text.split('\n').length - 1;
}

/**
 * Embeds the same sample and views the page uses through checkpoint `index` on tfjs's CPU
 * backend in Node, independently of the browser.
 */
export async function nodeFeatures(index: number, n: number, seed: number): Promise<{ a: FeatureSet; b: FeatureSet }> {
  await tf.setBackend('cpu');
  const manifest = demoManifest();
  const images = new Uint8Array(readFileSync(join(DEMO, manifest.dataset.analysisImages)));
  const per = manifest.input.height * manifest.input.width * manifest.input.channels;
  const { height, width, channels } = manifest.input;
  const count = images.length / per;
  const data = { name: 'demo', images, second: null, count, height, width, channels, labels: new Int32Array(count), classNames: [], ids: [], pairing: 'augmentations' as const };
  const views = sampleViews(data, 'node', channels, n, seed);
  const ckpt = readCheckpoint(new Uint8Array(readFileSync(join(DEMO, manifest.checkpoints[index].file))), manifest.checkpoints[index].file);
  const model = buildModel(ckpt.tensors);
  const hooks = { onBatch: () => undefined, isCancelled: () => false };
  const shape: [number, number, number, number] = [views.indices.length, manifest.input.height, manifest.input.width, manifest.input.channels];
  try {
    const a = await embed(model.network, views.a, shape, manifest.input, hooks);
    const b = await embed(model.network, views.b, shape, manifest.input, hooks);
    return { a, b };
  } finally {
    model.network.dispose();
  }
}

/** ROC AUC by direct pair counting (ties count one half): the textbook definition, O(p q). */
export function naiveAuc(positives: number[], negatives: number[]): number {
  let wins = 0;
  for (const p of positives) for (const q of negatives) wins += p > q ? 1 : p === q ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}

/** Cosine similarity of rows i of `a` and j of `b`, both [n, d]. */
export function cosine(a: Float32Array, b: Float32Array, d: number, i: number, j: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < d; k++) {
    dot += a[i * d + k] * b[j * d + k];
    na += a[i * d + k] ** 2;
    nb += b[j * d + k] ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

/** AUC and top-1 (A to B) of matching against non-matching pairs, by brute force. */
export function naivePairStats(a: Float32Array, b: Float32Array, n: number, d: number): { auc: number; top1: number } {
  const pos: number[] = [];
  const neg: number[] = [];
  let hits = 0;
  for (let i = 0; i < n; i++) {
    let best = -Infinity;
    let bestJ = -1;
    for (let j = 0; j < n; j++) {
      const c = cosine(a, b, d, i, j);
      if (i === j) pos.push(c);
      else neg.push(c);
      if (c > best) {
        best = c;
        bestJ = j;
      }
    }
    if (bestJ === i) hits++;
  }
  return { auc: naiveAuc(pos, neg), top1: hits / n };
}

/** Biased linear CKA straight from its definition, ||Yc^T Xc||_F^2 / (||Xc^T Xc||_F ||Yc^T Yc||_F). */
export function naiveBiasedCka(x: Float32Array, dx: number, y: Float32Array, dy: number, n: number): number {
  const centre = (m: Float32Array, d: number) => {
    const out = new Float64Array(n * d);
    for (let k = 0; k < d; k++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += m[i * d + k];
      mean /= n;
      for (let i = 0; i < n; i++) out[i * d + k] = m[i * d + k] - mean;
    }
    return out;
  };
  const xc = centre(x, dx);
  const yc = centre(y, dy);
  const cross = (p: Float64Array, dp: number, q: Float64Array, dq: number) => {
    let sum = 0;
    for (let u = 0; u < dp; u++) {
      for (let v = 0; v < dq; v++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += p[i * dp + u] * q[i * dq + v];
        sum += s * s;
      }
    }
    return sum;
  };
  return cross(yc, dy, xc, dx) / Math.sqrt(cross(xc, dx, xc, dx) * cross(yc, dy, yc, dy));
}

/** Unbiased linear CKA from the HSIC estimator of Song et al. (2012), written out directly. */
export function naiveUnbiasedCka(x: Float32Array, dx: number, y: Float32Array, dy: number, n: number): number {
  const gram = (m: Float32Array, d: number) => {
    const g = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        let s = 0;
        for (let k = 0; k < d; k++) s += m[i * d + k] * m[j * d + k];
        g[i * n + j] = s;
      }
    }
    return g;
  };
  const hsic = (k: Float64Array, l: Float64Array) => {
    let trace = 0;
    let sumK = 0;
    let sumL = 0;
    let cross = 0;
    for (let i = 0; i < n; i++) {
      let rowK = 0;
      let rowL = 0;
      for (let j = 0; j < n; j++) {
        trace += k[i * n + j] * l[j * n + i];
        rowK += k[i * n + j];
        rowL += l[i * n + j];
      }
      sumK += rowK;
      sumL += rowL;
      cross += rowK * rowL;
    }
    return (trace + (sumK * sumL) / ((n - 1) * (n - 2)) - (2 / (n - 2)) * cross) / (n * (n - 3));
  };
  const kx = gram(x, dx);
  const ky = gram(y, dy);
  return hsic(kx, ky) / Math.sqrt(hsic(kx, kx) * hsic(ky, ky));
}
