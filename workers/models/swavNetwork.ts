import * as tf from '@tensorflow/tfjs';

import { applyConv, applyLinear, foldConvBn, foldLinear } from './foldedLayers';

import type { HostTensor } from '../../src/io/checkpoint';
import type { FoldedConv, FoldedLinear } from './foldedLayers';
import type { SwavHeadSpec } from './swavHeadSpec';
import type { XResNetSpec } from './xresnetSpec';

/** Norm floor of F.normalize (PyTorch's default eps for L2 normalisation). */
const L2_EPS = 1e-12;

/** Every intermediate the views and the parity check read, for one batch. */
export interface NetworkOutputs {
  /** Output of the stem max pool, [batch, h, w, c]. */
  stem: tf.Tensor4D;
  /** Output of each stage, [batch, h, w, c]. */
  stages: tf.Tensor4D[];
  /** Encoder output: concat of [max, avg] global pools, [batch, 2 * c]. */
  pooled: tf.Tensor2D;
  /** Projector output before normalisation, [batch, dim]; null without a head. */
  projector: tf.Tensor2D | null;
  /** L2-normalised projection, [batch, dim]; null without a head. */
  embedding: tf.Tensor2D | null;
  /** Cosine scores against the prototypes, [batch, K]; null without prototypes. */
  scores: tf.Tensor2D | null;
}

interface FoldedBlock {
  convs: FoldedConv[];
  idPool: boolean;
  idConv: FoldedConv | null;
}

/**
 * An XResNet encoder with an optional SwAV head, in eval mode (BatchNorm running statistics,
 * folded into the convolutions). Inputs are NHWC; weights were converted from PyTorch's NCHW.
 */
export class SwavNetwork {
  readonly encoderSpec: XResNetSpec;
  readonly headSpec: SwavHeadSpec | null;
  private readonly stem: FoldedConv[];
  private readonly blocks: FoldedBlock[][];
  private readonly projector: FoldedLinear[];
  private readonly prototypes: tf.Tensor2D | null;

  private constructor(encoderSpec: XResNetSpec, headSpec: SwavHeadSpec | null, stem: FoldedConv[], blocks: FoldedBlock[][], projector: FoldedLinear[], prototypes: tf.Tensor2D | null) {
    this.encoderSpec = encoderSpec;
    this.headSpec = headSpec;
    this.stem = stem;
    this.blocks = blocks;
    this.projector = projector;
    this.prototypes = prototypes;
  }

  /** Uploads the weights named by the specs (keys already stripped of wrapper prefixes). */
  static fromStateDict(tensors: Map<string, HostTensor>, encoderSpec: XResNetSpec, headSpec: SwavHeadSpec | null): SwavNetwork {
    const stem = encoderSpec.stem.map((c) => foldConvBn(tensors, c.key, c.stride, c.relu));
    const blocks = encoderSpec.stages.map((stage) =>
      stage.map((b) => ({
        convs: b.convs.map((c) => foldConvBn(tensors, c.key, c.stride, c.relu)),
        idPool: b.idPool,
        idConv: b.idConv ? foldConvBn(tensors, b.idConv.key, 1, false) : null,
      })),
    );
    const projector: FoldedLinear[] = [];
    if (headSpec) {
      const layers = headSpec.layers;
      for (let i = 0; i < layers.length; i++) {
        const layer = layers[i];
        if (layer.kind !== 'linear') continue;
        const next = layers[i + 1];
        const bn = next?.kind === 'batchnorm' ? next : null;
        projector.push(foldLinear(tensors, layer.key, bn ? bn.key : null, bn ? bn.reluAfter : layer.reluAfter));
      }
    }
    let prototypes: tf.Tensor2D | null = null;
    if (headSpec?.prototypes) {
      const p = tensors.get(headSpec.prototypes.key)!;
      // [K, dim] -> [dim, K] so scores are embedding @ prototypes.
      prototypes = tf.tidy(() => tf.tensor2d(p.values as Float32Array, [p.shape[0], p.shape[1]], 'float32').transpose() as tf.Tensor2D);
    }
    return new SwavNetwork(encoderSpec, headSpec, stem, blocks, projector, prototypes);
  }

  /**
   * Runs x [batch, height, width, channels] (already normalised) through the network. All
   * returned tensors are owned by the caller; call inside tf.tidy or dispose them.
   */
  forward(x: tf.Tensor4D): NetworkOutputs {
    let h = x;
    for (const layer of this.stem) h = applyConv(h, layer);
    // MaxPool2d(3, 2, padding=1): numeric padding, symmetric like PyTorch.
    const stem = tf.maxPool(h, 3, 2, 1);

    const stages: tf.Tensor4D[] = [];
    h = stem;
    for (const stage of this.blocks) {
      for (const block of stage) h = applyBlock(h, block);
      stages.push(h);
    }

    // fastai AdaptiveConcatPool2d concatenates [max, avg], max first.
    const pooled = tf.concat([tf.max(h, [1, 2]), tf.mean(h, [1, 2])], 1) as tf.Tensor2D;
    if (this.projector.length === 0) return { stem, stages, pooled, projector: null, embedding: null, scores: null };

    let z: tf.Tensor2D = pooled;
    for (const layer of this.projector) z = applyLinear(z, layer);
    const norm = tf.maximum(tf.norm(z, 2, 1, true), L2_EPS);
    const embedding = tf.div(z, norm) as tf.Tensor2D;
    const scores = this.prototypes ? (tf.matMul(embedding, this.prototypes) as tf.Tensor2D) : null;
    return { stem, stages, pooled, projector: z, embedding, scores };
  }

  /** Releases every weight tensor. */
  dispose(): void {
    const convs = [...this.stem, ...this.blocks.flat().flatMap((b) => [...b.convs, ...(b.idConv ? [b.idConv] : [])])];
    for (const c of convs) {
      c.filter.dispose();
      c.bias.dispose();
    }
    for (const l of this.projector) {
      l.weight.dispose();
      l.bias.dispose();
    }
    this.prototypes?.dispose();
  }
}

function applyBlock(x: tf.Tensor4D, block: FoldedBlock): tf.Tensor4D {
  let conv = x;
  for (const layer of block.convs) conv = applyConv(conv, layer);
  let id = x;
  // AvgPool2d(2, ceil_mode=True): tfjs 'same' pooling divides edge windows by their valid count,
  // which is what ceil_mode does for odd sizes.
  if (block.idPool) id = tf.avgPool(id, 2, 2, 'same');
  if (block.idConv) id = applyConv(id, block.idConv);
  return tf.relu(tf.add(conv, id)) as tf.Tensor4D;
}
