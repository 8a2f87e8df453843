/**
 * Reads a JPEG's marker segments up to the first scan: the frame header (SOFn) for size, depth
 * and component count, the Adobe APP14 segment for the colour transform, and the APP1 Exif IFD0
 * for the orientation. Marker layout per ITU-T T.81 Annex B; Adobe per Technical Note 5116;
 * Exif per CIPA DC-008 (a TIFF header and IFD inside APP1).
 */

import { hasAscii, u16be, u16le, u32be, u32le } from './headerBytes';
import { blankProbe } from './probeResult';

import type { ImageProbe } from './types';

const MARKER_SOS = 0xda;
const MARKER_EOI = 0xd9;
const MARKER_APP1 = 0xe1;
const MARKER_APP14 = 0xee;
const EXIF_ORIENTATION_TAG = 0x0112;
const TIFF_SHORT = 3;

/** Frame markers: SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
const ARITHMETIC_FRAMES = new Set([0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const LOSSLESS_OR_HIERARCHICAL_FRAMES = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xcb, 0xcd, 0xce, 0xcf]);

const WARN_CMYK =
  'Four-component JPEG (CMYK): browsers and PIL convert CMYK to RGB differently, so colours may differ from those the model was trained on. Convert these files to RGB JPEG or PNG before analysing.';
const WARN_YCCK =
  'Four-component JPEG (YCCK, Adobe transform 2): browsers and PIL convert YCCK to RGB differently, so colours may differ from those the model was trained on. Convert these files to RGB JPEG or PNG before analysing.';
const WARN_CMYK_NO_ADOBE =
  'CMYK JPEG without an Adobe APP14 marker: decoders disagree on whether its inks are stored inverted, so it may decode as a negative. Convert these files to RGB before analysing.';
const WARN_ARITHMETIC =
  'JPEG with arithmetic coding: some browsers cannot decode it. Re-save it as a baseline or progressive JPEG.';
const WARN_LOSSLESS =
  'Lossless or hierarchical JPEG: browsers cannot decode it. Re-save it as a baseline JPEG or PNG.';
const WARN_DNL =
  'JPEG whose height is given only after the first scan (DNL marker): the size cannot be read from the header. Re-save the file.';
const WARN_NO_FRAME =
  'JPEG ends before its frame header (SOF), so it is truncated or damaged. Export it again.';

/** True when `bytes` start like a JPEG: SOI followed by another marker. */
export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** The probe of a JPEG whose first bytes passed `isJpeg`; never throws on damaged segments. */
export function probeJpeg(bytes: Uint8Array): ImageProbe {
  const probe = blankProbe('jpeg');
  let components: number | null = null;
  let at = 2;

  while (at < bytes.length) {
    if (bytes[at] !== 0xff) break;
    while (at < bytes.length && bytes[at] === 0xff) at++; // fill bytes may pad any marker
    if (at >= bytes.length) break;
    const marker = bytes[at++];
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (marker === MARKER_EOI || marker === MARKER_SOS) break;

    const length = u16be(bytes, at);
    if (length === null || length < 2) break;
    const start = at + 2;
    const end = Math.min(at + length, bytes.length);

    if (isFrameMarker(marker) && components === null) {
      components = readFrame(bytes, marker, start, end, probe);
    } else if (marker === MARKER_APP14 && hasAscii(bytes, start, 'Adobe') && start + 11 < end) {
      probe.adobeTransform = bytes[start + 11];
    } else if (marker === MARKER_APP1 && hasAscii(bytes, start, 'Exif\0\0')) {
      probe.exifOrientation ??= readExifOrientation(bytes, start + 6, end);
    }
    at += length;
  }

  if (components === null) probe.warnings.push(WARN_NO_FRAME);
  else applyColorModel(probe, components);
  if (probe.exifOrientation !== null && probe.exifOrientation !== 1) {
    probe.warnings.push(
      `EXIF orientation ${probe.exifOrientation}: browsers rotate or flip the image when decoding it, PIL does not unless told to (ImageOps.exif_transpose), so views may be turned relative to training. Save the pixels upright and drop the tag to be sure.`,
    );
  }
  return probe;
}

/** True for SOF0..SOF15, which share the C0..CF range with DHT, JPG and DAC. */
function isFrameMarker(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/**
 * Fills size and depth from a frame header at `start` (precision, height, width, component
 * count) and returns the component count, or null when the segment is cut short.
 * Mutates `probe`.
 */
function readFrame(
  bytes: Uint8Array,
  marker: number,
  start: number,
  end: number,
  probe: ImageProbe,
): number | null {
  if (start + 6 > end) return null;
  const height = u16be(bytes, start + 1) ?? 0;
  const width = u16be(bytes, start + 3) ?? 0;

  probe.bitDepth = bytes[start];
  probe.width = width > 0 ? width : null;
  probe.height = height > 0 ? height : null;
  if (height === 0) probe.warnings.push(WARN_DNL);
  if (ARITHMETIC_FRAMES.has(marker)) probe.warnings.push(WARN_ARITHMETIC);
  if (LOSSLESS_OR_HIERARCHICAL_FRAMES.has(marker)) probe.warnings.push(WARN_LOSSLESS);
  if (probe.bitDepth !== 8) {
    probe.warnings.push(`JPEG with ${probe.bitDepth}-bit samples: browsers decode only 8-bit JPEGs. Re-save it with 8 bits per sample.`);
  }
  return bytes[start + 5];
}

/** Sets the colour model from the component count and the Adobe transform. Mutates `probe`. */
function applyColorModel(probe: ImageProbe, components: number): void {
  if (components === 1) probe.colorModel = 'gray';
  else if (components === 3) probe.colorModel = 'rgb';
  else if (components === 4) {
    // As libjpeg does: transform 2 means YCCK; any other value, or none, means plain CMYK.
    probe.colorModel = probe.adobeTransform === 2 ? 'ycck' : 'cmyk';
    if (probe.adobeTransform === null) probe.warnings.push(WARN_CMYK_NO_ADOBE);
    else probe.warnings.push(probe.colorModel === 'ycck' ? WARN_YCCK : WARN_CMYK);
  } else {
    probe.warnings.push(`JPEG with ${components} colour components: only 1, 3 or 4 are decodable. Convert it to RGB.`);
  }
}

/**
 * The Orientation value (1..8) from the TIFF structure at `tiff` inside an APP1 segment that
 * ends at `end`, or null when the tag is absent, malformed or out of range.
 */
function readExifOrientation(bytes: Uint8Array, tiff: number, end: number): number | null {
  const little = hasAscii(bytes, tiff, 'II');
  if (!little && !hasAscii(bytes, tiff, 'MM')) return null;
  const u16 = (at: number) => {
    if (at + 2 > end) return null;
    return little ? u16le(bytes, at) : u16be(bytes, at);
  };
  const u32 = (at: number) => {
    if (at + 4 > end) return null;
    return little ? u32le(bytes, at) : u32be(bytes, at);
  };
  if (u16(tiff + 2) !== 42) return null;

  const ifd = u32(tiff + 4);
  if (ifd === null) return null;
  const entryCount = u16(tiff + ifd) ?? 0;
  for (let i = 0; i < entryCount; i++) {
    const entry = tiff + ifd + 2 + 12 * i;
    if (entry + 12 > end) return null;
    if (u16(entry) !== EXIF_ORIENTATION_TAG) continue;
    if (u16(entry + 2) !== TIFF_SHORT) return null;
    const value = u16(entry + 8);
    return value !== null && value >= 1 && value <= 8 ? value : null;
  }
  return null;
}
