/**
 * Reads the legacy `torch.save` stream (PyTorch before 1.6, or
 * `_use_new_zipfile_serialization=False`): four pickles back to back (magic number, protocol
 * 1001, sys_info, the object), a pickled list of storage keys, then for each key an 8-byte
 * little-endian element count and the raw elements. Semantics follow torch/serialization.py
 * `_legacy_load`.
 */

import { LabError } from '../errors';
import { DTYPE_BYTES } from './dtypes';
import { PyDict, PyList, PyTuple, StorageRef, asIndex } from './pyValues';
import { parseStorageClass } from './storageClass';
import { unpickle } from './unpickler';

import type { PickledCheckpoint } from './pickledCheckpoint';
import type { PyValue } from './pyValues';
import type { SourceDType } from './types';
import type { UnpickleResult } from './unpickler';

/** The magic number the legacy format starts with (torch/serialization.py MAGIC_NUMBER). */
export const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;

/** Bytes per element of storages the lab cannot decode, so their records can be skipped. */
const UNDECODED_ELEMENT_BYTES: Readonly<Record<string, number>> = {
  'torch.ComplexFloatStorage': 8,
  'torch.ComplexDoubleStorage': 16,
  'torch.QInt8Storage': 1,
  'torch.QUInt8Storage': 1,
  'torch.QInt32Storage': 4,
  'torch.QUInt4x2Storage': 1,
  'torch.QUInt2x4Storage': 1,
};

/** A root storage as persistent ids describe it; its record follows the key list. */
interface RootStorage {
  storageClass: string;
  elementBytes: number;
  numel: number;
}

/**
 * Unpickles the legacy stream in `bytes` and locates every storage record. Throws LabError:
 * 'unsupported_format' for a big-endian writer or unknown protocol, 'corrupt_file' for a
 * truncated stream, 'unsupported_global' when a record of an unknown storage class stands in
 * the way of the others.
 */
export function readPthLegacy(bytes: Uint8Array): PickledCheckpoint {
  const mainStart = readHeader(bytes);

  const roots = new Map<string, RootStorage>();
  const main = unpickle(bytes, {
    persistentLoad: (pid, fail) => loadPersistentId(pid, fail, roots),
    label: 'the checkpoint pickle',
    start: mainStart,
  });
  const keyList = unpickle(bytes, {
    persistentLoad: noStorages,
    label: 'the storage key list',
    start: main.end,
  });
  const records = locateRecords(bytes, keyList.value, keyList.end, roots);

  const storageBytes = (storage: StorageRef, elementBytes: number): Uint8Array => {
    const record = records.get(storage.key);
    if (record === undefined) {
      throw corrupt(`storage ${storage.key} is used by a tensor but missing from the key list`);
    }
    const start = storage.viewOffset * elementBytes;
    return record.subarray(start, start + storage.numel * elementBytes);
  };
  return { root: main.value, placeholders: main.placeholders, storageBytes };
}

/** Checks the magic number, protocol and sys_info pickles; returns where the object starts. */
function readHeader(bytes: Uint8Array): number {
  const header = (start: number): UnpickleResult =>
    unpickle(bytes, { persistentLoad: noStorages, label: 'the legacy header', start });

  const magic = header(0);
  if (magic.value !== LEGACY_MAGIC) {
    throw new LabError(
      'unsupported_format',
      'This file is a plain Python pickle, not a torch.save checkpoint. Save the model with torch.save(model.state_dict()).',
    );
  }
  const protocol = header(magic.end);
  if (protocol.value !== LEGACY_PROTOCOL) {
    throw new LabError(
      'unsupported_format',
      `This legacy checkpoint declares protocol ${String(protocol.value)}, but only ${LEGACY_PROTOCOL} exists. Save it again with a current PyTorch.`,
    );
  }
  const sysInfo = header(protocol.end);
  assertLittleEndian(sysInfo.value);
  return sysInfo.end;
}

/**
 * Resolves `('storage', class, root_key, location, numel, view)` and records the root storage
 * in `roots` (mutated) so its record can be found after the key list. A `('module', cls, file,
 * source)` id, from a whole pickled nn.Module, yields the class only.
 */
