/**
 * Reads a WebP's first chunk: VP8 (lossy key frame header), VP8L (lossless header) or VP8X
 * (extended: canvas size and feature flags). Layout per RFC 9649, the WebP image format.
 */

import { WARN_ALPHA } from './alphaWarning';
import { hasAscii, u16le, u24le, u32le } from './headerBytes';
import { blankProbe } from './probeResult';

import type { ImageProbe } from './types';

const CHUNK_PAYLOAD = 20;
const VP8L_SIGNATURE = 0x2f;
const VP8X_ALPHA = 0x10;
const VP8X_ANIMATION = 0x02;

const WARN_BAD_HEADER = 'WebP whose first chunk is missing or invalid, so it is truncated or damaged. Export it again.';
const WARN_ANIMATED = 'Animated WebP: only the first frame is analysed.';

/** True when `bytes` start with a RIFF header of form type WEBP. */
export function isWebp(bytes: Uint8Array): boolean {
  return hasAscii(bytes, 0, 'RIFF') && hasAscii(bytes, 8, 'WEBP');
}

/** The probe of a WebP whose first bytes passed `isWebp`; never throws on damaged chunks. */
export function probeWebp(bytes: Uint8Array): ImageProbe {
  const probe = blankProbe('webp');
  const read = hasAscii(bytes, 12, 'VP8 ')
    ? readLossy(bytes, probe)
    : hasAscii(bytes, 12, 'VP8L')
      ? readLossless(bytes, probe)
      : hasAscii(bytes, 12, 'VP8X') && readExtended(bytes, probe);

  if (!read) {
    probe.warnings.push(WARN_BAD_HEADER);
    return probe;
  }
  probe.bitDepth = 8;
  if (probe.colorModel === 'rgba') probe.warnings.push(WARN_ALPHA);
  return probe;
}

/** Fills size from a VP8 key frame header; false when it is not one. Mutates `probe`. */
function readLossy(bytes: Uint8Array, probe: ImageProbe): boolean {
  const at = CHUNK_PAYLOAD;
  const isKeyFrame = at < bytes.length && (bytes[at] & 1) === 0;
  const hasStartCode = bytes[at + 3] === 0x9d && bytes[at + 4] === 0x01 && bytes[at + 5] === 0x2a;
  const width = u16le(bytes, at + 6);
  const height = u16le(bytes, at + 8);
  if (!isKeyFrame || !hasStartCode || width === null || height === null) return false;
  if ((width & 0x3fff) === 0 || (height & 0x3fff) === 0) return false;

  // The top two bits of each are an upscaling hint, not part of the size.
  probe.width = width & 0x3fff;
  probe.height = height & 0x3fff;
  probe.colorModel = 'rgb';
  return true;
}

/** Fills size and alpha from a VP8L header; false when it is not one. Mutates `probe`. */
function readLossless(bytes: Uint8Array, probe: ImageProbe): boolean {
  const bits = u32le(bytes, CHUNK_PAYLOAD + 1);
  if (bytes[CHUNK_PAYLOAD] !== VP8L_SIGNATURE || bits === null || bits >>> 29 !== 0) return false;

  // 14 bits width - 1, 14 bits height - 1, 1 bit alpha hint, 3 bits version (must be 0).
  probe.width = (bits & 0x3fff) + 1;
  probe.height = ((bits >>> 14) & 0x3fff) + 1;
  probe.colorModel = (bits >>> 28) & 1 ? 'rgba' : 'rgb';
  return true;
}

/** Fills size and alpha from a VP8X header; false when it is cut short. Mutates `probe`. */
function readExtended(bytes: Uint8Array, probe: ImageProbe): boolean {
  const flags = bytes[CHUNK_PAYLOAD];
  const widthMinusOne = u24le(bytes, CHUNK_PAYLOAD + 4);
  const heightMinusOne = u24le(bytes, CHUNK_PAYLOAD + 7);
  if (flags === undefined || widthMinusOne === null || heightMinusOne === null) return false;

  probe.width = widthMinusOne + 1;
  probe.height = heightMinusOne + 1;
  probe.colorModel = flags & VP8X_ALPHA ? 'rgba' : 'rgb';
  if (flags & VP8X_ANIMATION) probe.warnings.push(WARN_ANIMATED);
  return true;
}
