import { LabError } from '../../src/io/errors';

import type { ShapeTable } from './stateDictKeys';

/**
 * Recognises a SwAV projection head beside an encoder: self_supervised's create_mlp_module
 * (Linear, BatchNorm1d, ReLU, ..., Linear) under `projector.` and a bias-free
 * `prototypes.weight` [K, dim]. The layer kinds come from the parameter shapes; the indices that
 * hold no parameters between them are the ReLUs.
 */

/** One parameterised layer of the projector MLP. */
export type MlpLayerSpec =
  | { kind: 'linear'; key: string; inFeatures: number; outFeatures: number; bias: boolean; reluAfter: boolean }
  | { kind: 'batchnorm'; key: string; features: number; reluAfter: boolean };

/** A recognised SwAV head. */
export interface SwavHeadSpec {
  /** Key prefix of the MLP, e.g. 'projector.'. */
  prefix: string;
  /** Layers in order. */
  layers: MlpLayerSpec[];
  /** Input width (the encoder's output). */
  inFeatures: number;
  /** Output width (the embedding). */
  outFeatures: number;
  /** Prototype matrix key and K, or null when the file has none. */
  prototypes: { key: string; count: number } | null;
}

/** Prefixes under which a projector may sit, most common first. */
const PROJECTOR_PREFIXES = ['projector.', 'projection_head.', 'head.'];

/**
 * Returns the SwAV head in `shapes`, or null when the file has no projector (an encoder alone).
 * Throws LabError 'state_dict_mismatch' when a projector is there but its shapes do not chain.
 */
export function recognizeSwavHead(shapes: ShapeTable): SwavHeadSpec | null {
  const prefix = PROJECTOR_PREFIXES.find((p) => [...shapes.keys()].some((k) => k.startsWith(p) && /^\d+\./.test(k.slice(p.length))));
  if (prefix === undefined) return null;

  const indices = [...new Set([...shapes.keys()].filter((k) => k.startsWith(prefix)).map((k) => Number(k.slice(prefix.length).split('.')[0])))]
    .filter((i) => Number.isInteger(i))
    .sort((a, b) => a - b);
  const layers: MlpLayerSpec[] = [];
  indices.forEach((index, position) => {
    const key = `${prefix}${index}`;
    const weight = shapes.get(`${key}.weight`);
    const next = indices[position + 1];
    // A gap in the indices is a parameter-free module; in these MLPs it is the ReLU.
    const reluAfter = next !== undefined ? next > index + 1 : false;
    if (weight && weight.length === 2) {
      layers.push({ kind: 'linear', key, inFeatures: weight[1], outFeatures: weight[0], bias: shapes.has(`${key}.bias`), reluAfter });
    } else if (weight && weight.length === 1 && shapes.has(`${key}.running_mean`)) {
      layers.push({ kind: 'batchnorm', key, features: weight[0], reluAfter });
    } else {
      throw new LabError('unknown_architecture', `The projector layer ${key} is neither a Linear nor a BatchNorm1d (weight shape ${weight ? `[${weight.join(', ')}]` : 'missing'}).`);
    }
  });
  const linears = layers.filter((l): l is Extract<MlpLayerSpec, { kind: 'linear' }> => l.kind === 'linear');
  if (linears.length === 0) throw new LabError('unknown_architecture', `The projector under '${prefix}' has no Linear layer.`);

  let width = linears[0].inFeatures;
  for (const layer of layers) {
    const inWidth = layer.kind === 'linear' ? layer.inFeatures : layer.features;
    if (inWidth !== width) {
      throw new LabError('state_dict_mismatch', `Projector layer ${layer.key} takes ${inWidth} features but the layer before gives ${width}.`);
    }
    width = layer.kind === 'linear' ? layer.outFeatures : layer.features;
  }

  const protoShape = shapes.get('prototypes.weight');
  let prototypes: SwavHeadSpec['prototypes'] = null;
  if (protoShape) {
    if (protoShape.length !== 2 || protoShape[1] !== width) {
      throw new LabError('state_dict_mismatch', `prototypes.weight should be [K, ${width}] to score the ${width}-d embedding; the file has [${protoShape.join(', ')}].`);
    }
    prototypes = { key: 'prototypes.weight', count: protoShape[0] };
  }
  return { prefix, layers, inFeatures: linears[0].inFeatures, outFeatures: width, prototypes };
}

/** Every key (and shape) the recognised head reads. */
export function swavHeadExpectedShapes(spec: SwavHeadSpec): ShapeTable {
  const out: ShapeTable = new Map();
  for (const layer of spec.layers) {
    if (layer.kind === 'linear') {
      out.set(`${layer.key}.weight`, [layer.outFeatures, layer.inFeatures]);
      if (layer.bias) out.set(`${layer.key}.bias`, [layer.outFeatures]);
    } else {
      for (const p of ['weight', 'bias', 'running_mean', 'running_var']) out.set(`${layer.key}.${p}`, [layer.features]);
    }
  }
  if (spec.prototypes) out.set(spec.prototypes.key, [spec.prototypes.count, spec.outFeatures]);
  return out;
}
