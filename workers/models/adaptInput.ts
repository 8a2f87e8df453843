import type { HostTensor } from '../../src/io/checkpoint';

/**
 * Widens a checkpoint's first convolution to take `channels` inputs, for images with more
 * channels than it was trained on (an RGB encoder on RGB + NIR stacks). The rule: every added
 * input channel gets the mean of the checkpoint's filters over its existing input channels, and
 * all filters are then scaled by from / channels, so an input whose bands all look alike gives
 * the same response as before (the convention timm's adapt_input_conv also follows). The first
 * convolution is the first 4-D weight in state-dict order (the stem in every family the lab
 * recognises). Returns a new map; the input is not changed. Returns null when nothing needs to
 * change or the rule cannot apply (fewer channels than the checkpoint takes).
 */
export function widenFirstConv(tensors: Map<string, HostTensor>, channels: number): { tensors: Map<string, HostTensor>; key: string; from: number } | null {
  const entry = [...tensors].find(([, t]) => t.shape.length === 4);
  if (!entry) return null;
  const [key, weight] = entry;
  const [out, from, kh, kw] = weight.shape;
  if (channels <= from) return null;

  const widened = new Float32Array(out * channels * kh * kw);
  const plane = kh * kw;
  for (let o = 0; o < out; o++) {
    for (let i = 0; i < channels; i++) {
      for (let p = 0; p < plane; p++) {
        let value: number;
        if (i < from) value = weight.values[(o * from + i) * plane + p];
        else {
          let sum = 0;
          for (let j = 0; j < from; j++) sum += weight.values[(o * from + j) * plane + p];
          value = sum / from;
        }
        widened[(o * channels + i) * plane + p] = (value * from) / channels;
      }
    }
  }
  const next = new Map(tensors);
  next.set(key, { sourceDtype: weight.sourceDtype, shape: [out, channels, kh, kw], values: widened });
  return { tensors: next, key, from };
}
