import { LabError } from '../../src/io/errors';

import type { ShapeTable } from './stateDictKeys';

/**
 * Recognises a torchvision-style ResNet (torchvision/models/resnet.py: ResNet with BasicBlock or
 * Bottleneck) of any depth and width from state-dict keys and shapes alone. Two namings:
 *
 * - 'torchvision': `conv1`, `bn1`, `layerN.M.convK` / `bnK`, `layerN.M.downsample.{0,1}`, `fc`,
 *   as torchvision saves it and as facebookresearch/swav saves its backbone (under `module.`);
 * - 'fastai-body': fastai's create_body cut of the same model, children indexed instead of named
 *   (`0` = conv1, `1` = bn1, `4`.. = layer1..), as in a vision_learner's `0.*` keys.
 *
 * What the keys cannot say, and what is assumed (torchvision's choices):
 * - conv1 is read by shape only; its stride is 2 and its padding (k - 1) / 2 (3 for 7x7), then
 *   MaxPool2d(3, 2, 1). facebookresearch/swav's backbone has an extra ConstantPad2d(1) and conv1
 *   padding 2: the keys are identical, and so are the outputs (1 + 2 zero rows = 3).
 * - The first block of layers 2.. has stride 2, on conv1 of a BasicBlock and on conv2 (the 3x3)
 *   of a Bottleneck: torchvision's "v1.5". The original v1 (stride on the 1x1 conv1) and
 *   replace_stride_with_dilation have the same keys and shapes and are not supported.
 */

/** A Conv2d(bias=False) followed by a BatchNorm2d, named by its two key prefixes. */
export interface ResNetConvSpec {
  /** Key of the convolution, e.g. 'layer2.0.conv1' (weight at `${convKey}.weight`). */
  convKey: string;
  /** Key of its BatchNorm2d, e.g. 'layer2.0.bn1'. */
  bnKey: string;
  /** Input channels (weight dim 1). */
  inChannels: number;
  /** Output channels (weight dim 0). */
  outChannels: number;
  /** Square kernel; padding is (kernel - 1) / 2, symmetric. */
  kernel: number;
  /** Stride on both axes. */
  stride: number;
  /** Whether a ReLU follows the BatchNorm (false for a block's last conv and the downsample). */
  relu: boolean;
}

/** One BasicBlock or Bottleneck: ReLU(convs(x) + downsample(x) or x). */
export interface ResNetBlockSpec {
  /** Key prefix, e.g. 'layer3.1' or '6.1'. */
  key: string;
  /** conv1, conv2 (and conv3 for a Bottleneck) with their BatchNorms. */
  convs: ResNetConvSpec[];
  /** downsample.0 (1x1 conv, the block's stride) + downsample.1, or null for an identity. */
  downsample: ResNetConvSpec | null;
  /** 2 for the first block of layers 2.., else 1. */
  stride: number;
}

/** A recognised torchvision-style ResNet trunk (everything before the global pool). */
export interface ResNetSpec {
  /** Which key naming the file uses (see the module doc). */
  naming: 'torchvision' | 'fastai-body';
  /** Key prefix before the trunk's names, e.g. '', 'encoder.', '0.'. */
  prefix: string;
  /** conv1 + bn1 (+ ReLU); the stem max pool follows. */
  stem: ResNetConvSpec;
  /** Key prefix of each stage: 'layer1'.. or '4'... */
  stageKeys: string[];
  /** Blocks of each stage, in order. */
  stages: ResNetBlockSpec[][];
  /** BasicBlock (two 3x3) or Bottleneck (1x1, 3x3, 1x1). */
  block: 'basic' | 'bottleneck';
  /** Input channels, from conv1's weight (3 when conv1 is missing: it is then reported). */
  inputChannels: number;
  /** Channels of the last stage. */
  outChannels: number;
}

/** Block keys of the two namings; the captured prefix is what precedes the trunk. */
const NAMED_BLOCK_KEY = /^(.*?)layer1\.\d+\.(?:conv|bn)\d\./;
const SEQUENTIAL_BLOCK_KEY = /^(.*?)4\.\d+\.(?:conv|bn)\d\./;
/** Index of layer1 among fastai create_body's children (conv1, bn1, relu, maxpool, layer1..). */
const FIRST_STAGE_CHILD = 4;

/**
 * Finds a torchvision-style ResNet in `shapes` (keys stripped of wrapper prefixes) and returns
 * its layout, or null when none is there. Throws LabError 'state_dict_mismatch' when one is there
 * but too incomplete to read its widths, and 'not_implemented' for grouped convolutions (ResNeXt).
 */
