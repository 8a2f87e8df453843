import { LabError } from '../../src/io/errors';
import { compareStateDict, isBatchCounter, sameShape } from './stateDictKeys';

import type { ShapeTable } from './stateDictKeys';

/**
 * Recognises a fastai 2.x XResNet encoder (as self_supervised's create_encoder cuts it: the
 * Sequential children 0..7 of XResNet, then a concat pool) from state-dict keys and shapes alone.
 * Module layout follows fastai/vision/models/xresnet.py: stem ConvLayers, a MaxPool2d(3, 2, 1),
 * then stages of ResBlocks whose first block has stride 2 except in the first stage.
 */

/** A fastai ConvLayer: Conv2d(bias=False) at `${key}.0`, BatchNorm2d at `${key}.1`, then ReLU? */
export interface ConvLayerSpec {
  /** Key prefix of the Sequential, e.g. 'encoder.4.0.convpath.0'. */
  key: string;
  /** Input channels, from the weight's shape [out, in, kh, kw]. */
  inChannels: number;
  /** Output channels. */
  outChannels: number;
  /** Square kernel size; padding is (kernel - 1) / 2 as fastai sets it. */
  kernel: number;
  /** Convolution stride. */
  stride: number;
  /** Whether a ReLU follows the BatchNorm. */
  relu: boolean;
}

/** A fastai ResBlock: ReLU(convpath(x) + idpath(x)). */
export interface ResBlockSpec {
  /** Key prefix, e.g. 'encoder.5.0'. */
  key: string;
  /** The convpath ConvLayers (2 for basic blocks, 3 for bottlenecks). */
  convs: ConvLayerSpec[];
  /** True when idpath starts with AvgPool2d(2, ceil_mode=True) (stride-2 blocks). */
  idPool: boolean;
  /** The idpath's 1x1 ConvLayer when channels change, else null. */
  idConv: ConvLayerSpec | null;
  /** The block's stride. */
  stride: number;
}

/** A recognised XResNet encoder. */
export interface XResNetSpec {
  /** Key prefix before the Sequential indices, e.g. 'encoder.' or '' or '0.'. */
  prefix: string;
  /** Stem ConvLayers, Sequential indices 0..stem.length-1. */
  stem: ConvLayerSpec[];
  /** Sequential index of the stem max pool. */
  poolIndex: number;
  /** Stages, each a list of ResBlocks. */
  stages: ResBlockSpec[][];
  /** 1 for basic blocks, 4 for bottlenecks. */
  expansion: 1 | 4;
  /** Input channels, from the first convolution's weight shape. */
  inputChannels: number;
  /** Channels of the last stage. */
  outChannels: number;
}

/** Matches a convpath conv weight and captures the encoder prefix and the stage index. */
const CONVPATH_KEY = /^(.*?)(\d+)\.0\.convpath\.0\.0\.weight$/;

/**
 * Finds the XResNet encoder inside `shapes` (keys already stripped of wrapper prefixes) and
 * returns its layout. Throws LabError 'unknown_architecture' when no XResNet is there, and
 * 'state_dict_mismatch' with a strict-load report when one is there but incomplete.
 */
export function recognizeXResNet(shapes: ShapeTable): XResNetSpec {
  const prefix = findEncoderPrefix(shapes);
  const stem: ConvLayerSpec[] = [];
  for (let i = 0; shapes.has(`${prefix}${i}.0.weight`) && !shapes.has(`${prefix}${i}.0.convpath.0.0.weight`); i++) {
    stem.push(convLayer(shapes, `${prefix}${i}`, i === 0 ? 2 : 1, true));
  }
  if (stem.length === 0) {
    throw new LabError('unknown_architecture', `Found XResNet blocks under '${prefix}' but no stem convolution at '${prefix}0.0.weight'.`);
  }

  const poolIndex = stem.length;
  const stages: ResBlockSpec[][] = [];
  for (let s = poolIndex + 1; shapes.has(`${prefix}${s}.0.convpath.0.0.weight`); s++) {
    const blocks: ResBlockSpec[] = [];
    for (let b = 0; shapes.has(`${prefix}${s}.${b}.convpath.0.0.weight`); b++) {
      const firstOfLaterStage = b === 0 && stages.length > 0;
      blocks.push(resBlock(shapes, `${prefix}${s}.${b}`, firstOfLaterStage ? 2 : 1));
    }
    stages.push(blocks);
  }

  const expansion = stages[0][0].convs.length === 3 ? 4 : 1;
  const spec: XResNetSpec = {
    prefix,
    stem,
    poolIndex,
    stages,
    expansion,
    inputChannels: stem[0].inChannels,
    outChannels: lastBlock(stages).convs[lastBlock(stages).convs.length - 1].outChannels,
  };
  assertChannelsChain(spec);
  return spec;
}

