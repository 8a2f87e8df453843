/**
 * Reads `torch.save` zip archives (PyTorch 1.6 and later): finds `<prefix>/data.pkl` under
 * whatever root folder the writer chose, checks `byteorder`, unpickles the object and resolves
 * `('storage', class, key, location, numel)` persistent ids to the records `<prefix>/data/<key>`.
 */

import { LabError } from '../errors';
import { PyTuple, StorageRef, asIndex } from './pyValues';
import { parseStorageClass } from './storageClass';
import { unpickle } from './unpickler';
import { openZip } from './zipArchive';

import type { PickledCheckpoint } from './pickledCheckpoint';
import type { PyValue } from './pyValues';
import type { StorageBytes } from './tensorRebuild';
import type { ZipArchive, ZipEntry } from './zipArchive';

const PICKLE_NAME = 'data.pkl';

/**
 * Opens the zip archive in `bytes` and unpickles its `data.pkl`; storages are read when
 * `storageBytes` is called. Throws LabError ('unsupported_format', 'corrupt_file',
 * 'forbidden_global').
 */
export function readPthZip(bytes: Uint8Array): PickledCheckpoint {
  const zip = openZip(bytes);
  const pickleEntry = findPickle(zip);
  const prefix = pickleEntry.name.slice(0, -PICKLE_NAME.length);
  assertNotTorchScript(zip, prefix);
  assertLittleEndian(zip, prefix);

  const storages = new Map<string, StorageRef>();
  const { value, placeholders } = unpickle(zip.read(pickleEntry), {
    persistentLoad: (pid, fail) => loadPersistentId(pid, fail, storages),
    label: pickleEntry.name,
  });
  return { root: value, placeholders, storageBytes: recordReader(zip, prefix) };
}

/**
 * Resolves `('storage', class, key, location, numel)` to one StorageRef per key, kept in
 * `storages` (mutated) so that views of one storage share it.
 */
function loadPersistentId(
  pid: PyValue,
  fail: (what: string) => never,
  storages: Map<string, StorageRef>,
): PyValue {
  if (!(pid instanceof PyTuple) || pid.items.length !== 5 || pid.items[0] !== 'storage') {
    return fail("a persistent id is not a ('storage', class, key, location, numel) tuple");
  }
  const [, classValue, key, location, numelValue] = pid.items;
  const { name, known, dtype } = parseStorageClass(classValue, fail);
  const numel = asIndex(numelValue);
  if (typeof key !== 'string' || typeof location !== 'string' || numel === null) {
    return fail('a storage id has a malformed key, location or element count');
  }

  const seen = storages.get(key);
  if (seen !== undefined) {
    if (seen.storageClass !== name) fail(`storage ${key} is named as two different types`);
    return seen;
  }
  const ref = new StorageRef(name, known, dtype, key, location, numel);
  storages.set(key, ref);
  return ref;
}

/** Reads `<prefix>data/<key>` once per storage and checks its length. */
function recordReader(zip: ZipArchive, prefix: string): StorageBytes {
  const records = new Map<string, Uint8Array>();
  return (storage, elementBytes) => {
    const cached = records.get(storage.key);
    if (cached !== undefined) return cached;

    const name = `${prefix}data/${storage.key}`;
    const entry = zip.find(name);
    const expected = storage.dtype === null ? storage.numel : storage.numel * elementBytes;
    const data = entry === undefined ? null : zip.read(entry);
    if (data === null || data.length !== expected) {
      const found = data === null ? 'the archive has no such record' : `it has ${data.length}`;
      throw new LabError(
        'corrupt_file',
        `This checkpoint's storage ${storage.key} should be the record ${name} of ${expected} bytes, but ${found}. The file is damaged; save it again or download it again.`,
        { details: { storage: storage.key } },
      );
    }
    records.set(storage.key, data);
    return data;
  };
}

/** The entry `<prefix>/data.pkl` nearest the root (PyTorch writes exactly one). */
function findPickle(zip: ZipArchive): ZipEntry {
  const candidates = zip.entries.filter(
    (entry) => entry.name === PICKLE_NAME || entry.name.endsWith(`/${PICKLE_NAME}`),
  );
  candidates.sort((a, b) => a.name.split('/').length - b.name.split('/').length);
  if (candidates.length > 0) return candidates[0];

  if (zip.entries.length > 0 && zip.entries.every((entry) => entry.name.endsWith('.npy'))) {
    throw new LabError(
      'unsupported_format',
      'This is a NumPy .npz archive, not a PyTorch checkpoint. Load it in Python and save the state dict with torch.save(model.state_dict()).',
    );
  }
  const examples = zip.entries.slice(0, 3).map((entry) => `'${entry.name}'`);
  throw new LabError(
    'unsupported_format',
    `This zip archive has no data.pkl record (it holds ${zip.entries.length} entries: ${examples.join(', ') || 'none'}${zip.entries.length > 3 ? ', ...' : ''}), so it is not a torch.save checkpoint. Save the model with torch.save(model.state_dict()).`,
  );
}

function assertNotTorchScript(zip: ZipArchive, prefix: string): void {
  const hasConstants = zip.find(`${prefix}constants.pkl`) !== undefined;
  const hasCode = zip.entries.some((entry) => entry.name.startsWith(`${prefix}code/`));
  if (!hasConstants && !hasCode) return;
  throw new LabError(
    'unsupported_format',
    'This is a TorchScript archive (torch.jit.save), which holds compiled code besides the weights. Load it in Python and save only the weights with torch.save(model.state_dict()).',
  );
}

function assertLittleEndian(zip: ZipArchive, prefix: string): void {
  const entry = zip.find(`${prefix}byteorder`);
  if (entry === undefined) return; // PyTorch before 2.1 writes none and is little-endian
  const order = new TextDecoder().decode(zip.read(entry)).trim();
  if (order === 'little') return;
  if (order === 'big') {
    throw new LabError(
      'unsupported_format',
      'This checkpoint was saved on a big-endian machine (its byteorder record says "big"), and the lab reads little-endian data only. Load it with a recent PyTorch, which converts the byte order on load, and save it again on a little-endian machine (x86 or ARM).',
    );
  }
  throw new LabError(
    'corrupt_file',
    `This checkpoint's byteorder record says '${order.slice(0, 20)}' instead of 'little' or 'big'. The file is damaged; save it again.`,
  );
}
