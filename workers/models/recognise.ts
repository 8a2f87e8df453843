import { LabError } from '../../src/io/errors';
import { classifierExpectedShapes, isClassifierKey, recognizeLayerStack, recognizeLinearClassifier } from './classifierHeadSpec';
import { isResNetKey, recognizeResNet, resnetExpectedShapes } from './resnetSpec';
import { compareStateDict, isBatchCounter } from './stateDictKeys';
import { recognizeSwavHead, swavHeadExpectedShapes } from './swavHeadSpec';
import { findXResNet, formatReport, isXResNetKey, xresnetExpectedShapes } from './xresnetSpec';

import type { ClassifierHeadSpec } from './classifierHeadSpec';
import type { PoolingKind, RecognisedArchitecture } from './network';
import type { ResNetSpec } from './resnetSpec';
import type { ShapeTable, StateDictReport } from './stateDictKeys';
import type { XResNetSpec } from './xresnetSpec';

/**
 * Recognition of a whole checkpoint from its key -> shape table: which encoder family (fastai
 * XResNet or torchvision-style ResNet), the SwAV head and classifier beside it, the global pool
 * between them, and a strict-load check of every key. Pure: no tfjs, no tensor values.
 */

/** What the lab looks for, in the words the unknown-architecture message uses. */
export const KNOWN_LAYOUTS: readonly string[] = [
  "fastai XResNet (self_supervised's encoder): keys like '0.0.weight' and '4.0.convpath.0.0.weight', under any prefix such as 'encoder.' or '0.'",
  "torchvision-style ResNet: keys like 'conv1.weight' and 'layer1.0.conv1.weight' (also under 'module.' as facebookresearch/swav saves it), or fastai's create_body cut of one: '0.weight' and '4.0.conv1.weight'",
];

/** Keys of the file the unknown-architecture message quotes. */
const QUOTED_KEYS = 8;

/** A recognised checkpoint and what its strict load found. */
export interface Recognition {
  /** Family, encoder spec, heads and pooling. */
  architecture: RecognisedArchitecture;
  /** Every key the architecture reads, with its shape. */
  expected: ShapeTable;
  /** Keys outside every recognised module that no part reads (counters excluded); tolerated. */
  unusedKeys: string[];
}

/**
 * Recognises the architecture in `shapes` (keys already stripped of wrapper prefixes) and checks
 * it like a strict load_state_dict. `fileKeys` are the keys as the file spells them, quoted when
 * nothing matches. Throws LabError 'unknown_architecture' (what was looked for, the first keys)
 * when no family matches, and 'state_dict_mismatch' (missing, unexpected and mis-shaped keys)
 * when one matches but the file does not fit it.
 */
export function recogniseShapes(shapes: ShapeTable, fileKeys: readonly string[] = [...shapes.keys()]): Recognition {
  const encoder = findEncoder(shapes);
  if (!encoder) throw unknownArchitecture(fileKeys);

  const head = recognizeSwavHead(shapes);
  const classifier = findClassifier(shapes, encoder);
  const pooling = choosePooling(encoder, head?.inFeatures ?? null, classifier?.inFeatures ?? null);
  const architecture = { ...encoder, head, classifier, pooling } as RecognisedArchitecture;

  const expected: ShapeTable = new Map([
    ...(architecture.family === 'xresnet' ? xresnetExpectedShapes(architecture.encoder) : resnetExpectedShapes(architecture.encoder)),
    ...(head ? swavHeadExpectedShapes(head) : []),
    ...(classifier ? classifierExpectedShapes(classifier) : []),
  ]);
  const report = compareStateDict(expected, shapes, isBatchCounter);
  const owned = (key: string): boolean =>
    (architecture.family === 'xresnet' ? isXResNetKey(architecture.encoder, key) : isResNetKey(architecture.encoder, key)) ||
    (head !== null && key.startsWith(head.prefix)) ||
    (classifier !== null && isClassifierKey(classifier, key));
  const strict: StateDictReport = { ...report, unexpected: report.unexpected.filter(owned) };
  if (strict.missing.length + strict.unexpected.length + strict.shapeMismatches.length > 0) {
    throw new LabError('state_dict_mismatch', `${formatReport(strict)}\nRecognised a ${familyName(architecture)} under the prefix '${architecture.encoder.prefix}'; the listed keys are shown without wrapper prefixes (module., _orig_mod.).`, {
      details: { family: architecture.family, missing: strict.missing, unexpected: strict.unexpected, shapeMismatches: strict.shapeMismatches },
    });
  }
  return { architecture, expected, unusedKeys: report.unexpected.filter((k) => !owned(k)) };
}

