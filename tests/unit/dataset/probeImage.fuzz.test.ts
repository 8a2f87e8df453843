import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { probeImage } from '../../../src/io/dataset';
import { imageBytes } from './datasetFixtures';

import type { ImageProbe } from '../../../src/io/dataset';

const FORMATS = ['jpeg', 'png', 'webp', 'gif', 'bmp', 'unknown'];
const SEEDS = ['baseline.jpg', 'exif_orientation6.jpg', 'cmyk_adobe.jpg', 'rgba.png', 'lossy.webp', 'lossless.webp', 'lossy_alpha.webp', 'palette.gif', 'rgb.bmp'].map(imageBytes);
/** Runs per property: a few hundred keep the file well under a second on a shared core. */
const RUNS = 300;

/** The invariants every probe keeps, whatever the input. */
function expectWellFormed(probe: ImageProbe): void {
  expect(FORMATS).toContain(probe.format);
  for (const size of [probe.width, probe.height]) {
    if (size !== null) expect(Number.isInteger(size) && size > 0).toBe(true);
  }
  if (probe.exifOrientation !== null) expect(probe.exifOrientation >= 1 && probe.exifOrientation <= 8).toBe(true);
  if (probe.format === 'unknown') expect(probe.warnings.length).toBe(1);
}

describe('probeImage on arbitrary bytes (property)', () => {
  it('never throws on random bytes and reports a known format value', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => expectWellFormed(probeImage(bytes))),
      { seed: 20240611, numRuns: RUNS },
    );
  });

  it('never throws on real headers followed by random bytes', () => {
    const prefixes = fc.constantFrom(
      [0xff, 0xd8, 0xff],
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      [...new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8X')],
      [...new TextEncoder().encode('GIF89a')],
      [0x42, 0x4d],
    );
    fc.assert(
      fc.property(prefixes, fc.uint8Array({ maxLength: 128 }), (prefix, tail) => {
        expectWellFormed(probeImage(new Uint8Array([...prefix, ...tail])));
      }),
      { seed: 7, numRuns: RUNS },
    );
  });

  it('never throws on truncated or byte-flipped fixture images', () => {
    const mutated = fc
      .record({
        seed: fc.nat({ max: SEEDS.length - 1 }),
        cut: fc.nat({ max: 1000 }),
        flips: fc.array(fc.record({ at: fc.nat({ max: 999 }), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 8 }),
      })
      .map(({ seed, cut, flips }) => {
        const bytes = SEEDS[seed].slice(0, cut);
        for (const flip of flips) if (flip.at < bytes.length) bytes[flip.at] = flip.value;
        return bytes;
      });
    fc.assert(fc.property(mutated, (bytes) => expectWellFormed(probeImage(bytes))), { seed: 42, numRuns: RUNS });
  });
});
