import * as tf from '@tensorflow/tfjs';

import { LabError } from '../../src/io/errors';

import type { HostTensor } from '../../src/io/checkpoint';
import type { ArchitectureSummary } from '../engineApi';
import type { EncoderNetwork, LayersModelArchitecture, NetworkOutputs } from './network';

/** The files of a tfjs LayersModel: model.json's bytes and its weight files by path. */
export interface LayersModelFiles {
  /** Path of model.json. */
  jsonPath: string;
  /** Bytes of model.json. */
  json: Uint8Array;
  /** Weight files, by the path model.json's weightsManifest names (relative to it). */
  weights: Map<string, Uint8Array>;
}

/** True when `bytes` is a tfjs model.json with a layers topology and a weights manifest. */
export function isLayersModelJson(bytes: Uint8Array): boolean {
  if (bytes.length === 0 || bytes[0] !== 0x7b) return false;
  const head = new TextDecoder().decode(bytes.subarray(0, 4096));
  return head.includes('"modelTopology"') || head.includes('"weightsManifest"');
}

/** Weight file names model.json refers to, in manifest order. */
export function layersModelWeightPaths(json: Uint8Array, source: string): string[] {
  const parsed = parseJson(json, source);
  const manifest = parsed.weightsManifest as { paths: string[] }[] | undefined;
  if (!Array.isArray(manifest)) throw new LabError('corrupt_file', `${source} has no weightsManifest: it is not a tfjs LayersModel saved with model.save().`);
  return manifest.flatMap((group) => group.paths);
}

/**
 * Loads a tfjs LayersModel from its files and wraps it as an encoder: stem and stages are its
 * last layer at each spatial resolution (global-average-pooled by the views), the encoder
 * output is the model's output, average-pooled when it is a feature map. Throws LabError when a
 * weight file is missing or the input size is not fixed.
 */
export async function loadLayersNetwork(files: LayersModelFiles): Promise<{ network: LayersNetwork; tensors: Map<string, HostTensor>; architecture: ArchitectureSummary }> {
  const parsed = parseJson(files.json, files.jsonPath);
  const folder = files.jsonPath.includes('/') ? files.jsonPath.slice(0, files.jsonPath.lastIndexOf('/') + 1) : '';
  const manifest = parsed.weightsManifest as tf.io.WeightsManifestConfig;
  const buffers: Uint8Array[] = [];
  for (const path of manifest.flatMap((g) => g.paths)) {
    const bytes = files.weights.get(`${folder}${path}`) ?? files.weights.get(path);
    if (!bytes) throw new LabError('invalid_input', `${files.jsonPath} needs the weight file ${path}; drop it together with model.json.`);
    buffers.push(bytes);
  }
  const weightData = concat(buffers);
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: parsed.modelTopology as object, weightSpecs: manifest.flatMap((g) => g.weights), weightData: weightData.buffer as ArrayBuffer }),
  );

  const inputShape = model.inputs[0].shape;
  if (inputShape.length !== 4 || inputShape.slice(1).some((d) => d === null)) {
    model.dispose();
    throw new LabError('invalid_input', `${files.jsonPath} takes inputs of shape [${inputShape.join(', ')}]; the lab needs a fixed [batch, height, width, channels] input to find the stages.`);
  }
  const stageLayers = stagesByResolution(model);
  const probe = tf.model({ inputs: model.inputs, outputs: [...stageLayers.map((l) => l.output as tf.SymbolicTensor), model.outputs[0]] });
  const architecture: LayersModelArchitecture = {
    family: 'tfjs-layers',
    modelName: model.name,
    stageLayers: stageLayers.map((l) => l.name),
    inputShape: inputShape.slice(1) as unknown as [number, number, number],
    pooling: 'avg',
    head: null,
    classifier: null,
  };
  const network = new LayersNetwork(model, probe, architecture);

  const tensors = new Map<string, HostTensor>();
  for (const w of model.weights) {
    const values = (await w.read().data()) as Float32Array;
    tensors.set(w.originalName, { sourceDtype: 'float32', shape: w.shape as number[], values: Float32Array.from(values) });
  }
  const outShape = model.outputs[0].shape;
  const stageChannels = stageLayers.map((l) => (l.outputShape as number[])[3]);
  return {
    network,
    tensors,
    architecture: {
      description: `tfjs LayersModel "${model.name}" (${model.layers.length} layers, input ${architecture.inputShape.join('×')}); stages read at layers ${architecture.stageLayers.join(', ')}`,
      inputChannels: architecture.inputShape[2],
      stageNames: network.stageNames.slice(),
      stageChannels,
      encoderDim: outShape.length === 4 ? (outShape[3] as number) : (outShape[outShape.length - 1] as number),
      projectionDim: null,
      nPrototypes: null,
      encoderParams: model.countParams(),
    },
  };
}

/** A LayersModel seen through the lab's encoder interface. */
export class LayersNetwork implements EncoderNetwork {
  readonly family = 'tfjs-layers' as const;
  readonly architecture: LayersModelArchitecture;
  readonly stageNames: readonly string[];
  readonly headSpec = null;
  readonly classifierSpec = null;
  /** The model as loaded, for a plain predict beside the engine's path. */
  readonly model: tf.LayersModel;
  private readonly probe: tf.LayersModel;

  constructor(model: tf.LayersModel, probe: tf.LayersModel, architecture: LayersModelArchitecture) {
    this.model = model;
    this.probe = probe;
    this.architecture = architecture;
    this.stageNames = ['stem', ...architecture.stageLayers.slice(1).map((_, i) => `stage${i + 1}`)];
  }

  forward(x: tf.Tensor4D): NetworkOutputs {
    const [h, w] = this.architecture.inputShape;
    const input = x.shape[1] === h && x.shape[2] === w ? x : tf.image.resizeBilinear(x, [h, w], false, true);
    const outputs = this.probe.predict(input) as tf.Tensor[];
    const maps = outputs.slice(0, -1) as tf.Tensor4D[];
    const last = outputs[outputs.length - 1];
    const pooled = (last.rank === 4 ? tf.mean(last, [1, 2]) : last.rank === 2 ? last : tf.reshape(last, [last.shape[0], -1])) as tf.Tensor2D;
    return { stem: maps[0], stages: maps.slice(1), pooled, projector: null, embedding: null, scores: null, logits: null };
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** The last layer with a 4-D output at each spatial resolution, in depth order. */
function stagesByResolution(model: tf.LayersModel): tf.layers.Layer[] {
  const byResolution = new Map<string, tf.layers.Layer>();
  for (const layer of model.layers) {
    const shape = layer.outputShape as number[];
    if (!Array.isArray(shape) || shape.length !== 4 || Array.isArray(shape[0])) continue;
    if (layer.getClassName() === 'InputLayer') continue;
    byResolution.set(`${shape[1]}x${shape[2]}`, layer);
  }
  const stages = [...byResolution.values()];
  if (stages.length === 0) throw new LabError('unknown_architecture', `The tfjs model "${model.name}" has no convolutional feature maps; the lab analyses convolutional encoders.`);
  return stages;
}

function parseJson(bytes: Uint8Array, source: string): Record<string, unknown> {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch (cause) {
    throw new LabError('corrupt_file', `${source} is not valid JSON.`, { cause });
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