export function recognizeResNet(shapes: ShapeTable): ResNetSpec | null {
  const layout = findLayout(shapes);
  if (!layout) return null;
  const { naming, prefix } = layout;
  const childKey = (name: 'conv1' | 'bn1' | number): string => {
    if (naming === 'torchvision') return typeof name === 'number' ? `${prefix}layer${name + 1}` : `${prefix}${name}`;
    return typeof name === 'number' ? `${prefix}${FIRST_STAGE_CHILD + name}` : `${prefix}${name === 'conv1' ? 0 : 1}`;
  };

  const stageKeys: string[] = [];
  for (let s = 0; hasUnder(shapes, `${childKey(s)}.0.`); s++) stageKeys.push(childKey(s));
  const bottleneck = [...shapes.keys()].some((k) => stageKeys.some((s) => k.startsWith(`${s}.`)) && /\.(conv|bn)3\./.test(k));

  const stemConv = childKey('conv1');
  const stemBn = childKey('bn1');
  const conv1 = shapes.get(`${stemConv}.weight`);
  const stemWidth = conv1?.[0] ?? vectorLength(shapes, stemBn) ?? shapes.get(`${stageKeys[0]}.0.conv1.weight`)?.[1];
  if (stemWidth === undefined) throw unreadable(stemConv, [`${stemConv}.weight`, `${stemBn}.weight`]);
  const kernel = conv1?.[2] ?? 7;
  if (kernel % 2 !== 1 || (conv1 && conv1[3] !== kernel)) {
    throw new LabError('state_dict_mismatch', `${stemConv}.weight has shape [${conv1!.join(', ')}]; a ResNet stem needs an odd square kernel [out, in, k, k].`);
  }
  const inputChannels = conv1?.[1] ?? 3;
  const stem: ResNetConvSpec = { convKey: stemConv, bnKey: stemBn, inChannels: inputChannels, outChannels: stemWidth, kernel, stride: 2, relu: true };

  let channels = stemWidth;
  const stages = stageKeys.map((stageKey, s) => {
    const blocks: ResNetBlockSpec[] = [];
    for (let b = 0; hasUnder(shapes, `${stageKey}.${b}.`); b++) {
      const block = readBlock(shapes, `${stageKey}.${b}`, channels, s > 0 && b === 0 ? 2 : 1, bottleneck);
      channels = block.convs[block.convs.length - 1].outChannels;
      blocks.push(block);
    }
    return blocks;
  });
  return { naming, prefix, stem, stageKeys, stages, block: bottleneck ? 'bottleneck' : 'basic', inputChannels, outChannels: channels };
}

/** Every key (and shape) the trunk reads, for strict-load reports. */
export function resnetExpectedShapes(spec: ResNetSpec): ShapeTable {
  const out: ShapeTable = new Map();
  const add = (c: ResNetConvSpec): void => {
    out.set(`${c.convKey}.weight`, [c.outChannels, c.inChannels, c.kernel, c.kernel]);
    for (const p of ['weight', 'bias', 'running_mean', 'running_var']) out.set(`${c.bnKey}.${p}`, [c.outChannels]);
  };
  add(spec.stem);
  for (const block of spec.stages.flat()) {
    block.convs.forEach(add);
    if (block.downsample) add(block.downsample);
  }
  return out;
}

/** True when `key` lies where the trunk's modules live (so an unread key there is an error). */
export function isResNetKey(spec: ResNetSpec, key: string): boolean {
  if (!key.startsWith(spec.prefix)) return false;
  const rest = key.slice(spec.prefix.length);
  if (spec.naming === 'torchvision') return /^(conv1|bn1|layer\d+)\./.test(rest);
  const index = Number(rest.split('.')[0]);
  return Number.isInteger(index) && index < FIRST_STAGE_CHILD + spec.stages.length;
}

/** Channels after the stem and after each stage: [stem, stage1, ..]. */
export function resnetStageChannels(spec: ResNetSpec): number[] {
  return [spec.stem.outChannels, ...spec.stages.map((blocks) => lastConv(blocks[blocks.length - 1]).outChannels)];
}

/** Width of each stage's 3x3 convolutions (torchvision's `planes` times width_per_group / 64). */
export function resnetStageWidths(spec: ResNetSpec): number[] {
  return spec.stages.map((blocks) => blocks[0].convs[spec.block === 'bottleneck' ? 1 : 0].outChannels);
}

