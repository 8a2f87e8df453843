import * as tf from '@tensorflow/tfjs';

import { LayersNetwork } from '../models/layersModelNetwork';
import { applyResNetLayers } from '../models/resnetLayersModel';
import { embed } from './embedder';

import type { HostTensor } from '../../src/io/checkpoint';
import type { RecognisedModel } from '../models/buildModel';
import type { ConvLayerSpec } from '../models/xresnetSpec';
import type { BackendName, ThroughputReport } from '../engineApi';
import type { Normalisation } from './embedder';

/**
 * Times the engine's embedding path against a plain tfjs LayersModel.predict of the same
 * network (built layer by layer from the same weights, BatchNorm as a layer), on the current
 * backend, one after the other in the same worker. Both are warmed up first so shader
 * compilation is not timed.
 */
export async function measureThroughput(
  model: RecognisedModel,
  inputs: Float32Array,
  shape: [number, number, number, number],
  norm: Normalisation,
  batchSize: number,
  backend: BackendName,
): Promise<ThroughputReport> {
  const [n, h, w, c] = shape;
  // A tfjs LayersModel checkpoint is its own plain predict; anything else is rebuilt as one.
  const loaded = model.network instanceof LayersNetwork ? model.network.model : null;
  const baseline = loaded ?? buildLayersModel(model, [h, w, c]);
  const hooks = { onBatch: () => undefined, isCancelled: () => false };
  const per = h * w * c;

  const normalised = new Float32Array(inputs.length);
  for (let i = 0; i < inputs.length; i++) normalised[i] = (inputs[i] - norm.mean[i % c]) / norm.std[i % c];

  const runBaseline = async (count: number): Promise<Float32Array> => {
    const out = new Float32Array(count * (baseline.outputs[0].shape[1] as number));
    for (let start = 0; start < count; start += batchSize) {
      const size = Math.min(batchSize, count - start);
      const y = tf.tidy(() => baseline.predict(tf.tensor4d(normalised.subarray(start * per, (start + size) * per), [size, h, w, c], 'float32')) as tf.Tensor2D);
      out.set((await y.data()) as Float32Array, start * y.shape[1]);
      y.dispose();
    }
    return out;
  };

  try {
    // Warm-up: compile every kernel of both paths at the timed batch size.
    const warm = Math.min(n, batchSize);
    await embed(model.network, inputs.subarray(0, warm * per), [warm, h, w, c], norm, hooks);
    await runBaseline(warm);

    const t0 = performance.now();
    const engineOut = await embed(model.network, inputs, shape, norm, hooks);
    const engineMs = performance.now() - t0;

    const t1 = performance.now();
    const baselineOut = await runBaseline(n);
    const baselineMs = performance.now() - t1;

    // Both paths end at the projector; the engine's output is L2-normalised, so compare after it.
    const projection = engineOut.reps.find((r) => r.name === 'projection');
    let maxAbsDiff = Number.NaN;
    if (projection) {
      maxAbsDiff = 0;
      const d = projection.d;
      for (let i = 0; i < n; i++) {
        let norm2 = 0;
        for (let j = 0; j < d; j++) norm2 += baselineOut[i * d + j] ** 2;
        const scale = 1 / Math.max(Math.sqrt(norm2), 1e-12);
        for (let j = 0; j < d; j++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(baselineOut[i * d + j] * scale - projection.values[i * d + j]));
      }
    }
    return {
      backend,
      engineImagesPerSecond: (n / engineMs) * 1000,
      baselineImagesPerSecond: (n / baselineMs) * 1000,
      batchSize,
      images: n,
      maxAbsDiff,
    };
  } finally {
    if (!loaded) baseline.dispose();
  }
}

