import { describe, expect, it } from 'vitest';

import { probeImage } from '../../../src/io/dataset';
import { imageBytes } from './datasetFixtures';

import type { ImageProbe } from '../../../src/io/dataset';

/** The fields a fixture's probe must have; every fixture is 5 x 3 pixels. */
type Expected = Pick<ImageProbe, 'format' | 'colorModel' | 'bitDepth'> & Partial<ImageProbe>;

const FIXTURES: Record<string, Expected> = {
  'baseline.jpg': { format: 'jpeg', colorModel: 'rgb', bitDepth: 8, exifOrientation: null, adobeTransform: null, warnings: [] },
  'progressive.jpg': { format: 'jpeg', colorModel: 'rgb', bitDepth: 8, warnings: [] },
  'gray.jpg': { format: 'jpeg', colorModel: 'gray', bitDepth: 8 },
  'rgb.png': { format: 'png', colorModel: 'rgb', bitDepth: 8, warnings: [] },
  'gray.png': { format: 'png', colorModel: 'gray', bitDepth: 8, warnings: [] },
  'palette.png': { format: 'png', colorModel: 'palette', bitDepth: 2 },
  'gray16.png': { format: 'png', colorModel: 'gray', bitDepth: 16 },
  'rgba.png': { format: 'png', colorModel: 'rgba', bitDepth: 8 },
  'lossy.webp': { format: 'webp', colorModel: 'rgb', bitDepth: 8, warnings: [] },
  'lossless.webp': { format: 'webp', colorModel: 'rgb', bitDepth: 8, warnings: [] },
  'lossy_alpha.webp': { format: 'webp', colorModel: 'rgba', bitDepth: 8 },
  'palette.gif': { format: 'gif', colorModel: 'palette', bitDepth: 8 },
  'rgb.bmp': { format: 'bmp', colorModel: 'rgb', bitDepth: 8 },
};

/** `bytes` with a big-endian ('MM') Exif APP1 segment holding Orientation = `value` after SOI. */
function withBigEndianExif(bytes: Uint8Array, value: number): Uint8Array {
  const tiff = [0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, value, 0, 0, 0, 0, 0, 0];
  const payload = [...new TextEncoder().encode('Exif\0\0'), ...tiff];
  const length = payload.length + 2;
  const segment = [0xff, 0xe1, length >> 8, length & 0xff, ...payload];
  return new Uint8Array([...bytes.subarray(0, 2), ...segment, ...bytes.subarray(2)]);
}

describe('probeImage on tiny real files', () => {
  for (const [name, expected] of Object.entries(FIXTURES)) {
    it(`reads the format, size and colour model of ${name}`, () => {
      const probe = probeImage(imageBytes(name));

      expect({ width: probe.width, height: probe.height }).toEqual({ width: 5, height: 3 });
      expect(probe).toMatchObject(expected);
    });
  }

  it('reports the Adobe transform 0 of a CMYK JPEG and flags its colours (B28)', () => {
    const probe = probeImage(imageBytes('cmyk_adobe.jpg'));

    expect(probe).toMatchObject({ format: 'jpeg', colorModel: 'cmyk', adobeTransform: 0, width: 5, height: 3 });
    expect(probe.warnings).toEqual([expect.stringMatching(/^Four-component JPEG \(CMYK\): browsers and PIL convert CMYK to RGB differently/)]);
  });

  it('reports a four-component JPEG with Adobe transform 2 as YCCK (B28)', () => {
    const probe = probeImage(imageBytes('ycck_adobe.jpg'));

    expect(probe).toMatchObject({ colorModel: 'ycck', adobeTransform: 2 });
    expect(probe.warnings).toEqual([expect.stringMatching(/^Four-component JPEG \(YCCK, Adobe transform 2\)/)]);
  });

  it('warns that a CMYK JPEG without an Adobe marker may decode inverted (B28)', () => {
    const probe = probeImage(imageBytes('cmyk_no_marker.jpg'));

    expect(probe).toMatchObject({ colorModel: 'cmyk', adobeTransform: null });
    expect(probe.warnings).toEqual([expect.stringMatching(/without an Adobe APP14 marker: decoders disagree on whether its inks are stored inverted/)]);
  });

  it('reads EXIF orientation 6 from a little-endian APP1 and keeps the stored size', () => {
    const probe = probeImage(imageBytes('exif_orientation6.jpg'));

    expect(probe).toMatchObject({ exifOrientation: 6, width: 5, height: 3 });
    expect(probe.warnings).toEqual([expect.stringMatching(/^EXIF orientation 6: browsers rotate or flip the image/)]);
  });

  it('reads EXIF orientation from a big-endian APP1 as well', () => {
    expect(probeImage(withBigEndianExif(imageBytes('baseline.jpg'), 3)).exifOrientation).toBe(3);
  });

  it('gives null for an EXIF orientation outside 1..8', () => {
    expect(probeImage(withBigEndianExif(imageBytes('baseline.jpg'), 9)).exifOrientation).toBeNull();
  });

  it('warns that 16-bit PNGs and images with alpha may decode differently from PIL', () => {
    expect(probeImage(imageBytes('gray16.png')).warnings).toEqual([expect.stringMatching(/^16-bit PNG: browsers reduce it to 8 bits/)]);
    expect(probeImage(imageBytes('rgba.png')).warnings).toEqual([expect.stringMatching(/^Image with transparency: browsers premultiply alpha/)]);
    expect(probeImage(imageBytes('lossy_alpha.webp')).warnings).toEqual([expect.stringMatching(/^Image with transparency/)]);
  });
});

describe('probeImage on damaged and foreign bytes', () => {
  it('keeps the format but no size for a JPEG cut before its frame header', () => {
    const probe = probeImage(imageBytes('baseline.jpg').subarray(0, 30));

    expect(probe).toMatchObject({ format: 'jpeg', width: null, height: null, colorModel: 'unknown' });
    expect(probe.warnings).toEqual([expect.stringMatching(/^JPEG ends before its frame header \(SOF\)/)]);
  });

  it('keeps the format but no size for a PNG whose IHDR is cut short', () => {
    const probe = probeImage(imageBytes('rgb.png').subarray(0, 20));

    expect(probe).toMatchObject({ format: 'png', width: null, height: null });
    expect(probe.warnings).toEqual([expect.stringMatching(/^PNG whose IHDR header is missing or invalid/)]);
  });

  it('names TIFF bytes as TIFF and says to convert them', () => {
    const probe = probeImage(new Uint8Array([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]));

    expect(probe.format).toBe('unknown');
    expect(probe.warnings).toEqual(['TIFF image: browsers cannot decode TIFF. Convert it to PNG or JPEG.']);
  });

  it('describes text bytes as not an image and shows their first bytes', () => {
    const probe = probeImage(new TextEncoder().encode('Image_id,Label\n'));

    expect(probe).toEqual({
      format: 'unknown', width: null, height: null, colorModel: 'unknown', bitDepth: null,
      exifOrientation: null, adobeTransform: null,
      warnings: ['Not a JPEG, PNG, WebP, GIF or BMP image (it starts with bytes 49 6d 61 67 65 5f 69 64).'],
    });
  });

  it('says an empty file is empty', () => {
    expect(probeImage(new Uint8Array(0)).warnings).toEqual(['Empty file: it holds no bytes.']);
  });
});