/** Every key (and shape) the recognised encoder reads, for strict-load reports. */
export function xresnetExpectedShapes(spec: XResNetSpec): ShapeTable {
  const out: ShapeTable = new Map();
  const addConv = (c: ConvLayerSpec): void => {
    out.set(`${c.key}.0.weight`, [c.outChannels, c.inChannels, c.kernel, c.kernel]);
    for (const p of ['weight', 'bias', 'running_mean', 'running_var']) out.set(`${c.key}.1.${p}`, [c.outChannels]);
  };
  spec.stem.forEach(addConv);
  for (const block of spec.stages.flat()) {
    block.convs.forEach(addConv);
    if (block.idConv) addConv(block.idConv);
  }
  return out;
}

/** Names of the pooled stages the views compare: 'stem' then 'stage1'..'stageN'. */
export function xresnetStageNames(spec: XResNetSpec): string[] {
  return ['stem', ...spec.stages.map((_, i) => `stage${i + 1}`)];
}

/** Channels of each named stage, aligned with xresnetStageNames. */
export function xresnetStageChannels(spec: XResNetSpec): number[] {
  const stemOut = spec.stem[spec.stem.length - 1].outChannels;
  return [stemOut, ...spec.stages.map((blocks) => blocks[blocks.length - 1].convs[blocks[blocks.length - 1].convs.length - 1].outChannels)];
}

/** Parameter count of the encoder (BatchNorm running statistics excluded, as PyTorch counts). */
export function xresnetParamCount(spec: XResNetSpec): number {
  let total = 0;
  for (const [key, shape] of xresnetExpectedShapes(spec)) {
    if (key.endsWith('running_mean') || key.endsWith('running_var')) continue;
    total += shape.reduce((a, b) => a * b, 1);
  }
  return total;
}

/** Checks a file against the recognised layout and throws a strict-load report on mismatch. */
export function assertXResNetComplete(spec: XResNetSpec, shapes: ShapeTable): void {
  const encoderKeys = new Map([...shapes].filter(([key]) => key.startsWith(spec.prefix)));
  const report = compareStateDict(xresnetExpectedShapes(spec), encoderKeys, isBatchCounter);
  if (report.missing.length + report.shapeMismatches.length > 0) {
    throw new LabError('state_dict_mismatch', formatReport(report), { details: { ...report } });
  }
}

function findEncoderPrefix(shapes: ShapeTable): string {
  const prefixes = new Set<string>();
  for (const key of shapes.keys()) {
    const match = CONVPATH_KEY.exec(key);
    if (match) prefixes.add(match[1]);
  }
  if (prefixes.size === 0) {
    throw new LabError('unknown_architecture', 'No XResNet encoder found: the file has no keys like "<n>.0.convpath.0.0.weight". The lab recognises fastai XResNet encoders (as self_supervised saves them) and the demo encoder.');
  }
  // The shortest prefix is the outermost encoder (e.g. '' beats 'encoder.' only if both exist).
  return [...prefixes].sort((a, b) => a.length - b.length)[0];
}

