import { LabError } from '../../src/io/errors';

/** ITU-R BT.601 luma weights, what PIL's convert('L') uses. */
const LUMA = [0.299, 0.587, 0.114];

/**
 * Converts images [n, h, w, from] to [n, h, w, to] channels so a dataset fits a checkpoint's
 * first convolution: grayscale is replicated to RGB, RGB becomes grayscale by BT.601 luma.
 * Returns the input itself when the counts agree. Throws LabError for other conversions.
 */
export function adaptChannels(pixels: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return pixels;
  const count = pixels.length / from;
  const out = new Float32Array(count * to);
  if (from === 1 && to === 3) {
    for (let p = 0; p < count; p++) out[3 * p] = out[3 * p + 1] = out[3 * p + 2] = pixels[p];
    return out;
  }
  if (from === 3 && to === 1) {
    for (let p = 0; p < count; p++) out[p] = LUMA[0] * pixels[3 * p] + LUMA[1] * pixels[3 * p + 1] + LUMA[2] * pixels[3 * p + 2];
    return out;
  }
  throw new LabError('invalid_input', `The checkpoint's first convolution takes ${to} input channels but the images have ${from}. The lab converts between 1 (grayscale) and 3 (RGB) channels only; load images with ${to} channels.`);
}