/** The network as an ordinary tfjs functional LayersModel, ending at the projector's output. */
function buildLayersModel(model: RecognisedModel, inputShape: [number, number, number]): tf.LayersModel {
  const arch = model.network.architecture;
  if (arch.family === 'tfjs-layers') throw new Error('buildLayersModel: a tfjs LayersModel is used as it is');
  const tensors = model.tensors;
  const input = tf.input({ shape: inputShape });

  const convLayer = (x: tf.SymbolicTensor, c: ConvLayerSpec): tf.SymbolicTensor => {
    const pad = (c.kernel - 1) / 2;
    let y = pad > 0 ? (tf.layers.zeroPadding2d({ padding: pad }).apply(x) as tf.SymbolicTensor) : x;
    // Layers copy their initial weights into their own variables, so ours are released at once.
    const filter = [oihwToHwio(tensors.get(`${c.key}.0.weight`)!)];
    const bn = bnWeights(tensors, `${c.key}.1`);
    y = tf.layers.conv2d({ filters: c.outChannels, kernelSize: c.kernel, strides: c.stride, padding: 'valid', useBias: false, weights: filter }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.batchNormalization({ epsilon: 1e-5, weights: bn }).apply(y) as tf.SymbolicTensor;
    tf.dispose([...filter, ...bn]);
    return c.relu ? (tf.layers.reLU().apply(y) as tf.SymbolicTensor) : y;
  };

  let x = input;
  if (arch.family === 'torchvision-resnet') {
    x = applyResNetLayers(input, arch.encoder, tensors);
  } else {
    const spec = arch.encoder;
    for (const c of spec.stem) x = convLayer(x, c);
    // Zero padding equals -inf padding here: the max pool's input is post-ReLU.
    x = tf.layers.zeroPadding2d({ padding: 1 }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid' }).apply(x) as tf.SymbolicTensor;
    for (const block of spec.stages.flat()) {
      let conv = x;
      for (const c of block.convs) conv = convLayer(conv, c);
      let id = x;
      if (block.idPool) id = tf.layers.averagePooling2d({ poolSize: 2, strides: 2, padding: 'same' }).apply(id) as tf.SymbolicTensor;
      if (block.idConv) id = convLayer(id, block.idConv);
      x = tf.layers.reLU().apply(tf.layers.add().apply([conv, id]) as tf.SymbolicTensor) as tf.SymbolicTensor;
    }
  }
  const avgPool = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  // The engine's global pool: fastai's [max, avg] concat, or torchvision's average alone.
  let z = arch.pooling === 'avg' ? avgPool : (tf.layers.concatenate().apply([tf.layers.globalMaxPooling2d({}).apply(x) as tf.SymbolicTensor, avgPool]) as tf.SymbolicTensor);

  for (const layer of model.network.headSpec?.layers ?? []) {
    if (layer.kind === 'linear') {
      const wt = tensors.get(`${layer.key}.weight`)!;
      const weights = [tf.tidy(() => tf.tensor2d(wt.values as Float32Array, [wt.shape[0], wt.shape[1]]).transpose())];
      if (layer.bias) weights.push(tf.tensor1d(tensors.get(`${layer.key}.bias`)!.values as Float32Array));
      z = tf.layers.dense({ units: layer.outFeatures, useBias: layer.bias, weights }).apply(z) as tf.SymbolicTensor;
      tf.dispose(weights);
    } else {
      const bn = bnWeights(tensors, layer.key);
      z = tf.layers.batchNormalization({ epsilon: 1e-5, weights: bn }).apply(z) as tf.SymbolicTensor;
      tf.dispose(bn);
    }
    if (layer.reluAfter) z = tf.layers.reLU().apply(z) as tf.SymbolicTensor;
  }
  return tf.model({ inputs: input, outputs: z });
}

function oihwToHwio(weight: HostTensor): tf.Tensor4D {
  const [o, i, kh, kw] = weight.shape;
  return tf.tidy(() => tf.tensor4d(weight.values as Float32Array, [o, i, kh, kw]).transpose([2, 3, 1, 0]) as tf.Tensor4D);
}

function bnWeights(tensors: Map<string, HostTensor>, key: string): tf.Tensor[] {
  // tfjs BatchNormalization weight order: gamma, beta, moving mean, moving variance.
  return ['weight', 'bias', 'running_mean', 'running_var'].map((p) => tf.tensor1d(tensors.get(`${key}.${p}`)!.values as Float32Array));
}
