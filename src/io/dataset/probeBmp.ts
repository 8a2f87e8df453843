/**
 * Reads a BMP's file header and DIB header: size, bits per pixel and, for the V3+ headers, the
 * alpha mask. Handles the OS/2 12-byte core header and the Windows 40-byte and longer ones.
 */

import { WARN_ALPHA } from './alphaWarning';
import { hasAscii, i32le, u16le, u32le } from './headerBytes';
import { blankProbe } from './probeResult';

import type { ImageProbe } from './types';

const FILE_HEADER_BYTES = 14;
const CORE_HEADER_BYTES = 12;
const INFO_HEADER_BYTES = 40;
/** Headers of 56 bytes and more (V3, V4, V5) carry an alpha mask at offset 54 of the file. */
const ALPHA_MASK_HEADER_BYTES = 56;
const COMPRESSION_JPEG = 4;
const COMPRESSION_PNG = 5;

const WARN_BAD_HEADER = 'BMP whose header is missing or invalid, so it is truncated or damaged. Export it again.';
const WARN_EMBEDDED = 'BMP that wraps a JPEG or PNG stream: browsers cannot decode it. Save it as PNG.';

/** True when `bytes` start with "BM" and a plausible DIB header size. */
export function isBmp(bytes: Uint8Array): boolean {
  const headerBytes = u32le(bytes, FILE_HEADER_BYTES);
  return hasAscii(bytes, 0, 'BM') && headerBytes !== null && (headerBytes === CORE_HEADER_BYTES || headerBytes >= INFO_HEADER_BYTES);
}

/** The probe of a BMP whose first bytes passed `isBmp`; never throws. */
export function probeBmp(bytes: Uint8Array): ImageProbe {
  const probe = blankProbe('bmp');
  const headerBytes = u32le(bytes, FILE_HEADER_BYTES) ?? 0;
  const core = headerBytes === CORE_HEADER_BYTES;
  const width = core ? u16le(bytes, 18) : i32le(bytes, 18);
  const height = core ? u16le(bytes, 20) : i32le(bytes, 22);
  const bitsPerPixel = core ? u16le(bytes, 24) : u16le(bytes, 28);
  const compression = core ? 0 : u32le(bytes, 30);
  if (!width || width < 0 || !height || bitsPerPixel === null || compression === null) {
    probe.warnings.push(WARN_BAD_HEADER);
    return probe;
  }

  probe.width = width;
  probe.height = Math.abs(height); // negative means rows are stored top-down
  if (compression === COMPRESSION_JPEG || compression === COMPRESSION_PNG) {
    probe.warnings.push(WARN_EMBEDDED);
  }
  if (bitsPerPixel <= 8) {
    probe.colorModel = 'palette';
    probe.bitDepth = bitsPerPixel;
  } else if (bitsPerPixel === 16 || bitsPerPixel === 24 || bitsPerPixel === 32) {
    const alphaMask = headerBytes >= ALPHA_MASK_HEADER_BYTES ? u32le(bytes, 54) : null;
    probe.colorModel = bitsPerPixel === 32 && alphaMask ? 'rgba' : 'rgb';
    probe.bitDepth = bitsPerPixel === 16 ? null : 8; // 16-bit splits 5-5-5 or 5-6-5
    if (probe.colorModel === 'rgba') probe.warnings.push(WARN_ALPHA);
  } else {
    probe.warnings.push(`BMP with ${bitsPerPixel} bits per pixel, which no decoder supports. Save it as PNG.`);
  }
  return probe;
}
