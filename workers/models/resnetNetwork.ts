import * as tf from '@tensorflow/tfjs';

import { applyConv, foldConvBnAt } from './foldedLayers';
import { applyHeads, createHeadLayers, disposeHeadLayers, globalPool } from './headLayers';

import type { HostTensor } from '../../src/io/checkpoint';
import type { ClassifierHeadSpec } from './classifierHeadSpec';
import type { FoldedConv } from './foldedLayers';
import type { HeadLayers } from './headLayers';
import type { EncoderNetwork, NetworkOutputs, RecognisedArchitecture } from './network';
import type { ResNetConvSpec, ResNetSpec } from './resnetSpec';
import type { SwavHeadSpec } from './swavHeadSpec';

/** The recognised architecture of a torchvision-style ResNet. */
type ResNetArchitecture = Extract<RecognisedArchitecture, { family: 'torchvision-resnet' }>;

interface FoldedBlock {
  convs: FoldedConv[];
  downsample: FoldedConv | null;
}

/**
 * A torchvision-style ResNet trunk with optional SwAV head and classifier, in eval mode
 * (BatchNorm running statistics folded into the convolutions). Inputs are NHWC.
 *
 * Outputs: stem = after the max pool, stages = layer1..layerN. `pooled` is the global average
 * pool, [batch, C], as torchvision's ResNet (avgpool) and facebookresearch/swav pool, unless the
 * checkpoint's head reads 2C features: that is fastai's concat pool ([max, avg]) of a
 * vision_learner body, and `pooled` then follows it.
 */
export class ResNetNetwork implements EncoderNetwork {
  readonly family = 'torchvision-resnet' as const;
  readonly architecture: ResNetArchitecture;
  readonly encoderSpec: ResNetSpec;
  readonly headSpec: SwavHeadSpec | null;
  readonly classifierSpec: ClassifierHeadSpec | null;
  readonly stageNames: readonly string[];
  private readonly stem: FoldedConv;
  private readonly blocks: FoldedBlock[][];
  private readonly heads: HeadLayers;

  private constructor(architecture: ResNetArchitecture, stem: FoldedConv, blocks: FoldedBlock[][], heads: HeadLayers) {
    this.architecture = architecture;
    this.encoderSpec = architecture.encoder;
    this.headSpec = architecture.head;
    this.classifierSpec = architecture.classifier;
    this.stageNames = ['stem', ...architecture.encoder.stages.map((_, i) => `stage${i + 1}`)];
    this.stem = stem;
    this.blocks = blocks;
    this.heads = heads;
  }

  /** Uploads the weights the architecture names (keys already stripped of wrapper prefixes). */
  static fromStateDict(tensors: Map<string, HostTensor>, architecture: ResNetArchitecture): ResNetNetwork {
    const fold = (c: ResNetConvSpec): FoldedConv => foldConvBnAt(tensors, c.convKey, c.bnKey, c.stride, c.relu);
    const spec = architecture.encoder;
    const stem = fold(spec.stem);
    const blocks = spec.stages.map((stage) => stage.map((b) => ({ convs: b.convs.map(fold), downsample: b.downsample ? fold(b.downsample) : null })));
    return new ResNetNetwork(architecture, stem, blocks, createHeadLayers(tensors, architecture.head, architecture.classifier));
  }

  /**
   * Runs x [batch, height, width, channels] (already normalised) through the network. All
   * returned tensors are owned by the caller; call inside tf.tidy or dispose them.
   */
  forward(x: tf.Tensor4D): NetworkOutputs {
    // conv1 with numeric symmetric padding (k - 1) / 2, then MaxPool2d(3, 2, padding=1): never
    // tfjs 'same', which pads stride-2 windows asymmetrically on even sizes.
    const stem = tf.maxPool(applyConv(x, this.stem), 3, 2, 1);

    const stages: tf.Tensor4D[] = [];
    let h = stem;
    for (const stage of this.blocks) {
      for (const block of stage) h = applyBlock(h, block);
      stages.push(h);
    }

    const pooled = globalPool(h, this.architecture.pooling);
    return { stem, stages, pooled, ...applyHeads(pooled, this.heads) };
  }

  /** Releases every weight tensor. */
  dispose(): void {
    const convs = [this.stem, ...this.blocks.flat().flatMap((b) => [...b.convs, ...(b.downsample ? [b.downsample] : [])])];
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
  // downsample.0 is a 1x1 conv with the block's stride and no padding, so odd sizes give
  // floor((h - 1) / s) + 1 rows on both sides, like the 3x3 path.
  const identity = block.downsample ? applyConv(x, block.downsample) : x;
  return tf.relu(tf.add(conv, identity)) as tf.Tensor4D;
}
