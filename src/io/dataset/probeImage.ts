/**
 * Sniffs an image's format from its first bytes and reads its headers, never its pixels, so a
 * dataset can be checked before anything is decoded. Garbage in gives format 'unknown' and a
 * warning that says what the bytes look like instead.
 */

import { hasAscii, hexPrefix } from './headerBytes';
import { isBmp, probeBmp } from './probeBmp';
import { isGif, probeGif } from './probeGif';
import { isJpeg, probeJpeg } from './probeJpeg';
import { isPng, probePng } from './probePng';
import { blankProbe } from './probeResult';
import { isWebp, probeWebp } from './probeWebp';

import type { ImageProbe } from './types';

/** ISO-BMFF brands of HEIF and AVIF files (the ftyp box at byte 4). */
const HEIF_BRANDS = ['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis'];

/**
 * What the headers of `bytes` (a whole file, or at least its first few kilobytes) say: format,
 * stored width and height, colour model, bit depth, EXIF orientation and Adobe transform for
 * JPEG, and warnings. Never throws; unrecognised bytes give format 'unknown'.
 * Example: probeImage(pngBytes) -> { format: 'png', width: 5, height: 3, colorModel: 'rgb', ... }.
 */
export function probeImage(bytes: Uint8Array): ImageProbe {
  if (isJpeg(bytes)) return probeJpeg(bytes);
  if (isPng(bytes)) return probePng(bytes);
  if (isWebp(bytes)) return probeWebp(bytes);
  if (isGif(bytes)) return probeGif(bytes);
  if (isBmp(bytes)) return probeBmp(bytes);

  const probe = blankProbe('unknown');
  probe.warnings.push(describeUnknown(bytes));
  return probe;
}

/** A sentence naming what unrecognised bytes look like, with the fix where there is one. */
function describeUnknown(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'Empty file: it holds no bytes.';
  if (hasAscii(bytes, 0, 'II*\0') || hasAscii(bytes, 0, 'MM\0*')) {
    return 'TIFF image: browsers cannot decode TIFF. Convert it to PNG or JPEG.';
  }
  if (hasAscii(bytes, 4, 'ftyp') && HEIF_BRANDS.some((brand) => hasAscii(bytes, 8, brand))) {
    return 'HEIF or AVIF image: not every browser decodes it and PIL needs a plugin. Convert it to JPEG or PNG.';
  }
  if (hasAscii(bytes, 0, 'PK\x03\x04')) return 'Zip archive inside the dataset: unzip it and add its images instead.';
  if (hasAscii(bytes, 0, '%PDF')) return 'PDF document, not an image.';
  return `Not a JPEG, PNG, WebP, GIF or BMP image (it starts with bytes ${hexPrefix(bytes, 8)}).`;
}
