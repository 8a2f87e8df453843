import { countParameters } from './recognise';
import { resnetStageChannels, resnetStageWidths } from './resnetSpec';
import { xresnetStageChannels, xresnetStageNames } from './xresnetSpec';

import type { ArchitectureSummary } from '../engineApi';
import type { RecognisedArchitecture } from './network';
import type { ShapeTable } from './stateDictKeys';

/**
 * What the UI shows about a recognised architecture. `expected` is every key (and shape) it
 * reads, as recogniseShapes returns it; parameters are counted from it.
 */
export function summariseArchitecture(arch: RecognisedArchitecture, expected: ShapeTable): ArchitectureSummary {
  const stageChannels = arch.family === 'xresnet' ? xresnetStageChannels(arch.encoder) : resnetStageChannels(arch.encoder);
  const last = stageChannels[stageChannels.length - 1];
  const encoderKeys = new Map([...expected].filter(([key]) => !isHeadKey(arch, key)));
  return {
    description: `${describeEncoder(arch)}${describeHeads(arch)}`,
    inputChannels: arch.encoder.inputChannels,
    stageNames: arch.family === 'xresnet' ? xresnetStageNames(arch.encoder) : ['stem', ...arch.encoder.stages.map((_, i) => `stage${i + 1}`)],
    stageChannels,
    encoderDim: arch.pooling === 'max-avg' ? 2 * last : last,
    projectionDim: arch.head ? arch.head.outFeatures : null,
    nPrototypes: arch.head?.prototypes?.count ?? null,
    encoderParams: countParameters(encoderKeys),
  };
}

/** Width of each stage's 3x3 convolutions (fastai's block_szs, torchvision's planes). */
export function stageWidths(arch: RecognisedArchitecture): number[] {
  if (arch.family === 'torchvision-resnet') return resnetStageWidths(arch.encoder);
  const middle = arch.encoder.expansion === 4 ? 1 : 0;
  return arch.encoder.stages.map((blocks) => blocks[0].convs[middle].outChannels);
}

function describeEncoder(arch: RecognisedArchitecture): string {
  const layers = arch.encoder.stages.map((s) => s.length).join(', ');
  if (arch.family === 'xresnet') {
    const e = arch.encoder;
    return `fastai XResNet (${e.expansion === 1 ? 'basic' : 'bottleneck'} blocks, layers [${layers}], stem [${e.stem.map((c) => c.outChannels).join(', ')}])`;
  }
  const e = arch.encoder;
  const cut = e.naming === 'fastai-body' ? ", cut by fastai's create_body" : '';
  return `torchvision-style ResNet (${e.block} blocks, layers [${layers}], widths [${stageWidths(arch).join(', ')}], stem ${e.stem.kernel}x${e.stem.kernel} ${e.stem.outChannels}${cut})`;
}

function describeHeads(arch: RecognisedArchitecture): string {
  const parts: string[] = [];
  // The demo's description predates the pooling note, so the default pool stays unmentioned.
  if (arch.family === 'xresnet' && arch.pooling === 'avg') parts.push(' with an average pool');
  if (arch.family === 'torchvision-resnet' && arch.pooling === 'max-avg') parts.push(' with a concat pool [max, avg]');
  if (arch.head) parts.push(` + SwAV projector ${arch.head.inFeatures}->${arch.head.outFeatures}${arch.head.prototypes ? ` + ${arch.head.prototypes.count} prototypes` : ''}`);
  if (arch.classifier) parts.push(` + classifier ${arch.classifier.inFeatures}->${arch.classifier.classes}`);
  return parts.join('');
}

function isHeadKey(arch: RecognisedArchitecture, key: string): boolean {
  if (arch.head && (key.startsWith(arch.head.prefix) || key === arch.head.prototypes?.key)) return true;
  return arch.classifier !== null && arch.classifier.layers.some((l) => key.startsWith(`${l.key}.`));
}
