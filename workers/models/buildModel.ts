import { summariseArchitecture } from './architectureSummary';
import { countParameters, recogniseShapes } from './recognise';
import { ResNetNetwork } from './resnetNetwork';
import { normalizeKeys } from './stateDictKeys';
import { SwavNetwork } from './swavNetwork';

import type { HostTensor } from '../../src/io/checkpoint';
import type { ArchitectureSummary } from '../engineApi';
import type { ClassifierHeadSpec } from './classifierHeadSpec';
import type { ArchitectureFamily, EncoderNetwork, PoolingKind, RecognisedArchitecture } from './network';
import type { ResNetSpec } from './resnetSpec';
import type { SwavHeadSpec } from './swavHeadSpec';
import type { XResNetSpec } from './xresnetSpec';

/** A checkpoint's weights, recognised and uploaded. */
export interface RecognisedModel {
  /** The network on the current tfjs backend; dispose when done. */
  network: EncoderNetwork;
  /** Host copies of the weights, keys stripped of wrapper prefixes (for spectra and export). */
  tensors: Map<string, HostTensor>;
  /** What the UI shows about it. */
  architecture: ArchitectureSummary;
  /** Keys the file holds that no recognised part reads (counters excluded). */
  unusedKeys: string[];
  /** The encoder family, as network.family. */
  family: ArchitectureFamily | 'tfjs-layers';
  /** The classifier head whose logits the network computes, or null. */
  classifier: ClassifierHeadSpec | null;
}

/** What recogniseStateDict finds; `recognised` holds it all, the other fields are views of it. */
export interface StateDictRecognition {
  /** The state dict, keys stripped of wrapper prefixes (module., _orig_mod.). */
  tensors: Map<string, HostTensor>;
  /** The encoder spec of the family. */
  encoder: XResNetSpec | ResNetSpec;
  /** The SwAV projector and prototypes, or null. */
  head: SwavHeadSpec | null;
  /** What the UI shows about it. */
  architecture: ArchitectureSummary;
  /** Keys outside every recognised module that no part reads (counters excluded). */
  unusedKeys: string[];
  /** 'xresnet' or 'torchvision-resnet'. */
  family: ArchitectureFamily;
  /** The classifier head (fastai head, torchvision fc), or null. */
  classifier: ClassifierHeadSpec | null;
  /** The global pool in front of the heads. */
  pooling: PoolingKind;
  /** Parameters of everything recognised: encoder, SwAV head and classifier. */
  totalParams: number;
  /** Family, encoder, heads and pooling in one discriminated value (what networks are built from). */
  recognised: RecognisedArchitecture;
}

/**
 * Recognises the architecture of a state dict without touching tfjs (see recogniseShapes for the
 * errors it throws). `raw` maps keys as the file spells them to tensors.
 */
export function recogniseStateDict(raw: Map<string, HostTensor>): StateDictRecognition {
  const { table: tensors } = normalizeKeys(raw);
  const shapes = new Map([...tensors].map(([k, t]) => [k, t.shape]));
  const { architecture: recognised, expected, unusedKeys } = recogniseShapes(shapes, [...raw.keys()]);
  return {
    tensors,
    encoder: recognised.encoder,
    head: recognised.head,
    architecture: summariseArchitecture(recognised, expected),
    unusedKeys,
    family: recognised.family,
    classifier: recognised.classifier,
    pooling: recognised.pooling,
    totalParams: countParameters(expected),
    recognised,
  };
}

/** Recognises a state dict and uploads it as the family's network on the current backend. */
export function buildModel(raw: Map<string, HostTensor>): RecognisedModel {
  const { tensors, recognised, architecture, unusedKeys } = recogniseStateDict(raw);
  return { network: createNetwork(tensors, recognised), tensors, architecture, unusedKeys, family: recognised.family, classifier: recognised.classifier };
}

/** Uploads `architecture`'s weights from `tensors` (keys stripped of wrapper prefixes). */
export function createNetwork(tensors: Map<string, HostTensor>, architecture: RecognisedArchitecture): EncoderNetwork {
  switch (architecture.family) {
    case 'xresnet':
      return SwavNetwork.fromStateDict(tensors, architecture.encoder, architecture.head, { classifier: architecture.classifier, pooling: architecture.pooling });
    case 'torchvision-resnet':
      return ResNetNetwork.fromStateDict(tensors, architecture);
    default: {
      const never: never = architecture;
      throw new Error(`unsupported architecture family ${JSON.stringify(never)}`);
    }
  }
}
