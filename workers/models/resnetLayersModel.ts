import * as tf from '@tensorflow/tfjs';

import type { HostTensor } from '../../src/io/checkpoint';
import type { ResNetConvSpec, ResNetSpec } from './resnetSpec';

/**
 * A torchvision-style ResNet trunk as ordinary tfjs layers (Conv2D, BatchNormalization as a
 * layer, ReLU, Add), for the throughput baseline that times the engine against
 * LayersModel.predict. Numerically the same network as ResNetNetwork, unfolded.
 */

/**
 * Applies the trunk (conv1 .. last stage) to `input` [batch, h, w, c] and returns the last
 * stage's output, [batch, h', w', C]. The layers' weight tensors are owned by the model built
 * from the result.
 */
export function applyResNetLayers(input: tf.SymbolicTensor, spec: ResNetSpec, tensors: Map<string, HostTensor>): tf.SymbolicTensor {
  let x = convBn(input, spec.stem, tensors);
  // Zero padding equals -inf padding here: the max pool's input is post-ReLU.
  x = tf.layers.zeroPadding2d({ padding: 1 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid' }).apply(x) as tf.SymbolicTensor;
  for (const block of spec.stages.flat()) {
    let path = x;
    for (const c of block.convs) path = convBn(path, c, tensors);
    const identity = block.downsample ? convBn(x, block.downsample, tensors) : x;
    x = tf.layers.reLU().apply(tf.layers.add().apply([path, identity]) as tf.SymbolicTensor) as tf.SymbolicTensor;
  }
  return x;
}

function convBn(x: tf.SymbolicTensor, c: ResNetConvSpec, tensors: Map<string, HostTensor>): tf.SymbolicTensor {
  const pad = (c.kernel - 1) / 2;
  let y = pad > 0 ? (tf.layers.zeroPadding2d({ padding: pad }).apply(x) as tf.SymbolicTensor) : x;
  // Layers copy initial weights into their own variables when applied, so the inputs can go.
  const filter = [oihwToHwio(tensors.get(`${c.convKey}.weight`)!)];
  y = tf.layers.conv2d({ filters: c.outChannels, kernelSize: c.kernel, strides: c.stride, padding: 'valid', useBias: false, weights: filter }).apply(y) as tf.SymbolicTensor;
  // tfjs-layers defaults to eps 1e-3; PyTorch's BatchNorm2d uses 1e-5.
  const bn = bnWeights(tensors, c.bnKey);
  y = tf.layers.batchNormalization({ epsilon: 1e-5, weights: bn }).apply(y) as tf.SymbolicTensor;
  tf.dispose([...filter, ...bn]);
  return c.relu ? (tf.layers.reLU().apply(y) as tf.SymbolicTensor) : y;
}

function oihwToHwio(weight: HostTensor): tf.Tensor4D {
  const [o, i, kh, kw] = weight.shape;
  return tf.tidy(() => tf.tensor4d(Float32Array.from(weight.values), [o, i, kh, kw], 'float32').transpose([2, 3, 1, 0]) as tf.Tensor4D);
}

function bnWeights(tensors: Map<string, HostTensor>, key: string): tf.Tensor[] {
  // tfjs BatchNormalization weight order: gamma, beta, moving mean, moving variance.
  return ['weight', 'bias', 'running_mean', 'running_var'].map((p) => tf.tensor1d(Float32Array.from(tensors.get(`${key}.${p}`)!.values), 'float32'));
}
