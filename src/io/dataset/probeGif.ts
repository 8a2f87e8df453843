/**
 * Reads a GIF's logical screen descriptor: size and the global colour table's size. Layout per
 * the GIF89a specification, section 18.
 */

import { hasAscii, u16le } from './headerBytes';
import { blankProbe } from './probeResult';

import type { ImageProbe } from './types';

const GLOBAL_TABLE_FLAG = 0x80;
const WARN_BAD_HEADER = 'GIF whose screen descriptor is missing or zero-sized, so it is truncated or damaged. Export it again.';

/** True when `bytes` start with GIF87a or GIF89a. */
export function isGif(bytes: Uint8Array): boolean {
  return hasAscii(bytes, 0, 'GIF87a') || hasAscii(bytes, 0, 'GIF89a');
}

/** The probe of a GIF whose first bytes passed `isGif`; never throws. */
export function probeGif(bytes: Uint8Array): ImageProbe {
  const probe = blankProbe('gif');
  const width = u16le(bytes, 6);
  const height = u16le(bytes, 8);
  const packed = bytes[10];
  if (!width || !height || packed === undefined) {
    probe.warnings.push(WARN_BAD_HEADER);
    return probe;
  }

  probe.width = width;
  probe.height = height;
  probe.colorModel = 'palette';
  // The table holds 2^(n + 1) colours, so n + 1 is the bits per palette index.
  probe.bitDepth = packed & GLOBAL_TABLE_FLAG ? (packed & 0x07) + 1 : null;
  return probe;
}
