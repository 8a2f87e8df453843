/**
 * The checkpoint reader's entry point: detect the layout from the bytes, read it, open the
 * wrapper around the state dict and copy its tensors out.
 */

import { LabError } from '../errors';
import { detectFormat } from './detectFormat';
import { readPthLegacy } from './pthLegacy';
import { readPthZip } from './pthZip';
import { readSafetensors } from './safetensorsRead';
import { materializeStateDict, selectStateDict } from './stateDict';

import type { LoadedCheckpoint } from './types';

/**
 * Views may legitimately repeat elements (tied weights, slices of one storage), but not by much:
 * the tensors of one file may hold at most this many elements per file byte, plus a floor.
 */
const MAX_ELEMENTS_PER_FILE_BYTE = 4;
const MIN_ELEMENT_BUDGET = 2 ** 24;

/**
 * Reads a checkpoint: a torch.save zip (any root folder), a legacy torch.save stream, or a
 * safetensors file, detected from `bytes`, never from `fileName` (which only prefixes messages).
 * Throws LabError: 'forbidden_global' for pickles naming e.g. os.system, 'corrupt_file' for
 * truncated or malformed data, 'unsupported_format' / 'unsupported_global' / 'unsupported_dtype'
 * for valid files the lab cannot use; each message says what was wrong and what to do.
 */
export function readCheckpoint(bytes: Uint8Array, fileName: string): LoadedCheckpoint {
  try {
    return readBytes(bytes);
  } catch (error) {
    if (!(error instanceof LabError)) throw error;
    throw new LabError(error.code, `${fileName}: ${error.message}`, {
      cause: error,
      details: { ...error.details, fileName },
    });
  }
}

function readBytes(bytes: Uint8Array): LoadedCheckpoint {
  const format = detectFormat(bytes);
  if (format === 'safetensors') {
    const { tensors, metadata } = readSafetensors(bytes);
    if (tensors.size === 0) {
      throw new LabError(
        'unsupported_format',
        'This safetensors file holds no tensors. Export the model weights into it again.',
      );
    }
    return { format, tensors, wrapperKey: null, extras: {}, placeholders: [], metadata };
  }

  const pickled = format === 'pth-zip' ? readPthZip(bytes) : readPthLegacy(bytes);
  const selection = selectStateDict(pickled.root);
  const budget = Math.max(MIN_ELEMENT_BUDGET, MAX_ELEMENTS_PER_FILE_BYTE * bytes.length);
  const tensors = materializeStateDict(selection.entries, pickled.storageBytes, budget);
  return {
    format,
    tensors,
    wrapperKey: selection.wrapperKey,
    extras: selection.extras,
    placeholders: [...pickled.placeholders].sort(),
    metadata: {},
  };
}