function loadPersistentId(
  pid: PyValue,
  fail: (what: string) => never,
  roots: Map<string, RootStorage>,
): PyValue {
  if (pid instanceof PyTuple && pid.items[0] === 'module' && pid.items.length === 4) {
    return pid.items[1];
  }
  if (!(pid instanceof PyTuple) || pid.items.length !== 6 || pid.items[0] !== 'storage') {
    return fail("a persistent id is not a ('storage', class, key, location, numel, view) tuple");
  }
  const [, classValue, key, location, numelValue, view] = pid.items;
  const { name, known, dtype } = parseStorageClass(classValue, fail);
  const numel = asIndex(numelValue);
  if (typeof key !== 'string' || typeof location !== 'string' || numel === null) {
    return fail('a storage id has a malformed key, location or element count');
  }
  const elementBytes = elementBytesOf(name, dtype);
  if (elementBytes === null) {
    // Without an element size the records after this one cannot be found either.
    throw new LabError(
      'unsupported_global',
      `This legacy checkpoint stores data in ${name}, a storage class the checkpoint reader does not know. Load it with PyTorch and save the state dict again with torch.save(model.state_dict()).`,
      { details: { global: name } },
    );
  }
  const root = roots.get(key);
  if (root !== undefined && root.storageClass !== name) {
    fail(`storage ${key} is named as two different types`);
  }
  roots.set(key, root ?? { storageClass: name, elementBytes, numel });

  if (view === null) return new StorageRef(name, known, dtype, key, location, numel);
  // Very old files: (view_key, offset, size) in elements of the root storage.
  const parts = view instanceof PyTuple ? view.items : [];
  const offset = asIndex(parts[1] ?? null);
  const size = asIndex(parts[2] ?? null);
  if (parts.length !== 3 || offset === null || size === null || offset + size > numel) {
    return fail('a storage view is not a valid (key, offset, size) tuple');
  }
  return new StorageRef(name, known, dtype, key, location, size, offset);
}

/** Bytes per element of a storage class, or null when the class is unknown. */
function elementBytesOf(storageClass: string, dtype: SourceDType | null): number | null {
  if (dtype !== null) return DTYPE_BYTES[dtype];
  return Object.hasOwn(UNDECODED_ELEMENT_BYTES, storageClass)
    ? UNDECODED_ELEMENT_BYTES[storageClass]
    : null;
}

function noStorages(_pid: PyValue, fail: (what: string) => never): PyValue {
  return fail('a header pickle holds a persistent id');
}

function assertLittleEndian(sysInfo: PyValue): void {
  const littleEndian = sysInfo instanceof PyDict ? sysInfo.entries.get('little_endian') : undefined;
  if (littleEndian === true) return;
  if (littleEndian === false) {
    throw new LabError(
      'unsupported_format',
      'This legacy checkpoint was saved on a big-endian machine, and the lab reads little-endian data only. Load it with PyTorch on a little-endian machine (x86 or ARM) and save it again with torch.save(model.state_dict()).',
    );
  }
  throw corrupt('its sys_info header is not a dict with a little_endian flag');
}

/** Walks the records after the key list: an int64 element count, then the elements. */
function locateRecords(
  bytes: Uint8Array,
  keyList: PyValue,
  start: number,
  roots: ReadonlyMap<string, RootStorage>,
): Map<string, Uint8Array> {
  if (!(keyList instanceof PyList) || !keyList.items.every((key) => typeof key === 'string')) {
    throw corrupt('the storage key list is not a list of strings');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records = new Map<string, Uint8Array>();
  let at = start;
  for (const key of keyList.items as string[]) {
    const root = roots.get(key);
    if (root === undefined) {
      throw corrupt(`the key list names storage ${key}, which no tensor uses`);
    }
    if (at + 8 > bytes.length) {
      throw corrupt(
        `the record of storage ${key} at byte ${at} is cut off, so the file is truncated`,
      );
    }
    const count = view.getBigInt64(at, true);
    if (count !== BigInt(root.numel)) {
      throw corrupt(
        `storage ${key} should hold ${root.numel} elements but its record at byte ${at} says ${count}`,
      );
    }
    const end = at + 8 + root.numel * root.elementBytes;
    if (end > bytes.length) {
      throw corrupt(
        `the record of storage ${key} needs bytes up to ${end} but the file has ${bytes.length}, so it is truncated`,
      );
    }
    records.set(key, bytes.subarray(at + 8, end));
    at = end;
  }
  return records;
}

function corrupt(what: string): LabError {
  return new LabError(
    'corrupt_file',
    `This legacy checkpoint is damaged: ${what}. Save it again or download it again.`,
  );
}
