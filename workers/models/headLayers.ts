import * as tf from '@tensorflow/tfjs';

import { assert } from '../../src/io/errors';
import { applyLinear, batchNormAffine, foldLinear } from './foldedLayers';

import type { HostTensor } from '../../src/io/checkpoint';
import type { ClassifierHeadSpec } from './classifierHeadSpec';
import type { FoldedLinear } from './foldedLayers';
import type { PoolingKind } from './network';
import type { SwavHeadSpec } from './swavHeadSpec';

/** Norm floor of F.normalize (PyTorch's default eps for L2 normalisation). */
const L2_EPS = 1e-12;

/** Everything after the global pool, uploaded: SwAV projector and prototypes, classifier. */
export interface HeadLayers {
  /** Projector Linears with their following BatchNorm1d folded in; empty without a SwAV head. */
  projector: FoldedLinear[];
  /** Prototype matrix transposed to [dim, K] so scores = embedding @ prototypes; or null. */
  prototypes: tf.Tensor2D | null;
  /** Classifier Linears with every BatchNorm1d folded in; empty without a classifier. */
  classifier: FoldedLinear[];
}

/** What the heads compute from the pooled features; null where the head is absent. */
export interface HeadOutputs {
  /** Projector output before normalisation, [batch, dim]. */
  projector: tf.Tensor2D | null;
  /** L2-normalised projection, [batch, dim]. */
  embedding: tf.Tensor2D | null;
  /** embedding @ prototypes^T, [batch, K]. */
  scores: tf.Tensor2D | null;
  /** Classifier output, [batch, classes]. */
  logits: tf.Tensor2D | null;
}

/**
 * Uploads the heads named by the specs (keys stripped of wrapper prefixes). The returned tensors
 * are owned by the caller; release them with disposeHeadLayers.
 */
export function createHeadLayers(tensors: Map<string, HostTensor>, head: SwavHeadSpec | null, classifier: ClassifierHeadSpec | null): HeadLayers {
  const projector: FoldedLinear[] = [];
  let prototypes: tf.Tensor2D | null = null;
  if (head) {
    const layers = head.layers;
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i];
      if (layer.kind !== 'linear') continue;
      const next = layers[i + 1];
      const bn = next?.kind === 'batchnorm' ? next : null;
      projector.push(foldLinear(tensors, layer.key, bn ? bn.key : null, bn ? bn.reluAfter : layer.reluAfter));
    }
    if (head.prototypes) {
      const p = tensors.get(head.prototypes.key)!;
      prototypes = tf.tidy(() => tf.tensor2d(Float32Array.from(p.values), [p.shape[0], p.shape[1]], 'float32').transpose() as tf.Tensor2D);
    }
  }
  return { projector, prototypes, classifier: classifier ? foldClassifier(tensors, classifier) : [] };
}

/** Global pool of x [batch, h, w, c]: [batch, 2c] as [max, avg] (fastai), or [batch, c] average. */
export function globalPool(x: tf.Tensor4D, pooling: PoolingKind): tf.Tensor2D {
  if (pooling === 'avg') return tf.mean(x, [1, 2]) as tf.Tensor2D;
  // fastai AdaptiveConcatPool2d concatenates [max, avg], max first.
  return tf.concat([tf.max(x, [1, 2]), tf.mean(x, [1, 2])], 1) as tf.Tensor2D;
}

/** Runs the heads on pooled [batch, features]; the outputs are owned by the caller. */
export function applyHeads(pooled: tf.Tensor2D, layers: HeadLayers): HeadOutputs {
  let projector: tf.Tensor2D | null = null;
  let embedding: tf.Tensor2D | null = null;
  let scores: tf.Tensor2D | null = null;
  if (layers.projector.length > 0) {
    let z = pooled;
    for (const layer of layers.projector) z = applyLinear(z, layer);
    projector = z;
    embedding = tf.div(z, tf.maximum(tf.norm(z, 2, 1, true), L2_EPS)) as tf.Tensor2D;
    scores = layers.prototypes ? (tf.matMul(embedding, layers.prototypes) as tf.Tensor2D) : null;
  }
  let logits: tf.Tensor2D | null = null;
  if (layers.classifier.length > 0) {
    logits = pooled;
    for (const layer of layers.classifier) logits = applyLinear(logits, layer);
  }
  return { projector, embedding, scores, logits };
}

