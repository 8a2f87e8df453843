/**
 * Tells checkpoint layouts apart by their first bytes, never by the file name: zip archives
 * (`PK`), the legacy torch.save stream (a pickle whose first object is the legacy magic number),
 * safetensors (a length then `{`), plus a few look-alikes that get a specific refusal.
 */

import { LabError } from '../errors';

/** What the first bytes of a file say it is. */
export type DetectedFormat = 'pth-zip' | 'pth-legacy' | 'safetensors';

/** The legacy magic number as protocol 0 and 1 pickles write it (a text LONG). */
const LEGACY_TEXT_MAGIC = 'L119547037146038801333356';
const PICKLE_PROTO = 0x80;
const TAR_MAGIC_OFFSET = 257;

/**
 * Returns the layout of `bytes`. Throws LabError 'unsupported_format' naming what the file
 * seems to be instead (the pre-2017 tar checkpoint, gzip, HDF5, JSON) and what to do.
 */
export function detectFormat(bytes: Uint8Array): DetectedFormat {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    return 'pth-zip';
  }
  if (bytes[0] === PICKLE_PROTO || startsWithText(bytes, 0, LEGACY_TEXT_MAGIC)) return 'pth-legacy';
  if (looksLikeSafetensors(bytes)) return 'safetensors';
  throw new LabError('unsupported_format', refusalFor(bytes), {
    details: { firstBytes: hex(bytes) },
  });
}

function looksLikeSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 9 || bytes[8] !== 0x7b) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(4, true) === 0 && view.getUint32(0, true) <= bytes.length - 8;
}

function refusalFor(bytes: Uint8Array): string {
  if (startsWithText(bytes, TAR_MAGIC_OFFSET, 'ustar')) {
    return "This file is a tar archive: PyTorch's pre-2017 checkpoint layout (members 'storages', 'tensors' and 'pickle'), which the lab does not read. Load it with a PyTorch that still reads it and save it again with torch.save(torch.load(path), new_path).";
  }
  if (startsWith(bytes, [0x1f, 0x8b])) {
    return 'This file is gzip-compressed. Decompress it first (e.g. gunzip model.pth.gz) and open the result.';
  }
  if (startsWith(bytes, [0x89, 0x48, 0x44, 0x46])) {
    return 'This is an HDF5 file (a Keras .h5 model?), not a PyTorch checkpoint or safetensors file. Convert the weights with PyTorch and save them with torch.save(model.state_dict()).';
  }
  if (bytes[0] === 0x7b || bytes[0] === 0x5b) {
    return 'This is a JSON file, not a checkpoint. Open the .pth, .pt, .ckpt or .safetensors file that holds the weights.';
  }
  return `This file is not a PyTorch checkpoint (zip or legacy torch.save) or a safetensors file: it starts with bytes ${hex(bytes)}. Save the weights with torch.save(model.state_dict()) or fastai's learn.save.`;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

function startsWithText(bytes: Uint8Array, offset: number, text: string): boolean {
  if (bytes.length < offset + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[offset + i] !== text.charCodeAt(i)) return false;
  return true;
}

function hex(bytes: Uint8Array): string {
  const shown = [...bytes.subarray(0, 8)]
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join(' ');
  return shown === '' ? '(none: the file is empty)' : shown;
}
