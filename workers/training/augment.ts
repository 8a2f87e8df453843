import { assert } from '../../src/io/errors';
import { createRng } from './rng';

import type { RandomFn } from './rng';

/** Scale range of the random resized crop, as a fraction of the image area. */
export const CROP_SCALE: [number, number] = [0.35, 1];
/** Aspect-ratio range of the crop (torchvision's default). */
export const CROP_RATIO: [number, number] = [3 / 4, 4 / 3];
/** Probability of a horizontal flip. */
export const FLIP_PROBABILITY = 0.5;

/** One crop box in source pixels, plus a flip. */
export interface CropBox {
  /** Left edge in source pixels (may be fractional). */
  x: number;
  /** Top edge. */
  y: number;
  /** Width in source pixels. */
  width: number;
  /** Height in source pixels. */
  height: number;
  /** Mirror left-right. */
  flip: boolean;
}

/**
 * Draws a random resized crop the way torchvision's RandomResizedCrop does: up to ten tries at
 * a box of random area and log-uniform aspect ratio that fits, else the centred full image.
 */
export function drawCropBox(height: number, width: number, rng: RandomFn): CropBox {
  const area = height * width;
  const logRatio = [Math.log(CROP_RATIO[0]), Math.log(CROP_RATIO[1])];
  for (let attempt = 0; attempt < 10; attempt++) {
    const target = area * (CROP_SCALE[0] + rng() * (CROP_SCALE[1] - CROP_SCALE[0]));
    const ratio = Math.exp(logRatio[0] + rng() * (logRatio[1] - logRatio[0]));
    const w = Math.round(Math.sqrt(target * ratio));
    const h = Math.round(Math.sqrt(target / ratio));
    if (w > 0 && h > 0 && w <= width && h <= height) {
      const y = Math.floor(rng() * (height - h + 1));
      const x = Math.floor(rng() * (width - w + 1));
      return { x, y, width: w, height: h, flip: rng() < FLIP_PROBABILITY };
    }
  }
  return { x: 0, y: 0, width, height, flip: rng() < FLIP_PROBABILITY };
}

/**
 * Resamples the box of one image into an outHeight x outWidth image by bilinear interpolation
 * with half-pixel centres. `image` is [height, width, channels] uint8; the result is float
 * [outHeight, outWidth, channels] in [0, 1], written into `out` at `outOffset` (mutated).
 */
export function cropResize(
  image: Uint8Array,
  height: number,
  width: number,
  channels: number,
  box: CropBox,
  outHeight: number,
  outWidth: number,
  out: Float32Array,
  outOffset: number,
): void {
  assert(image.length >= height * width * channels, () => `cropResize: image has ${image.length} values, needs ${height}x${width}x${channels}`);
  const sy = box.height / outHeight;
  const sx = box.width / outWidth;
  for (let oy = 0; oy < outHeight; oy++) {
    const fy = Math.min(Math.max(box.y + (oy + 0.5) * sy - 0.5, 0), height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, height - 1);
    const wy = fy - y0;
    for (let ox = 0; ox < outWidth; ox++) {
      const col = box.flip ? outWidth - 1 - ox : ox;
      const fx = Math.min(Math.max(box.x + (col + 0.5) * sx - 0.5, 0), width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, width - 1);
      const wx = fx - x0;
      for (let c = 0; c < channels; c++) {
        const a = image[(y0 * width + x0) * channels + c];
        const b = image[(y0 * width + x1) * channels + c];
        const d = image[(y1 * width + x0) * channels + c];
        const e = image[(y1 * width + x1) * channels + c];
        const top = a + (b - a) * wx;
        const bottom = d + (e - d) * wx;
        out[outOffset + (oy * outWidth + ox) * channels + c] = (top + (bottom - top) * wy) / 255;
      }
    }
  }
}

/**
 * Makes view `view` (0 or 1) of each listed image: a seeded random resized crop and flip, the
 * same for a given (seed, image index, view) on every backend and every run. `images` is
 * [count, height, width, channels] uint8; returns [indices.length, height, width, channels]
 * floats in [0, 1].
 */
export function makeViews(images: Uint8Array, height: number, width: number, channels: number, indices: ArrayLike<number>, seed: number, view: number): Float32Array {
  const size = height * width * channels;
  const out = new Float32Array(indices.length * size);
  for (let k = 0; k < indices.length; k++) {
    const index = indices[k];
    const rng = createRng(seed, index, view);
    const box = drawCropBox(height, width, rng);
    cropResize(images.subarray(index * size, (index + 1) * size), height, width, channels, box, height, width, out, k * size);
  }
  return out;
}
