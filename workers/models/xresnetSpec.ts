import { LabError } from '../../src/io/errors';

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

/** Any convpath key; captures the encoder prefix and the stage's child index. */
const CONVPATH_KEY = /^(.*?)(\d+)\.\d+\.convpath\.\d+\.[01]\./;

/**
 * Finds the XResNet in `shapes`, or returns null when the file holds none. Widths are read along
 * the chain (each layer's input is the previous output), so a layer whose weight disagrees shows
 * up as a shape mismatch in the strict comparison rather than being believed.
 */
export function findXResNet(shapes: ShapeTable): XResNetSpec | null {
  const found = findEncoder(shapes);
  if (!found) return null;
  const { prefix, firstStage } = found;
  const poolIndex = firstStage - 1;
  if (poolIndex < 1) {
    throw new LabError('state_dict_mismatch', `Found XResNet blocks under '${prefix}' starting at child ${firstStage}, which leaves no room for a stem before the max pool.`);
  }

  const stem: ConvLayerSpec[] = [];
  let channels: number | undefined;
  for (let i = 0; i < poolIndex; i++) {
    const layer = convLayer(shapes, `${prefix}${i}`, channels, 3, i === 0 ? 2 : 1, true);
    stem.push(layer);
    channels = layer.outChannels;
  }

  const stages: ResBlockSpec[][] = [];
  for (let s = firstStage; hasUnder(shapes, `${prefix}${s}.0.convpath.`); s++) {
    const blocks: ResBlockSpec[] = [];
    for (let b = 0; hasUnder(shapes, `${prefix}${s}.${b}.`); b++) {
      const firstOfLaterStage = b === 0 && stages.length > 0;
      const block = resBlock(shapes, `${prefix}${s}.${b}`, channels!, firstOfLaterStage ? 2 : 1);
      channels = block.convs[block.convs.length - 1].outChannels;
      blocks.push(block);
    }
    stages.push(blocks);
  }

  if (stages.length === 0) {
    throw new LabError('state_dict_mismatch', formatReport({ missing: [`${prefix}${firstStage}.0.convpath.0.0.weight`], unexpected: [], shapeMismatches: [] }));
  }
  return {
    prefix,
    stem,
    poolIndex,
    stages,
    expansion: stages[0][0].convs.length === 3 ? 4 : 1,
    inputChannels: stem[0].inChannels,
    outChannels: channels!,
  };
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

/** True when `key` lies where the encoder's modules live (so an unread key there is an error). */
export function isXResNetKey(spec: XResNetSpec, key: string): boolean {
  if (!key.startsWith(spec.prefix)) return false;
  const index = Number(key.slice(spec.prefix.length).split('.')[0]);
  return Number.isInteger(index) && index <= spec.poolIndex + spec.stages.length;
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

function findEncoder(shapes: ShapeTable): { prefix: string; firstStage: number } | null {
  const firstStages = new Map<string, number>();
  for (const key of shapes.keys()) {
    const match = CONVPATH_KEY.exec(key);
    if (match) firstStages.set(match[1], Math.min(firstStages.get(match[1]) ?? Infinity, Number(match[2])));
  }
  if (firstStages.size === 0) return null;
  // The shortest prefix is the outermost encoder (e.g. '' beats 'encoder.' only if both exist).
  const prefix = [...firstStages.keys()].sort((a, b) => a.length - b.length)[0];
  return { prefix, firstStage: firstStages.get(prefix)! };
}

/**
 * A ConvLayer at `key`: conv weight at `${key}.0.weight`, BatchNorm at `${key}.1`. The input
 * width comes from the chain (`inChannels`, or the weight for the first layer), the output width
 * from the weight or else the BatchNorm, the kernel from the weight or else `kernel`.
 */
function convLayer(shapes: ShapeTable, key: string, inChannels: number | undefined, kernel: number, stride: number, relu: boolean): ConvLayerSpec {
  const weight = shapes.get(`${key}.0.weight`);
  if (weight && (weight.length !== 4 || weight[2] !== weight[3] || weight[2] % 2 !== 1)) {
    throw new LabError('state_dict_mismatch', `Expected an odd square conv weight [out, in, k, k] at ${key}.0.weight, found [${weight.join(', ')}].`);
  }
  const outChannels = weight?.[0] ?? vectorLength(shapes, `${key}.1`);
  if (outChannels === undefined) {
    throw new LabError('state_dict_mismatch', formatReport({ missing: [`${key}.0.weight`, `${key}.1.weight`], unexpected: [], shapeMismatches: [] }), {
      details: { missing: [`${key}.0.weight`, `${key}.1.weight`] },
    });
  }
  return { key, inChannels: inChannels ?? weight?.[1] ?? 3, outChannels, kernel: weight?.[2] ?? kernel, stride, relu };
}

function resBlock(shapes: ShapeTable, key: string, inChannels: number, stride: number): ResBlockSpec {
  const convKeys: string[] = [];
  for (let j = 0; hasUnder(shapes, `${key}.convpath.${j}.`); j++) convKeys.push(`${key}.convpath.${j}`);
  if (convKeys.length !== 2 && convKeys.length !== 3) {
    throw new LabError('unknown_architecture', `ResBlock ${key} has ${convKeys.length} convpath convolutions; fastai blocks have 2 (basic) or 3 (bottleneck).`);
  }
  const bottleneck = convKeys.length === 3;
  // The stride sits on the 3x3 conv: the first of a basic block, the middle of a bottleneck.
  const strideAt = bottleneck ? 1 : 0;
  const convs: ConvLayerSpec[] = [];
  let channels = inChannels;
  convKeys.forEach((k, j) => {
    const layer = convLayer(shapes, k, channels, bottleneck && j !== 1 ? 1 : 3, j === strideAt ? stride : 1, j < convKeys.length - 1);
    convs.push(layer);
    channels = layer.outChannels;
  });

  // idpath: AvgPool2d first when strided, so the conv is idpath.1 then and idpath.0 otherwise.
  // A block that changes width needs the conv; when the file lacks it, it is still expected so
  // the strict report names its keys.
  let idKey: string | null = null;
  if (hasUnder(shapes, `${key}.idpath.1.`)) idKey = `${key}.idpath.1`;
  else if (hasUnder(shapes, `${key}.idpath.0.`)) idKey = `${key}.idpath.0`;
  else if (channels !== inChannels) idKey = `${key}.idpath.${stride !== 1 ? 1 : 0}`;
  const idConv = idKey ? { key: idKey, inChannels, outChannels: channels, kernel: 1, stride: 1, relu: false } : null;
  return { key, convs, idPool: stride !== 1, idConv, stride };
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

/** Formats a strict-load report as PyTorch words it, one line per kind. */
export function formatReport(report: { missing: string[]; unexpected: string[]; shapeMismatches: { key: string; expected: number[]; found: number[] }[] }): string {
  const lines = ['The checkpoint does not match the recognised architecture.'];
  if (report.missing.length > 0) lines.push(`Missing keys (${report.missing.length}): ${report.missing.slice(0, 12).join(', ')}${report.missing.length > 12 ? ', ...' : ''}.`);
  if (report.unexpected.length > 0) lines.push(`Unexpected keys (${report.unexpected.length}): ${report.unexpected.slice(0, 12).join(', ')}${report.unexpected.length > 12 ? ', ...' : ''}.`);
  for (const m of report.shapeMismatches.slice(0, 12)) lines.push(`Shape mismatch for ${m.key}: the architecture needs [${m.expected.join(', ')}], the file has [${m.found.join(', ')}].`);
  return lines.join('\n');
}
