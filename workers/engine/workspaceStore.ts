import { LabError } from '../../src/io/errors';

/** Folder of the lab's files in the origin-private file system. */
const FOLDER = 'lab-workspace';
/** Version of index.json; a stored copy of another version is reported and not used. */
const STORE_VERSION = 1;

interface StoredIndex {
  version: number;
  files: { name: string; path: string; size: number }[];
}

/** True when this browser offers the origin-private file system here. */
export function storageAvailable(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.storage?.getDirectory === 'function';
}

/** Adds `files` to the stored workspace (the browser's own storage, kept across reloads). */
async function storeFiles(files: { path: string; bytes: Uint8Array }[]): Promise<void> {
  if (!storageAvailable()) return;
  const dir = await folder();
  const index = (await readIndex(dir)) ?? { version: STORE_VERSION, files: [] };
  for (const file of files) {
    const name = `f${String(index.files.length).padStart(5, '0')}.bin`;
    const handle = await dir.getFileHandle(name, { create: true });
    const writable = await handle.createWritable();
    await writable.write(file.bytes as BufferSource);
    await writable.close();
    index.files.push({ name, path: file.path, size: file.bytes.length });
  }
  await writeIndex(dir, index);
}

/**
 * Makes the stored workspace exactly `files`: what backs the run on screen, so a reload brings
 * back that run and nothing a later drop replaced.
 */
export async function replaceStoredFiles(files: { path: string; bytes: Uint8Array }[]): Promise<void> {
  if (!storageAvailable()) return;
  await clearStoredFiles();
  if (files.length > 0) await storeFiles(files);
}

/** The stored files in the order they were added, or null when nothing is stored. */
export async function loadStoredFiles(): Promise<{ path: string; bytes: Uint8Array }[] | null> {
  if (!storageAvailable()) return null;
  const dir = await folder();
  const index = await readIndex(dir);
  if (!index || index.files.length === 0) return null;
  const out: { path: string; bytes: Uint8Array }[] = [];
  for (const entry of index.files) {
    const file = await (await dir.getFileHandle(entry.name)).getFile();
    out.push({ path: entry.path, bytes: new Uint8Array(await file.arrayBuffer()) });
  }
  return out;
}

/** Bytes and file count of the stored workspace. */
export async function storedSize(): Promise<{ bytes: number; files: number; available: boolean }> {
  if (!storageAvailable()) return { bytes: 0, files: 0, available: false };
  const index = await readIndex(await folder());
  return { bytes: index?.files.reduce((a, f) => a + f.size, 0) ?? 0, files: index?.files.length ?? 0, available: true };
}

/** Deletes every stored file. */
export async function clearStoredFiles(): Promise<void> {
  if (!storageAvailable()) return;
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(FOLDER, { recursive: true }).catch(() => undefined);
}

async function folder(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(FOLDER, { create: true });
}

async function readIndex(dir: FileSystemDirectoryHandle): Promise<StoredIndex | null> {
  let text: string;
  try {
    text = await (await (await dir.getFileHandle('index.json')).getFile()).text();
  } catch {
    return null;
  }
  const parsed = JSON.parse(text) as StoredIndex;
  if (parsed.version !== STORE_VERSION) {
    throw new LabError('unsupported_format', `The stored workspace has format version ${parsed.version}, which this version of the lab cannot read (it reads ${STORE_VERSION}). Clear the stored files and load them again.`);
  }
  return parsed;
}

async function writeIndex(dir: FileSystemDirectoryHandle, index: StoredIndex): Promise<void> {
  const writable = await (await dir.getFileHandle('index.json', { create: true })).createWritable();
  await writable.write(JSON.stringify(index));
  await writable.close();
}
