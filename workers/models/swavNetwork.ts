import * as tf from '@tensorflow/tfjs';

import { applyConv, foldConvBn } from './foldedLayers';
import { applyHeads, createHeadLayers, disposeHeadLayers, globalPool } from './headLayers';

import type { HostTensor } from '../../src/io/checkpoint';
import type { ClassifierHeadSpec } from './classifierHeadSpec';
import type { FoldedConv } from './foldedLayers';
import type { HeadLayers } from './headLayers';
import type { EncoderNetwork, NetworkOutputs, PoolingKind, RecognisedArchitecture } from './network';
import type { SwavHeadSpec } from './swavHeadSpec';
import type { XResNetSpec } from './xresnetSpec';

export type { NetworkOutputs } from './network';

/** The recognised architecture of a fastai XResNet. */
type XResNetArchitecture = Extract<RecognisedArchitecture, { family: 'xresnet' }>;

/** Heads beside the encoder other than the SwAV head, for fromStateDict. */
export interface SwavNetworkOptions {
  /** The classifier head, when the checkpoint is a fine-tuned model; default none. */
  classifier?: ClassifierHeadSpec | null;
  /** The global pool; default fastai's concat pool ('max-avg'), as self_supervised's encoder. */
  pooling?: PoolingKind;
}

interface FoldedBlock {
  convs: FoldedConv[];
  idPool: boolean;
  idConv: FoldedConv | null;
}

/**
 * An XResNet encoder with an optional SwAV head and classifier, in eval mode (BatchNorm running
 * statistics, folded into the convolutions). Inputs are NHWC; weights were converted from
 * PyTorch's NCHW. `pooled` is the concat pool [max, avg] of self_supervised's encoder, or the
 * average pool of a whole fastai XResNet classifier (whose Linear reads C features).
 */
export class SwavNetwork implements EncoderNetwork {
  readonly family = 'xresnet' as const;
  readonly architecture: XResNetArchitecture;
  readonly encoderSpec: XResNetSpec;
  readonly headSpec: SwavHeadSpec | null;
  readonly classifierSpec: ClassifierHeadSpec | null;
  readonly stageNames: readonly string[];
  private readonly stem: FoldedConv[];
  private readonly blocks: FoldedBlock[][];
  private readonly heads: HeadLayers;

  private constructor(architecture: XResNetArchitecture, stem: FoldedConv[], blocks: FoldedBlock[][], heads: HeadLayers) {
    this.architecture = architecture;
    this.encoderSpec = architecture.encoder;
    this.headSpec = architecture.head;
    this.classifierSpec = architecture.classifier;
    this.stageNames = ['stem', ...architecture.encoder.stages.map((_, i) => `stage${i + 1}`)];
    this.stem = stem;
    this.blocks = blocks;
    this.heads = heads;
  }

  /** Uploads the weights named by the specs (keys already stripped of wrapper prefixes). */
  static fromStateDict(tensors: Map<string, HostTensor>, encoderSpec: XResNetSpec, headSpec: SwavHeadSpec | null, options: SwavNetworkOptions = {}): SwavNetwork {
    const architecture: XResNetArchitecture = {
      family: 'xresnet',
      encoder: encoderSpec,
      head: headSpec,
      classifier: options.classifier ?? null,
      pooling: options.pooling ?? 'max-avg',
    };
    const stem = encoderSpec.stem.map((c) => foldConvBn(tensors, c.key, c.stride, c.relu));
    const blocks = encoderSpec.stages.map((stage) =>
      stage.map((b) => ({
        convs: b.convs.map((c) => foldConvBn(tensors, c.key, c.stride, c.relu)),
        idPool: b.idPool,
        idConv: b.idConv ? foldConvBn(tensors, b.idConv.key, 1, false) : null,
      })),
    );
    return new SwavNetwork(architecture, stem, blocks, createHeadLayers(tensors, headSpec, architecture.classifier));
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

    const pooled = globalPool(h, this.architecture.pooling);
    return { stem, stages, pooled, ...applyHeads(pooled, this.heads) };
  }

  /** Releases every weight tensor. */
  dispose(): void {
    const convs = [...this.stem, ...this.blocks.flat().flatMap((b) => [...b.convs, ...(b.idConv ? [b.idConv] : [])])];
    for (const c of convs) {
      c.filter.dispose();
      c.bias.dispose();
    }
    disposeHeadLayers(this.heads);
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
