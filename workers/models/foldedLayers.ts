import * as tf from '@tensorflow/tfjs';

import { assert } from '../../src/io/errors';

import type { HostTensor } from '../../src/io/checkpoint';

/** PyTorch's BatchNorm default epsilon; tfjs defaults to 1e-3, which shrinks activations. */
export const TORCH_BN_EPS = 1e-5;

/** A convolution with its BatchNorm folded in, ready for tf.fused.conv2d (NHWC, HWIO). */
export interface FoldedConv {
  /** Filter [kh, kw, in, out] with the BN scale multiplied into each output channel. */
  filter: tf.Tensor4D;
  /** Per output channel: beta - mean * scale. */
  bias: tf.Tensor1D;
  /** Stride on both spatial axes. */
  stride: number;
  /** Symmetric zero padding, PyTorch's (k - 1) / 2; never tfjs 'same', which pads asymmetrically. */
  pad: number;
  /** Whether a ReLU follows. */
  relu: boolean;
}

/** A Linear layer, optionally with a following BatchNorm1d folded in. */
export interface FoldedLinear {
  /** Weight [in, out]. */
  weight: tf.Tensor2D;
  /** Bias [out]. */
  bias: tf.Tensor1D;
  /** Whether a ReLU follows. */
  relu: boolean;
}

/** Per-channel BatchNorm in eval mode as y = x * scale + shift, computed in float64. */
export function batchNormAffine(tensors: Map<string, HostTensor>, key: string, eps = TORCH_BN_EPS): { scale: Float64Array; shift: Float64Array } {
  const gamma = need(tensors, `${key}.weight`).values;
  const beta = need(tensors, `${key}.bias`).values;
  const mean = need(tensors, `${key}.running_mean`).values;
  const variance = need(tensors, `${key}.running_var`).values;
  const scale = new Float64Array(gamma.length);
  const shift = new Float64Array(gamma.length);
  for (let c = 0; c < gamma.length; c++) {
    scale[c] = gamma[c] / Math.sqrt(variance[c] + eps);
    shift[c] = beta[c] - mean[c] * scale[c];
  }
  return { scale, shift };
}

/**
 * Builds a folded ConvLayer from PyTorch weights: conv [out, in, kh, kw] at `${key}.0.weight`
 * and BatchNorm2d at `${key}.1`. The returned tensors are owned by the caller.
 */
export function foldConvBn(tensors: Map<string, HostTensor>, key: string, stride: number, relu: boolean): FoldedConv {
  return foldConvBnAt(tensors, `${key}.0`, `${key}.1`, stride, relu);
}

/**
 * Like foldConvBn for any naming: conv weight [out, in, kh, kw] at `${convKey}.weight` and the
 * BatchNorm2d at `${bnKey}` (torchvision's 'layer1.0.conv1' / 'layer1.0.bn1'). The returned
 * tensors are owned by the caller.
 */
export function foldConvBnAt(tensors: Map<string, HostTensor>, convKey: string, bnKey: string, stride: number, relu: boolean): FoldedConv {
  const weight = need(tensors, `${convKey}.weight`);
  assert(weight.shape.length === 4, () => `foldConvBn: ${convKey}.weight has shape [${weight.shape}], expected [out, in, kh, kw]`);
  const [out, inCh, kh, kw] = weight.shape;
  const { scale, shift } = batchNormAffine(tensors, bnKey);

  // OIHW -> HWIO with the BN scale folded into each output channel.
  const hwio = new Float32Array(kh * kw * inCh * out);
  const w = weight.values;
  for (let o = 0; o < out; o++) {
    for (let i = 0; i < inCh; i++) {
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) {
          hwio[((y * kw + x) * inCh + i) * out + o] = w[((o * inCh + i) * kh + y) * kw + x] * scale[o];
        }
      }
    }
  }
  return {
    filter: tf.tensor4d(hwio, [kh, kw, inCh, out], 'float32'),
    bias: tf.tensor1d(Float32Array.from(shift), 'float32'),
    stride,
    pad: (kh - 1) / 2,
    relu,
  };
}

/**
 * Builds a Linear layer from PyTorch weights ([out, in] at `${key}.weight`), folding a
 * BatchNorm1d that follows it when `bnKey` is given. The returned tensors are owned by the caller.
 */
export function foldLinear(tensors: Map<string, HostTensor>, key: string, bnKey: string | null, relu: boolean): FoldedLinear {
  const weight = need(tensors, `${key}.weight`);
  assert(weight.shape.length === 2, () => `foldLinear: ${key}.weight has shape [${weight.shape}], expected [out, in]`);
  const [out, inF] = weight.shape;
  const biasIn = tensors.get(`${key}.bias`)?.values;
  const bn = bnKey ? batchNormAffine(tensors, bnKey) : null;

  const transposed = new Float32Array(inF * out);
  const bias = new Float32Array(out);
  for (let o = 0; o < out; o++) {
    const s = bn ? bn.scale[o] : 1;
    for (let i = 0; i < inF; i++) transposed[i * out + o] = weight.values[o * inF + i] * s;
    bias[o] = (biasIn ? biasIn[o] : 0) * s + (bn ? bn.shift[o] : 0);
  }
  return { weight: tf.tensor2d(transposed, [inF, out], 'float32'), bias: tf.tensor1d(bias, 'float32'), relu };
}

/** Applies a folded conv to x [batch, height, width, channels]. */
export function applyConv(x: tf.Tensor4D, layer: FoldedConv): tf.Tensor4D {
  return tf.fused.conv2d({
    x,
    filter: layer.filter,
    strides: layer.stride,
    pad: layer.pad,
    bias: layer.bias,
    activation: layer.relu ? 'relu' : 'linear',
  });
}

/** Applies a folded linear layer to x [batch, features]. */
export function applyLinear(x: tf.Tensor2D, layer: FoldedLinear): tf.Tensor2D {
  return tf.fused.matMul({ a: x, b: layer.weight, bias: layer.bias, activation: layer.relu ? 'relu' : 'linear' }) as tf.Tensor2D;
}

function need(tensors: Map<string, HostTensor>, key: string): HostTensor {
  const t = tensors.get(key);
  if (!t) throw new Error(`weight ${key} is missing; recognition should have caught this`);
  return t;
}