function findLayout(shapes: ShapeTable): { naming: ResNetSpec['naming']; prefix: string } | null {
  const named = new Set<string>();
  const sequential = new Set<string>();
  for (const key of shapes.keys()) {
    const n = NAMED_BLOCK_KEY.exec(key);
    if (n) named.add(n[1]);
    const q = SEQUENTIAL_BLOCK_KEY.exec(key);
    // fastai's cut keeps conv1 as child 0 and bn1 as child 1, both right under the prefix.
    if (q && (shapes.get(`${q[1]}0.weight`)?.length === 4 || shapes.has(`${q[1]}1.running_mean`))) sequential.add(q[1]);
  }
  // The shortest prefix is the outermost trunk, as for XResNet.
  const shortest = (set: Set<string>): string | undefined => [...set].sort((a, b) => a.length - b.length)[0];
  const namedPrefix = shortest(named);
  if (namedPrefix !== undefined) return { naming: 'torchvision', prefix: namedPrefix };
  const sequentialPrefix = shortest(sequential);
  return sequentialPrefix === undefined ? null : { naming: 'fastai-body', prefix: sequentialPrefix };
}

function readBlock(shapes: ShapeTable, key: string, inChannels: number, stride: number, bottleneck: boolean): ResNetBlockSpec {
  const d0 = (name: string): number | undefined => shapes.get(`${key}.${name}.weight`)?.[0];
  const d1 = (name: string): number | undefined => shapes.get(`${key}.${name}.weight`)?.[1];
  const bn = (name: string): number | undefined => vectorLength(shapes, `${key}.${name}`);
  const hasDownsample = hasUnder(shapes, `${key}.downsample.`);

  const width = d0('conv1') ?? bn('bn1') ?? d1('conv2');
  const mid = bottleneck ? (d0('conv2') ?? bn('bn2') ?? d1('conv3') ?? width) : width;
  const last = bottleneck ? 'conv3' : 'conv2';
  const outChannels = d0(last) ?? bn(bottleneck ? 'bn3' : 'bn2') ?? d0('downsample.0') ?? bn('downsample.1') ?? (hasDownsample ? undefined : inChannels);
  if (width === undefined || mid === undefined || outChannels === undefined) {
    throw unreadable(key, [`${key}.conv1.weight`, `${key}.${last}.weight`, `${key}.downsample.0.weight`]);
  }
  const grouped = d1('conv2');
  if (bottleneck && grouped !== undefined && grouped < width && width % grouped === 0) {
    throw new LabError('not_implemented', `${key}.conv2.weight takes ${grouped} of ${width} channels per filter: a grouped convolution (ResNeXt, groups = ${width / grouped}). The lab's tfjs networks have no grouped convolutions; use a ResNet without groups.`);
  }

  const conv = (name: string, bnName: string, cin: number, cout: number, k: number, s: number, relu: boolean): ResNetConvSpec => ({
    convKey: `${key}.${name}`,
    bnKey: `${key}.${bnName}`,
    inChannels: cin,
    outChannels: cout,
    kernel: k,
    stride: s,
    relu,
  });
  const convs = bottleneck
    ? [conv('conv1', 'bn1', inChannels, width, 1, 1, true), conv('conv2', 'bn2', width, mid, 3, stride, true), conv('conv3', 'bn3', mid, outChannels, 1, 1, false)]
    : [conv('conv1', 'bn1', inChannels, width, 3, stride, true), conv('conv2', 'bn2', width, outChannels, 3, 1, false)];
  // torchvision adds a downsample whenever the stride or the width changes; one that is absent
  // then is still expected, so a strict report names its keys.
  const needsDownsample = hasDownsample || stride !== 1 || inChannels !== outChannels;
  const downsample = needsDownsample ? conv('downsample.0', 'downsample.1', inChannels, outChannels, 1, stride, false) : null;
  return { key, convs, downsample, stride };
}

function lastConv(block: ResNetBlockSpec): ResNetConvSpec {
  return block.convs[block.convs.length - 1];
}

function vectorLength(shapes: ShapeTable, key: string): number | undefined {
  for (const p of ['weight', 'bias', 'running_mean', 'running_var']) {
    const shape = shapes.get(`${key}.${p}`);
    if (shape && shape.length === 1) return shape[0];
  }
  return undefined;
}

function hasUnder(shapes: ShapeTable, prefix: string): boolean {
  for (const key of shapes.keys()) if (key.startsWith(prefix)) return true;
  return false;
}

function unreadable(key: string, tried: string[]): LabError {
  return new LabError('state_dict_mismatch', `Recognised a torchvision-style ResNet but cannot read the widths of ${key}: none of ${tried.join(', ')} is in the file. Check that the checkpoint is complete.`, {
    details: { key, tried },
  });
}
