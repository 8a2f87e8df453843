import { storageAvailable } from './workspaceStore';

import type { CheckpointAnalysis } from '../engineApi';

/** Folder of computed results in the origin-private file system. */
const FOLDER = 'lab-results';
/** Format version of a stored result; another version is ignored (and recomputed). */
const RESULT_VERSION = 1;

/**
 * Keeps each checkpoint's computed analysis across reloads, under a key that names everything
 * it depends on (the run's files, the sample, the seed, the estimator, the preprocessing), so a
 * stored result is only ever reused for the same inputs. Typed arrays are stored as tagged
 * number lists.
 */
export async function saveResult(key: string, result: CheckpointAnalysis): Promise<void> {
  if (!storageAvailable()) return;
  const dir = await folder();
  const writable = await (await dir.getFileHandle(fileName(key), { create: true })).createWritable();
  await writable.write(JSON.stringify({ version: RESULT_VERSION, key, result }, encode));
  await writable.close();
}

/** The stored analysis for `key`, or null when there is none (or it is of another version). */
export async function loadResult(key: string): Promise<CheckpointAnalysis | null> {
  if (!storageAvailable()) return null;
  try {
    const file = await (await (await folder()).getFileHandle(fileName(key))).getFile();
    const stored = JSON.parse(await file.text(), decode) as { version: number; key: string; result: CheckpointAnalysis };
    return stored.version === RESULT_VERSION && stored.key === key ? stored.result : null;
  } catch {
    return null;
  }
}

/** Bytes and count of stored results. */
export async function storedResultsSize(): Promise<{ bytes: number; files: number }> {
  if (!storageAvailable()) return { bytes: 0, files: 0 };
  let bytes = 0;
  let files = 0;
  const dir = (await folder()) as FileSystemDirectoryHandle & { values(): AsyncIterable<FileSystemHandle> };
  for await (const entry of dir.values()) {
    // A result being written shows up as a temporary swap file that may be gone a moment later.
    if (entry.kind !== 'file' || !entry.name.endsWith('.json')) continue;
    try {
      bytes += (await (entry as FileSystemFileHandle).getFile()).size;
      files += 1;
    } catch {
      // Removed or renamed between the listing and the read: not a stored result.
    }
  }
  return { bytes, files };
}

/** Deletes every stored result. */
export async function clearStoredResults(): Promise<void> {
  if (!storageAvailable()) return;
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(FOLDER, { recursive: true }).catch(() => undefined);
}

async function folder(): Promise<FileSystemDirectoryHandle> {
  return (await navigator.storage.getDirectory()).getDirectoryHandle(FOLDER, { create: true });
}

/** A file name for a key: FNV-1a (64 bits as two 32-bit halves), hex. */
function fileName(key: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return `${(h1 >>> 0).toString(16).padStart(8, '0')}${(h2 >>> 0).toString(16).padStart(8, '0')}.json`;
}

function encode(_key: string, value: unknown): unknown {
  if (value instanceof Float64Array) return { $f64: Array.from(value, (v) => (Number.isFinite(v) ? v : String(v))) };
  if (value instanceof Float32Array) return { $f32: Array.from(value, (v) => (Number.isFinite(v) ? v : String(v))) };
  return value;
}

function decode(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object') {
    const tagged = value as { $f64?: (number | string)[]; $f32?: (number | string)[] };
    if (tagged.$f64) return Float64Array.from(tagged.$f64, Number);
    if (tagged.$f32) return Float32Array.from(tagged.$f32, Number);
  }
  return value;
}
