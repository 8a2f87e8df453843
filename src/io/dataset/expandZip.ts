/**
 * Unpacks a user's zip of images into dataset files with fflate, after checking every entry
 * name and the total size from the central directory, so nothing is inflated from an archive
 * that would be refused anyway.
 */

import { unzipSync } from 'fflate';

import { LabError, isLabError } from '../errors';
import { escapesRoot, isClutterPath, normalizePath } from './datasetPath';
import { listNames } from './nameList';

import type { DatasetFile } from './types';

/**
 * Uncompressed bytes one zip may expand to: 1 GiB. The archive, every inflated file and later
 * the decoded images all sit in one worker's memory at once, and a 64-bit Chrome tab is
 * limited to a few GiB in total, so more would crash the tab instead of failing with a message.
 * fflate allocates each entry from its declared size, so checking declared sizes bounds memory.
 */
export const MAX_ZIP_TOTAL_BYTES = 2 ** 30;

const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
const MIB = 2 ** 20;

/** Options of `expandZip`. */
export interface ExpandZipOptions {
  /** Cap in bytes on the summed declared sizes of kept entries; default MAX_ZIP_TOTAL_BYTES. */
  maxTotalBytes?: number;
}

/** One central-directory entry as fflate reports it before inflating anything. */
interface EntryInfo {
  name: string;
  originalSize: number;
  compression: number;
}

/**
 * The files inside the zip `bytes`, in archive order, with '/'-separated paths; `name` names the
 * archive in messages. Skips directories, `__MACOSX/` and dot-files. Throws LabError
 * 'invalid_input' naming the entry when a path escapes the archive ('..', '/abs', 'C:'),
 * 'invalid_input' when the total exceeds the cap, 'unsupported_format' for compression other
 * than stored or deflate, and 'corrupt_file' for a damaged archive or a repeated entry name.
 */
export function expandZip(
  bytes: Uint8Array,
  name: string,
  options: ExpandZipOptions = {},
): DatasetFile[] {
  const maxTotalBytes = options.maxTotalBytes ?? MAX_ZIP_TOTAL_BYTES;
  const entries = listEntries(bytes, name);
  const kept = entries.filter((entry) => !entry.name.endsWith('/') && !isClutterPath(normalizePath(entry.name)));

  assertEntriesAcceptable(entries, kept, name, maxTotalBytes);

  const wanted = new Set(kept.map((entry) => entry.name));
  const contents = guardFflate(name, () =>
    unzipSync(bytes, { filter: (info) => wanted.has(info.name) }),
  );
  return kept.map((entry) => {
    const data = contents[entry.name];
    if (data === undefined || data.length !== entry.originalSize) {
      throw new LabError('corrupt_file', `Entry "${entry.name}" of ${name} inflates to ${data?.length ?? 0} bytes, not the ${entry.originalSize} its header states, so the archive is damaged. Re-create the zip.`);
    }
    return { path: normalizePath(entry.name), bytes: data };
  });
}

/** Every entry's name, declared size and method, read without inflating. */
function listEntries(bytes: Uint8Array, name: string): EntryInfo[] {
  const entries: EntryInfo[] = [];
  guardFflate(name, () =>
    unzipSync(bytes, {
      filter: (info) => {
        const { originalSize, compression } = info;
        entries.push({ name: info.name, originalSize, compression });
        return false;
      },
    }),
  );
  return entries;
}

/** Throws for unsafe names (any entry), repeated names, unknown methods and the size cap. */
function assertEntriesAcceptable(
  all: EntryInfo[],
  kept: EntryInfo[],
  name: string,
  maxTotalBytes: number,
): void {
  const escaping = all.filter((entry) => escapesRoot(entry.name)).map((entry) => entry.name);
  if (escaping.length > 0) {
    throw new LabError('invalid_input', `${name} contains entries whose paths point outside the archive: ${listNames(escaping)}. The zip was refused; re-create it from the folder of images, with paths relative to that folder.`, { details: { entries: escaping } });
  }

  const seen = new Set<string>();
  for (const entry of kept) {
    if (seen.has(entry.name)) {
      throw new LabError('corrupt_file', `${name} holds two entries named "${entry.name}", so it is unclear which one is meant. Re-create the zip.`);
    }
    seen.add(entry.name);
    if (entry.compression !== METHOD_STORED && entry.compression !== METHOD_DEFLATE) {
      throw new LabError('unsupported_format', `Entry "${entry.name}" of ${name} uses compression method ${entry.compression}; only stored (0) and deflate (8) are supported. Re-create the zip with standard compression.`);
    }
  }

  const total = kept.reduce((sum, entry) => sum + entry.originalSize, 0);
  if (total > maxTotalBytes) {
    throw new LabError('invalid_input', `${name} expands to ${(total / MIB).toFixed(1)} MiB, more than the ${(maxTotalBytes / MIB).toFixed(1)} MiB a browser tab can hold alongside the model. Split the images into several smaller zips, or use a subset.`, { details: { totalBytes: total, maxTotalBytes } });
  }
}

/** Runs an fflate call, turning its plain errors into LabError 'corrupt_file' with the cause. */
function guardFflate<T>(name: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (isLabError(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new LabError('corrupt_file', `${name} could not be read as a zip archive (${reason}). Check that the download finished, or re-create the zip.`, { cause: error });
  }
}
