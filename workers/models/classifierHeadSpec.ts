import { LabError } from '../../src/io/errors';

import type { ShapeTable } from './stateDictKeys';

/**
 * Recognises a classifier head beside an encoder from its keys and shapes: torchvision's `fc`
 * Linear, and fastai's heads (create_head, self_supervised's create_cls_module), which are flat
 * Sequentials of LinBnDrop pieces: BatchNorm1d(ni), Dropout, Linear(ni, no, bias = not bn),
 * ReLU between blocks, optionally a final BatchNorm1d. The parameter-free modules (pools,
 * Flatten, Dropout, ReLU) leave gaps in the indices that keys cannot tell apart, so the ReLUs
 * are placed as fastai places them: after every Linear but the last. LinBnDrop pieces appended
 * as modules (keys `1.2.0.weight`) are read in index order like the flat form.
 */

/** One parameterised layer of a classifier head. */
export type HeadLayerSpec =
  | { kind: 'linear'; key: string; inFeatures: number; outFeatures: number; bias: boolean; reluAfter: boolean }
  | { kind: 'batchnorm'; key: string; features: number };

/** A recognised classifier head. */
export interface ClassifierHeadSpec {
  /** Where its keys live: 'fc.', '1.', or the encoder's prefix for children after its stages. */
  prefix: string;
  /** Smallest child index under `prefix` that belongs to the head (0 unless it shares a Sequential). */
  minIndex: number;
  /** Layers in forward order; at least one Linear. */
  layers: HeadLayerSpec[];
  /** Width it reads: the pooled encoder output. */
  inFeatures: number;
  /** Width it writes: the number of logits. */
  classes: number;
}

/** Parameter and buffer names a Linear or BatchNorm1d may own. */
const LAYER_PARAMS = new Set(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);

/**
 * Returns the single Linear at `${key}.weight` [classes, in] (+ bias) as a head, e.g.
 * torchvision's `fc`, or null when there is no such weight.
 */
export function recognizeLinearClassifier(shapes: ShapeTable, key: string): ClassifierHeadSpec | null {
  const weight = shapes.get(`${key}.weight`);
  if (!weight || weight.length !== 2) return null;
  const layer: HeadLayerSpec = { kind: 'linear', key, inFeatures: weight[1], outFeatures: weight[0], bias: shapes.has(`${key}.bias`), reluAfter: false };
  return { prefix: `${key}.`, minIndex: 0, layers: [layer], inFeatures: weight[1], classes: weight[0] };
}

/**
 * Returns the fastai-style head whose modules sit under `prefix` at child indices >= minIndex
 * (e.g. prefix '1.' for `nn.Sequential(body, head)`), or null when no parameter lives there or
 * one is neither a Linear's nor a BatchNorm1d's. Throws LabError 'state_dict_mismatch' when the
 * layers are there but their widths do not chain.
 */
export function recognizeLayerStack(shapes: ShapeTable, prefix: string, minIndex = 0): ClassifierHeadSpec | null {
  const modules = new Map<string, { path: number[]; params: Map<string, number[]> }>();
  for (const [key, shape] of shapes) {
    if (!key.startsWith(prefix)) continue;
    const parts = key.slice(prefix.length).split('.');
    const param = parts.pop()!;
    const path = parts.map(Number);
    if (path.length === 0 || !path.every((i) => Number.isInteger(i) && i >= 0) || path[0] < minIndex) continue;
    if (!LAYER_PARAMS.has(param)) return null;
    const moduleKey = `${prefix}${parts.join('.')}`;
    const entry = modules.get(moduleKey) ?? { path, params: new Map<string, number[]>() };
    entry.params.set(param, shape);
    modules.set(moduleKey, entry);
  }
  if (modules.size === 0) return null;

  const ordered = [...modules.entries()].sort(([, a], [, b]) => comparePaths(a.path, b.path));
  const layers: HeadLayerSpec[] = [];
  for (const [key, { params }] of ordered) {
    const weight = params.get('weight');
    if (weight && weight.length === 2) {
      layers.push({ kind: 'linear', key, inFeatures: weight[1], outFeatures: weight[0], bias: params.has('bias'), reluAfter: false });
      continue;
    }
    const vector = weight ?? params.get('running_mean') ?? params.get('running_var') ?? params.get('bias');
    if (!vector || vector.length !== 1 || !(params.has('running_mean') || params.has('running_var'))) return null;
    layers.push({ kind: 'batchnorm', key, features: vector[0] });
  }
  const linears = layers.filter((l) => l.kind === 'linear');
  if (linears.length === 0) return null;
  // fastai: ReLU after every LinBnDrop block except the last.
  for (const l of linears.slice(0, -1)) l.reluAfter = true;

  const inFeatures = layers[0].kind === 'linear' ? layers[0].inFeatures : layers[0].features;
  let width = inFeatures;
  for (const layer of layers) {
    const needs = layer.kind === 'linear' ? layer.inFeatures : layer.features;
    if (needs !== width) {
      throw new LabError('state_dict_mismatch', `The classifier head under '${prefix}' does not chain: ${layer.key} takes ${needs} features but the layer before gives ${width}.`, {
        details: { key: layer.key, expected: width, found: needs },
      });
    }
    if (layer.kind === 'linear') width = layer.outFeatures;
  }
  return { prefix, minIndex, layers, inFeatures, classes: width };
}

/** Every key (and shape) the head reads. */
export function classifierExpectedShapes(spec: ClassifierHeadSpec): ShapeTable {
  const out: ShapeTable = new Map();
  for (const layer of spec.layers) {
    if (layer.kind === 'linear') {
      out.set(`${layer.key}.weight`, [layer.outFeatures, layer.inFeatures]);
      if (layer.bias) out.set(`${layer.key}.bias`, [layer.outFeatures]);
    } else {
      for (const p of ['weight', 'bias', 'running_mean', 'running_var']) out.set(`${layer.key}.${p}`, [layer.features]);
    }
  }
  return out;
}

/** True when `key` lies where the head's modules live (so an unread key there is an error). */
export function isClassifierKey(spec: ClassifierHeadSpec, key: string): boolean {
  if (!key.startsWith(spec.prefix)) return false;
  const first = Number(key.slice(spec.prefix.length).split('.')[0]);
  return spec.minIndex === 0 || (Number.isInteger(first) && first >= spec.minIndex);
}

function comparePaths(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