/** Releases every tensor of `layers`. */
export function disposeHeadLayers(layers: HeadLayers): void {
  for (const l of [...layers.projector, ...layers.classifier]) {
    l.weight.dispose();
    l.bias.dispose();
  }
  layers.prototypes?.dispose();
}

/**
 * Folds the classifier into plain Linears, in float64 on the host. A BatchNorm1d in front of a
 * Linear (fastai's LinBnDrop order: BN, Dropout, Linear) scales its input columns and shifts its
 * bias: W' = W diag(s), b' = b + W t. A BatchNorm1d after the last Linear (bn_final) scales its
 * rows. Between Linears the ReLU comes first, so a BN there belongs to the next Linear.
 */
function foldClassifier(tensors: Map<string, HostTensor>, spec: ClassifierHeadSpec): FoldedLinear[] {
  const folded: { weight: Float64Array; bias: Float64Array; inF: number; out: number; relu: boolean }[] = [];
  let pending: { scale: Float64Array; shift: Float64Array } | null = null;
  for (const layer of spec.layers) {
    if (layer.kind === 'batchnorm') {
      const bn = batchNormAffine(tensors, layer.key);
      const last = folded[folded.length - 1];
      if (last && !last.relu && pending === null) {
        scaleRows(last, bn);
      } else {
        pending = pending ? composeAffine(pending, bn) : bn;
      }
      continue;
    }
    const weight = tensors.get(`${layer.key}.weight`)!;
    const bias = layer.bias ? tensors.get(`${layer.key}.bias`)!.values : null;
    const [out, inF] = weight.shape;
    assert(inF === layer.inFeatures && out === layer.outFeatures, () => `foldClassifier: ${layer.key}.weight is [${weight.shape}], the spec says [${layer.outFeatures}, ${layer.inFeatures}]`);
    const w = Float64Array.from(weight.values);
    const b = bias ? Float64Array.from(bias) : new Float64Array(out);
    if (pending) {
      for (let o = 0; o < out; o++) {
        for (let i = 0; i < inF; i++) {
          b[o] += w[o * inF + i] * pending.shift[i];
          w[o * inF + i] *= pending.scale[i];
        }
      }
      pending = null;
    }
    folded.push({ weight: w, bias: b, inF, out, relu: layer.reluAfter });
  }
  assert(pending === null, () => `foldClassifier: a BatchNorm1d after the last ReLU of ${spec.prefix} has no Linear to fold into`);

  return folded.map(({ weight, bias, inF, out, relu }) => {
    const transposed = new Float32Array(inF * out);
    for (let o = 0; o < out; o++) for (let i = 0; i < inF; i++) transposed[i * out + o] = weight[o * inF + i];
    return { weight: tf.tensor2d(transposed, [inF, out], 'float32'), bias: tf.tensor1d(Float32Array.from(bias), 'float32'), relu };
  });
}

/** Mutates `layer` (declared): y = (W x + b) * s + t, row by row. */
function scaleRows(layer: { weight: Float64Array; bias: Float64Array; inF: number; out: number }, bn: { scale: Float64Array; shift: Float64Array }): void {
  for (let o = 0; o < layer.out; o++) {
    for (let i = 0; i < layer.inF; i++) layer.weight[o * layer.inF + i] *= bn.scale[o];
    layer.bias[o] = layer.bias[o] * bn.scale[o] + bn.shift[o];
  }
}

/** The affine map `second(first(x))`, both per channel. */
function composeAffine(first: { scale: Float64Array; shift: Float64Array }, second: { scale: Float64Array; shift: Float64Array }): { scale: Float64Array; shift: Float64Array } {
  const scale = first.scale.map((s, c) => s * second.scale[c]);
  const shift = first.shift.map((t, c) => t * second.scale[c] + second.shift[c]);
  return { scale, shift };
}
