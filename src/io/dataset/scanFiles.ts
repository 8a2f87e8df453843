/**
 * Sorts dataset files into images the lab can decode and files it cannot, by content: each
 * file is probed, and its extension only adds a warning when it disagrees with the bytes.
 */

import { IMAGE_EXTENSIONS, splitPath } from './datasetPath';
import { probeImage } from './probeImage';

import type { PathParts } from './datasetPath';
import type { ImageFormat, ImageProbe, UnreadableFile } from './types';
import type { WarningGroups } from './warningGroups';

/** Extensions each format is usually saved under; others draw a mismatch warning. */
const USUAL_EXTENSIONS: Record<Exclude<ImageFormat, 'unknown'>, readonly string[]> = {
  jpeg: ['jpg', 'jpeg', 'jpe', 'jfif'],
  png: ['png'],
  webp: ['webp'],
  gif: ['gif'],
  bmp: ['bmp', 'dib'],
};

/** An image file that passed the probe, with its path split for pairing. */
export interface ScannedImage {
  /** The path as given by the caller (reported back unchanged). */
  path: string;
  /** Directory, stem and extension of the normalised path. */
  parts: PathParts;
  /** What the headers say; format known, width and height non-null. */
  probe: ImageProbe;
}

/**
 * Probes each of `files` (given path, normalised path, bytes) and returns the decodable images
 * and the unreadable files with reasons. Adds probe and extension warnings to `warnings`
 * (mutated), naming each file.
 */
export function scanFiles(
  files: readonly { path: string; normalized: string; bytes: Uint8Array }[],
  warnings: WarningGroups,
): { images: ScannedImage[]; unreadable: UnreadableFile[] } {
  const images: ScannedImage[] = [];
  const unreadable: UnreadableFile[] = [];

  for (const file of files) {
    const parts = splitPath(file.normalized);
    const probe = probeImage(file.bytes);
    if (probe.format === 'unknown' || probe.width === null || probe.height === null) {
      const why = probe.warnings[0] ?? 'The header gives no image size.';
      const namedAsImage = IMAGE_EXTENSIONS.includes(parts.ext);
      const reason = namedAsImage ? `Named .${parts.ext} but not a readable image. ${why}` : why;
      unreadable.push({ path: file.path, reason });
      continue;
    }
    for (const message of probe.warnings) warnings.add(message, file.path);
    if (!USUAL_EXTENSIONS[probe.format].includes(parts.ext)) {
      const named = parts.ext ? `Named .${parts.ext}` : 'Named without an extension';
      warnings.add(`${named} but holds ${probe.format.toUpperCase()} data: the lab goes by the content, other tools may go by the name. Rename the files to match.`, file.path);
    }
    images.push({ path: file.path, parts, probe });
  }
  return { images, unreadable };
}
