import { describe, expect, it } from 'vitest';

import { cropResize, drawCropBox, makeViews } from '../../../workers/training/augment';
import { createRng, shuffledIndices } from '../../../workers/training/rng';

function ramp(height: number, width: number): Uint8Array {
  return Uint8Array.from({ length: height * width }, (_, i) => (i * 7) % 256);
}

describe('seeded augmentations', () => {
  it('makeViews gives identical views for the same seed, image and view, and different ones otherwise', () => {
    const images = new Uint8Array(3 * 28 * 28).map((_, i) => (i * 13) % 251);
    const a1 = makeViews(images, 28, 28, 1, [0, 2], 7, 0);
    const a2 = makeViews(images, 28, 28, 1, [0, 2], 7, 0);
    const b = makeViews(images, 28, 28, 1, [0, 2], 7, 1);
    expect(a1).toHaveLength(2 * 28 * 28);
    expect(a1).toEqual(a2);
    expect(a1).not.toEqual(b);
  });

  it('drawCropBox keeps every box inside the image with an area between 35% and 100%', () => {
    const rng = createRng(1);
    for (let k = 0; k < 500; k++) {
      const box = drawCropBox(28, 28, rng);
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(28);
      expect(box.y + box.height).toBeLessThanOrEqual(28);
      const area = (box.width * box.height) / (28 * 28);
      expect(area).toBeGreaterThan(0.3);
      expect(area).toBeLessThanOrEqual(1);
    }
  });

  it('cropResize of the full box reproduces the image scaled to [0, 1], and a flip mirrors it', () => {
    const image = ramp(4, 5);
    const out = new Float32Array(20);
    cropResize(image, 4, 5, 1, { x: 0, y: 0, width: 5, height: 4, flip: false }, 4, 5, out, 0);
    for (let i = 0; i < 20; i++) expect(out[i]).toBeCloseTo(image[i] / 255, 6);
    const flipped = new Float32Array(20);
    cropResize(image, 4, 5, 1, { x: 0, y: 0, width: 5, height: 4, flip: true }, 4, 5, flipped, 0);
    expect(flipped[0]).toBeCloseTo(image[4] / 255, 6);
    expect(flipped[4]).toBeCloseTo(image[0] / 255, 6);
  });

  it('cropResize interpolates bilinearly with half-pixel centres when upscaling', () => {
    // A 2x1 image [0, 255] resampled to 4x1: centres at -0.25, 0.25, 0.75, 1.25 in source pixels.
    const out = new Float32Array(4);
    cropResize(Uint8Array.from([0, 255]), 1, 2, 1, { x: 0, y: 0, width: 2, height: 1, flip: false }, 1, 4, out, 0);
    expect(Array.from(out, (v) => Number(v.toFixed(4)))).toEqual([0, 0.25, 0.75, 1]);
  });

  it('shuffledIndices is a seeded permutation', () => {
    const p = shuffledIndices(100, createRng(4));
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(shuffledIndices(100, createRng(4))).toEqual(p);
    expect(shuffledIndices(100, createRng(5))).not.toEqual(p);
  });
});
