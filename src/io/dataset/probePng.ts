/**
 * Reads a PNG's IHDR chunk (size, bit depth, colour type) and scans the chunks before the first
 * IDAT for transparency (tRNS) and animation (acTL). Layout per the W3C PNG specification
 * (chunk layout and the IHDR chunk).
 */

import { WARN_ALPHA } from './alphaWarning';
import { hasAscii, u32be } from './headerBytes';
import { blankProbe } from './probeResult';

import type { ColorModel, ImageProbe } from './types';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const IHDR_DATA_BYTES = 13;
/** PNG limits each dimension to 2^31 - 1 (the IHDR section of the specification). */
const MAX_DIMENSION = 2 ** 31 - 1;
/** Chunks scanned for tRNS and acTL; real files put them within the first few. */
const MAX_CHUNKS_SCANNED = 64;

/** Allowed bit depths for each colour type (the specification's IHDR table). */
const DEPTHS_BY_COLOR_TYPE = new Map<number, readonly number[]>([
  [0, [1, 2, 4, 8, 16]],
  [2, [8, 16]],
  [3, [1, 2, 4, 8]],
  [4, [8, 16]],
  [6, [8, 16]],
]);
/** Gray with alpha (type 4) is reported as gray plus the transparency warning. */
const MODEL_BY_COLOR_TYPE = new Map<number, ColorModel>([
  [0, 'gray'],
  [2, 'rgb'],
  [3, 'palette'],
  [4, 'gray'],
  [6, 'rgba'],
]);

const WARN_BAD_IHDR = 'PNG whose IHDR header is missing or invalid, so it is truncated or damaged. Export it again.';
const WARN_16_BIT =
  '16-bit PNG: browsers reduce it to 8 bits per channel and PIL handles 16-bit gray differently, so pixel values may differ from training. Save it with 8 bits per channel.';
const WARN_ANIMATED = 'Animated PNG: only the first frame is analysed.';

/** True when `bytes` start with the 8-byte PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= SIGNATURE.length && SIGNATURE.every((b, i) => bytes[i] === b);
}

/** The probe of a PNG whose first bytes passed `isPng`; never throws on damaged chunks. */
export function probePng(bytes: Uint8Array): ImageProbe {
  const probe = blankProbe('png');
  const width = u32be(bytes, 16);
  const height = u32be(bytes, 20);
  const depth = bytes.length > 24 ? bytes[24] : -1;
  const colorType = bytes.length > 25 ? bytes[25] : -1;

  const inRange = (size: number | null) => size !== null && size >= 1 && size <= MAX_DIMENSION;
  const valid =
    u32be(bytes, 8) === IHDR_DATA_BYTES &&
    hasAscii(bytes, 12, 'IHDR') &&
    inRange(width) &&
    inRange(height) &&
    (DEPTHS_BY_COLOR_TYPE.get(colorType)?.includes(depth) ?? false);
  if (!valid) {
    probe.warnings.push(WARN_BAD_IHDR);
    return probe;
  }

  probe.width = width;
  probe.height = height;
  probe.bitDepth = depth;
  probe.colorModel = MODEL_BY_COLOR_TYPE.get(colorType) ?? 'unknown';
  const { transparency, animated } = scanAncillaryChunks(bytes);
  if (depth === 16) probe.warnings.push(WARN_16_BIT);
  if (colorType === 4 || colorType === 6 || transparency) probe.warnings.push(WARN_ALPHA);
  if (animated) probe.warnings.push(WARN_ANIMATED);
  return probe;
}

/** Whether a tRNS or acTL chunk comes after IHDR and before the first IDAT. */
function scanAncillaryChunks(bytes: Uint8Array): { transparency: boolean; animated: boolean } {
  let transparency = false;
  let animated = false;
  let at = 8 + 12 + IHDR_DATA_BYTES;

  for (let chunk = 0; chunk < MAX_CHUNKS_SCANNED; chunk++) {
    const length = u32be(bytes, at);
    if (length === null || at + 8 > bytes.length) break;
    if (hasAscii(bytes, at + 4, 'IDAT') || hasAscii(bytes, at + 4, 'IEND')) break;
    if (hasAscii(bytes, at + 4, 'tRNS')) transparency = true;
    if (hasAscii(bytes, at + 4, 'acTL')) animated = true;
    at += 12 + length;
  }
  return { transparency, animated };
}
