import { recognizeSwavHead, swavHeadExpectedShapes } from './swavHeadSpec';
import { SwavNetwork } from './swavNetwork';
import { compareStateDict, isBatchCounter, normalizeKeys } from './stateDictKeys';
import {
  assertXResNetComplete,
  recognizeXResNet,
  xresnetExpectedShapes,
  xresnetParamCount,
  xresnetStageChannels,
  xresnetStageNames,
} from './xresnetSpec';

import type { HostTensor } from '../../src/io/checkpoint';
import type { ArchitectureSummary } from '../engineApi';
import type { SwavHeadSpec } from './swavHeadSpec';
import type { XResNetSpec } from './xresnetSpec';

/** A checkpoint's weights, recognised and uploaded. */
export interface RecognisedModel {
  /** The network on the current tfjs backend; dispose when done. */
  network: SwavNetwork;
  /** Host copies of the weights, keys stripped of wrapper prefixes (for spectra and export). */
  tensors: Map<string, HostTensor>;
  /** What the UI shows about it. */
  architecture: ArchitectureSummary;
  /** Keys the file holds that no recognised part reads (counters excluded). */
  unusedKeys: string[];
}

/** Recognises the architecture of a state dict without touching tfjs. */
export function recogniseStateDict(raw: Map<string, HostTensor>): {
  tensors: Map<string, HostTensor>;
  encoder: XResNetSpec;
  head: SwavHeadSpec | null;
  architecture: ArchitectureSummary;
  unusedKeys: string[];
} {
  const { table: tensors } = normalizeKeys(raw);
  const shapes = new Map([...tensors].map(([k, t]) => [k, t.shape]));
  const encoder = recognizeXResNet(shapes);
  assertXResNetComplete(encoder, shapes);
  const head = recognizeSwavHead(shapes);

  const layers = encoder.stages.map((s) => s.length);
  const architecture: ArchitectureSummary = {
    description: `fastai XResNet (${encoder.expansion === 1 ? 'basic' : 'bottleneck'} blocks, layers [${layers.join(', ')}], stem [${encoder.stem.map((c) => c.outChannels).join(', ')}])${head ? ` + SwAV projector ${head.inFeatures}->${head.outFeatures}${head.prototypes ? ` + ${head.prototypes.count} prototypes` : ''}` : ''}`,
    inputChannels: encoder.inputChannels,
    stageNames: xresnetStageNames(encoder),
    stageChannels: xresnetStageChannels(encoder),
    encoderDim: 2 * encoder.outChannels,
    projectionDim: head ? head.outFeatures : null,
    nPrototypes: head?.prototypes?.count ?? null,
    encoderParams: xresnetParamCount(encoder),
  };

  const expected = new Map([...xresnetExpectedShapes(encoder), ...(head ? swavHeadExpectedShapes(head) : [])]);
  const unusedKeys = compareStateDict(expected, shapes, isBatchCounter).unexpected;
  return { tensors, encoder, head, architecture, unusedKeys };
}

/** Recognises a state dict and uploads it as a SwavNetwork on the current backend. */
export function buildModel(raw: Map<string, HostTensor>): RecognisedModel {
  const { tensors, encoder, head, architecture, unusedKeys } = recogniseStateDict(raw);
  const network = SwavNetwork.fromStateDict(tensors, encoder, head);
  return { network, tensors, architecture, unusedKeys };
}