function convLayer(shapes: ShapeTable, key: string, stride: number, relu: boolean): ConvLayerSpec {
  const weight = shapes.get(`${key}.0.weight`);
  if (!weight || weight.length !== 4 || weight[2] !== weight[3]) {
    throw new LabError('state_dict_mismatch', `Expected a square conv weight [out, in, k, k] at ${key}.0.weight, found ${weight ? `[${weight.join(', ')}]` : 'nothing'}.`);
  }
  const bn = shapes.get(`${key}.1.weight`);
  if (!bn || !sameShape(bn, [weight[0]])) {
    throw new LabError('state_dict_mismatch', `Expected BatchNorm weight [${weight[0]}] at ${key}.1.weight after the convolution, found ${bn ? `[${bn.join(', ')}]` : 'nothing'}.`);
  }
  return { key, inChannels: weight[1], outChannels: weight[0], kernel: weight[2], stride, relu };
}

function resBlock(shapes: ShapeTable, key: string, stride: number): ResBlockSpec {
  const convKeys: string[] = [];
  for (let j = 0; shapes.has(`${key}.convpath.${j}.0.weight`); j++) convKeys.push(`${key}.convpath.${j}`);
  if (convKeys.length !== 2 && convKeys.length !== 3) {
    throw new LabError('unknown_architecture', `ResBlock ${key} has ${convKeys.length} convpath convolutions; fastai blocks have 2 (basic) or 3 (bottleneck).`);
  }
  const bottleneck = convKeys.length === 3;
  // The stride sits on the 3x3 conv: the first of a basic block, the middle of a bottleneck.
  const strideAt = bottleneck ? 1 : 0;
  const convs = convKeys.map((k, j) => convLayer(shapes, k, j === strideAt ? stride : 1, j < convKeys.length - 1));

  let idConv: ConvLayerSpec | null = null;
  if (shapes.has(`${key}.idpath.1.0.weight`)) idConv = convLayer(shapes, `${key}.idpath.1`, 1, false);
  else if (shapes.has(`${key}.idpath.0.0.weight`)) idConv = convLayer(shapes, `${key}.idpath.0`, 1, false);
  return { key, convs, idPool: stride !== 1, idConv, stride };
}

function lastBlock(stages: ResBlockSpec[][]): ResBlockSpec {
  const stage = stages[stages.length - 1];
  return stage[stage.length - 1];
}

function assertChannelsChain(spec: XResNetSpec): void {
  let channels = spec.stem[0].inChannels;
  const check = (c: ConvLayerSpec, expected: number): void => {
    if (c.inChannels !== expected) {
      throw new LabError('state_dict_mismatch', `${c.key}.0.weight takes ${c.inChannels} input channels but the layer before gives ${expected}.`);
    }
  };
  for (const c of spec.stem) {
    check(c, channels);
    channels = c.outChannels;
  }
  for (const block of spec.stages.flat()) {
    const blockIn = channels;
    for (const c of block.convs) {
      check(c, channels);
      channels = c.outChannels;
    }
    if (block.idConv) check(block.idConv, blockIn);
    else if (blockIn !== channels) {
      throw new LabError('state_dict_mismatch', `ResBlock ${block.key} changes channels ${blockIn} -> ${channels} but has no idpath convolution.`);
    }
  }
}

/** Formats a strict-load report as PyTorch words it, one line per kind. */
export function formatReport(report: { missing: string[]; unexpected: string[]; shapeMismatches: { key: string; expected: number[]; found: number[] }[] }): string {
  const lines = ['The checkpoint does not match the recognised architecture.'];
  if (report.missing.length > 0) lines.push(`Missing keys (${report.missing.length}): ${report.missing.slice(0, 12).join(', ')}${report.missing.length > 12 ? ', ...' : ''}.`);
  if (report.unexpected.length > 0) lines.push(`Unexpected keys (${report.unexpected.length}): ${report.unexpected.slice(0, 12).join(', ')}${report.unexpected.length > 12 ? ', ...' : ''}.`);
  for (const m of report.shapeMismatches.slice(0, 12)) lines.push(`Shape mismatch for ${m.key}: the architecture needs [${m.expected.join(', ')}], the file has [${m.found.join(', ')}].`);
  return lines.join('\n');
}