/** Parameters the architecture holds (BatchNorm running statistics excluded, as PyTorch counts). */
export function countParameters(expected: ShapeTable): number {
  let total = 0;
  for (const [key, shape] of expected) {
    if (!key.endsWith('.running_mean') && !key.endsWith('.running_var')) total += shape.reduce((a, b) => a * b, 1);
  }
  return total;
}

/** 'fastai XResNet' or 'torchvision-style ResNet', for messages. */
export function familyName(architecture: RecognisedArchitecture): string {
  switch (architecture.family) {
    case 'xresnet':
      return 'fastai XResNet';
    case 'torchvision-resnet':
      return architecture.encoder.naming === 'torchvision' ? 'torchvision-style ResNet' : "torchvision-style ResNet cut by fastai's create_body";
    default: {
      const never: never = architecture;
      throw new Error(`unsupported architecture family ${JSON.stringify(never)}`);
    }
  }
}

type EncoderPart = { family: 'xresnet'; encoder: XResNetSpec } | { family: 'torchvision-resnet'; encoder: ResNetSpec };

function findEncoder(shapes: ShapeTable): EncoderPart | null {
  const xresnet = findXResNet(shapes);
  const resnet = recognizeResNet(shapes);
  // Both only in a file holding two models (a distillation pair, say): the outermost wins.
  if (xresnet && resnet) {
    return resnet.prefix.length < xresnet.prefix.length ? { family: 'torchvision-resnet', encoder: resnet } : { family: 'xresnet', encoder: xresnet };
  }
  if (xresnet) return { family: 'xresnet', encoder: xresnet };
  if (resnet) return { family: 'torchvision-resnet', encoder: resnet };
  return null;
}

/**
 * The classifier beside the encoder, looked for where each layout puts it: the next sibling of
 * an encoder that is child n of a Sequential (fastai's `nn.Sequential(body, head)`: '0.' ->
 * '1.'), torchvision's `fc`, or children after the stages in the encoder's own Sequential (a
 * whole fastai XResNet's Linear at child 11).
 */
function findClassifier(shapes: ShapeTable, part: EncoderPart): ClassifierHeadSpec | null {
  const prefix = part.encoder.prefix;
  const sibling = /^(.*?)(\d+)\.$/.exec(prefix);
  if (sibling) {
    const found = recognizeLayerStack(shapes, `${sibling[1]}${Number(sibling[2]) + 1}.`);
    if (found) return found;
  }
  if (part.family === 'torchvision-resnet' && part.encoder.naming === 'torchvision') return recognizeLinearClassifier(shapes, `${prefix}fc`);
  const afterStages = part.family === 'xresnet' ? part.encoder.poolIndex + part.encoder.stages.length + 1 : 4 + part.encoder.stages.length;
  return recognizeLayerStack(shapes, prefix, afterStages);
}

/**
 * The global pool follows what the heads read: C features is an average pool, 2C fastai's
 * concat pool [max, avg]. Without a head, each family's own: self_supervised's encoder
 * concat-pools, torchvision's ResNet averages.
 */
function choosePooling(part: EncoderPart, headIn: number | null, classifierIn: number | null): PoolingKind {
  const channels = part.encoder.outChannels;
  const readers = [headIn, classifierIn].filter((w): w is number => w !== null);
  if (readers.length === 0) return part.family === 'xresnet' ? 'max-avg' : 'avg';
  if (readers.every((w) => w === 2 * channels)) return 'max-avg';
  if (readers.every((w) => w === channels)) return 'avg';
  throw new LabError('state_dict_mismatch', `The heads read ${readers.join(' and ')} features, but the encoder's last stage has ${channels} channels: ${channels} after an average pool, ${2 * channels} after fastai's concat pool. The head does not belong to this encoder.`, {
    details: { channels, headIn, classifierIn },
  });
}

function unknownArchitecture(fileKeys: readonly string[]): LabError {
  const firstKeys = fileKeys.slice(0, QUOTED_KEYS);
  const quoted = firstKeys.map((k) => `'${k}'`).join(', ');
  return new LabError(
    'unknown_architecture',
    `The checkpoint matches no architecture the lab knows. It looked for: ${KNOWN_LAYOUTS.join('; ')}. The file's first keys are ${quoted}${fileKeys.length > QUOTED_KEYS ? `, ... (${fileKeys.length} keys in all)` : ''}. Load the state_dict of one of these encoders (torch.save(model.state_dict()) or fastai's learn.save).`,
    { details: { lookedFor: [...KNOWN_LAYOUTS], firstKeys, keyCount: fileKeys.length } },
  );
}
