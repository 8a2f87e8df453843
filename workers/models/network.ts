import type * as tf from '@tensorflow/tfjs';

import type { ClassifierHeadSpec } from './classifierHeadSpec';
import type { ResNetSpec } from './resnetSpec';
import type { SwavHeadSpec } from './swavHeadSpec';
import type { XResNetSpec } from './xresnetSpec';

/**
 * The contract every encoder network in the lab meets, whatever family it was recognised as,
 * and the recognised architecture it was built from. The engine (embedder, parity, throughput)
 * only reads what is declared here.
 */

/** Encoder families the lab recognises from state-dict keys and shapes. */
export type ArchitectureFamily = 'xresnet' | 'torchvision-resnet';

/**
 * How the last stage becomes the encoder vector: 'max-avg' is fastai's AdaptiveConcatPool2d
 * ([max, avg] on channels, 2C wide); 'avg' is AdaptiveAvgPool2d(1) (C wide), as torchvision's
 * ResNet and facebookresearch/swav pool.
 */
export type PoolingKind = 'max-avg' | 'avg';

/** The parts around the encoder, shared by every family. */
interface ArchitectureParts {
  /** The SwAV projector and prototypes, or null for an encoder without one. */
  head: SwavHeadSpec | null;
  /** The classifier head (fine-tuned models, torchvision's fc), or null. */
  classifier: ClassifierHeadSpec | null;
  /** The global pool in front of the heads; the heads' input width agrees with it. */
  pooling: PoolingKind;
}

/** A recognised checkpoint: its encoder family and spec, and the heads beside it. */
export type RecognisedArchitecture =
  | ({ family: 'xresnet'; encoder: XResNetSpec } & ArchitectureParts)
  | ({ family: 'torchvision-resnet'; encoder: ResNetSpec } & ArchitectureParts);

/** Every intermediate the views and the parity check read, for one batch. */
export interface NetworkOutputs {
  /** Output of the stem max pool, [batch, h, w, c]. */
  stem: tf.Tensor4D;
  /** Output of each stage, [batch, h, w, c]. */
  stages: tf.Tensor4D[];
  /** Encoder output after the global pool (see PoolingKind), [batch, c] or [batch, 2c]. */
  pooled: tf.Tensor2D;
  /** Projector output before normalisation, [batch, dim]; null without a SwAV head. */
  projector: tf.Tensor2D | null;
  /** L2-normalised projection, [batch, dim]; null without a SwAV head. */
  embedding: tf.Tensor2D | null;
  /** Cosine scores against the prototypes, [batch, K]; null without prototypes. */
  scores: tf.Tensor2D | null;
  /** Classifier logits, [batch, classes]; null without a classifier head. */
  logits: tf.Tensor2D | null;
}

/**
 * A tfjs LayersModel run as it is (model.json + weight files): its stages are its last layer at
 * each spatial resolution, its encoder output the model's output (average-pooled when 4-D).
 */
export interface LayersModelArchitecture {
  family: 'tfjs-layers';
  /** The model's name from model.json. */
  modelName: string;
  /** Names of the layers read as stem and stages, in depth order. */
  stageLayers: string[];
  /** Fixed input size [height, width, channels] from the model's input layer. */
  inputShape: [number, number, number];
  pooling: 'avg';
  head: null;
  classifier: null;
}

/** What any network was built from. */
export type NetworkArchitecture = RecognisedArchitecture | LayersModelArchitecture;

/** An encoder with its heads on the current tfjs backend, in eval mode. */
export interface EncoderNetwork {
  /** Which family built it; `architecture.family` says the same. */
  readonly family: ArchitectureFamily | 'tfjs-layers';
  /** What it was built from (keys stripped of wrapper prefixes). */
  readonly architecture: NetworkArchitecture;
  /** 'stem', then 'stage1'..'stageN', aligned with NetworkOutputs.stem and .stages. */
  readonly stageNames: readonly string[];
  /** The SwAV head, or null; the same object as architecture.head. */
  readonly headSpec: SwavHeadSpec | null;
  /** The classifier head, or null; the same object as architecture.classifier. */
  readonly classifierSpec: ClassifierHeadSpec | null;
  /**
   * Runs x [batch, height, width, channels] (already normalised) through the network. Every
   * returned tensor is owned by the caller; call inside tf.tidy or dispose them.
   */
  forward(x: tf.Tensor4D): NetworkOutputs;
  /** Releases every weight tensor; the network is unusable afterwards. */
  dispose(): void;
}
