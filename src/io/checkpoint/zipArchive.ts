/**
 * A zip reader for PyTorch archives: the end-of-central-directory record (ZIP64 included), the
 * central directory, and local headers, all bounds-checked against the buffer. STORED entries
 * are returned as views of the file (zero copy); DEFLATE entries, from a user who re-zipped an
 * archive, go through fflate. Layout per PKWARE APPNOTE.TXT 6.3 sections 4.3 and 4.5.
 */

import { inflateSync } from 'fflate';

import { LabError } from '../errors';
import { crc32 } from './crc32';

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const EOCD_BYTES = 22;
const CENTRAL_BYTES = 46;
const LOCAL_BYTES = 30;
const MAX_COMMENT_BYTES = 0xffff;
const ZIP64_EXTRA_TAG = 0x0001;
/** DEFLATE expands at most about 1032:1, so a larger claimed ratio is a lie. */
const MAX_DEFLATE_RATIO = 1032;
/** Bytes one inflated entry may claim: 2 GiB is about where browser typed arrays stop. */
const MAX_INFLATED_BYTES = 2 ** 31;

/**
 * STORED entries up to this size get their CRC-32 checked (data.pkl, small tensors); larger ones
 * are trusted like PyTorch's own reader does, since checking runs at about 400 MB/s here and
 * would add a quarter second per 100 MB checkpoint. DEFLATE entries are always checked.
 */
const MAX_CRC_CHECKED_STORED_BYTES = 4 * 1024 * 1024;

const UTF8 = new TextDecoder('utf-8');

/** One file in the central directory. */
export interface ZipEntry {
  /** The entry's path inside the archive, e.g. `archive/data/0`. */
  name: string;
  /** 0 = STORED, 8 = DEFLATE; others are refused when read. */
  method: number;
  /** General purpose flags; bit 0 means encrypted. */
  flags: number;
  /** CRC-32 of the uncompressed bytes. */
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Offset of the entry's local header from the start of the file. */
  localHeaderOffset: number;
}

/** An opened archive; entries are read only when asked for. */
export interface ZipArchive {
  /** Central directory entries in directory order. */
  entries: readonly ZipEntry[];
  /** The entry with exactly this name, if any (the first, should names repeat). */
  find(name: string): ZipEntry | undefined;
  /** The entry's uncompressed bytes: a view of the file for STORED, a new array for DEFLATE. */
  read(entry: ZipEntry): Uint8Array;
}

/**
 * Parses the central directory of the zip in `bytes`. Throws LabError 'corrupt_file' for a
 * truncated or inconsistent archive, 'unsupported_format' for multi-disk archives.
 */
export function openZip(bytes: Uint8Array): ZipArchive {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const directory = findDirectory(bytes, view);
  const entries = readDirectory(bytes, view, directory);
  const byName = new Map<string, ZipEntry>();
  for (const entry of entries) if (!byName.has(entry.name)) byName.set(entry.name, entry);

  return {
    entries,
    find: (name) => byName.get(name),
    read: (entry) => readEntry(bytes, view, entry),
  };
}

interface DirectoryLocation {
  count: number;
  offset: number;
  size: number;
  /** Where the directory must end: the (ZIP64) end record. */
  limit: number;
}

function findDirectory(bytes: Uint8Array, view: DataView): DirectoryLocation {
  const eocd = findEocd(bytes, view);
  if (view.getUint16(eocd + 4, true) !== 0 || view.getUint16(eocd + 6, true) !== 0) {
    throw new LabError(
      'unsupported_format',
      'This zip archive is split across several disks, which PyTorch never writes. Join the parts into one file first.',
    );
  }
  const plain: DirectoryLocation = {
    count: view.getUint16(eocd + 10, true),
    size: view.getUint32(eocd + 12, true),
    offset: view.getUint32(eocd + 16, true),
    limit: eocd,
  };

  // PyTorch always writes ZIP64 records; their values win when the locator is present.
  const locator = eocd - 20;
  if (locator < 0 || view.getUint32(locator, true) !== SIG_ZIP64_LOCATOR) return plain;
  const record = readU64(view, locator + 8, 'ZIP64 end record offset');
  if (record + 56 > locator || view.getUint32(record, true) !== SIG_ZIP64_EOCD) {
    throw corrupt(`the ZIP64 end-of-directory record at byte ${record} is missing or out of place`);
  }
  return {
    count: readU64(view, record + 32, 'ZIP64 entry count'),
    size: readU64(view, record + 40, 'ZIP64 directory size'),
    offset: readU64(view, record + 48, 'ZIP64 directory offset'),
    limit: record,
  };
}

function findEocd(bytes: Uint8Array, view: DataView): number {
  const lowest = Math.max(0, bytes.length - EOCD_BYTES - MAX_COMMENT_BYTES);
  for (let at = bytes.length - EOCD_BYTES; at >= lowest; at--) {
    if (view.getUint32(at, true) !== SIG_EOCD) continue;
    if (at + EOCD_BYTES + view.getUint16(at + 20, true) <= bytes.length) return at;
  }
  throw corrupt(
    `there is no end-of-central-directory record in its last ${bytes.length - lowest} bytes, so the file is truncated (an interrupted download or copy?) or not a zip archive`,
  );
}

function readDirectory(bytes: Uint8Array, view: DataView, where: DirectoryLocation): ZipEntry[] {
  if (where.offset + where.size > where.limit) {
    throw corrupt(
      `the central directory (bytes ${where.offset} to ${where.offset + where.size}) runs past its end record at byte ${where.limit}, so the file is truncated or damaged`,
    );
  }
  if (where.count * CENTRAL_BYTES > where.size) {
    throw corrupt(
      `the directory claims ${where.count} entries but has room for ${Math.floor(where.size / CENTRAL_BYTES)}`,
    );
  }

  const entries: ZipEntry[] = [];
  const end = where.offset + where.size;
  let at = where.offset;
  for (let i = 0; i < where.count; i++) {
    if (at + CENTRAL_BYTES > end || view.getUint32(at, true) !== SIG_CENTRAL) {
      throw corrupt(`central directory entry ${i} at byte ${at} is missing or damaged`);
    }
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const next = at + CENTRAL_BYTES + nameLength + extraLength + commentLength;
    if (next > end) {
      throw corrupt(`central directory entry ${i} at byte ${at} runs past the directory`);
    }

    const entry: ZipEntry = {
      name: UTF8.decode(bytes.subarray(at + CENTRAL_BYTES, at + CENTRAL_BYTES + nameLength)),
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      uncompressedSize: view.getUint32(at + 24, true),
      localHeaderOffset: view.getUint32(at + 42, true),
    };
    const extraStart = at + CENTRAL_BYTES + nameLength;
    applyZip64Extra(entry, view, extraStart, extraStart + extraLength);
    entries.push(entry);
    at = next;
  }
  return entries;
}

/** Replaces saturated 32-bit fields of `entry` (mutated) with the ZIP64 extra field values. */
function applyZip64Extra(entry: ZipEntry, view: DataView, start: number, end: number): void {
  for (let at = start; at + 4 <= end; ) {
    const tag = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    const body = at + 4;
    if (body + length > end) {
      throw corrupt(`the extra field of entry '${entry.name}' runs past its end`);
    }
    if (tag === ZIP64_EXTRA_TAG) {
      let field = body;
      const take = (what: string): number => {
        if (field + 8 > body + length) {
          throw corrupt(`the ZIP64 field of entry '${entry.name}' lacks its ${what}`);
        }
        const value = readU64(view, field, what);
        field += 8;
        return value;
      };
      if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = take('uncompressed size');
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = take('compressed size');
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = take('header offset');
      return;
    }
    at = body + length;
  }
}

function readEntry(bytes: Uint8Array, view: DataView, entry: ZipEntry): Uint8Array {
  const header = entry.localHeaderOffset;
  if (header + LOCAL_BYTES > bytes.length || view.getUint32(header, true) !== SIG_LOCAL) {
    throw corrupt(
      `the local header of entry '${entry.name}' at byte ${header} is missing or damaged`,
    );
  }
  if (entry.flags & 1) {
    throw new LabError(
      'unsupported_format',
      `Entry '${entry.name}' of this zip archive is encrypted. Extract it with its password and save the checkpoint again without encryption.`,
    );
  }
  // The local extra field (PyTorch pads it for 64-byte alignment) can differ from the central one.
  const nameLength = view.getUint16(header + 26, true);
  const extraLength = view.getUint16(header + 28, true);
  const start = header + LOCAL_BYTES + nameLength + extraLength;
  const end = start + entry.compressedSize;
  if (end > bytes.length) {
    throw corrupt(
      `entry '${entry.name}' needs bytes ${start} to ${end} but the file has ${bytes.length}, so it is truncated`,
    );
  }

  const stored = bytes.subarray(start, end);
  const data = entry.method === 0 ? storedData(entry, stored) : inflateData(entry, stored);
  const checked = entry.method !== 0 || data.length <= MAX_CRC_CHECKED_STORED_BYTES;
  if (checked && crc32(data) !== entry.crc) {
    throw corrupt(`entry '${entry.name}' fails its CRC-32 check, so its bytes are damaged`);
  }
  return data;
}

function storedData(entry: ZipEntry, stored: Uint8Array): Uint8Array {
  if (entry.compressedSize !== entry.uncompressedSize) {
    throw corrupt(
      `stored entry '${entry.name}' has ${entry.compressedSize} bytes but claims ${entry.uncompressedSize}`,
    );
  }
  return stored;
}

function inflateData(entry: ZipEntry, compressed: Uint8Array): Uint8Array {
  if (entry.method !== 8) {
    throw new LabError(
      'unsupported_format',
      `Entry '${entry.name}' is compressed with zip method ${entry.method}; only stored (0) and DEFLATE (8) entries can be read. Re-create the archive with torch.save, which stores entries uncompressed.`,
    );
  }
  const claimed = entry.uncompressedSize;
  if (claimed > MAX_INFLATED_BYTES || claimed > (compressed.length + 1) * MAX_DEFLATE_RATIO) {
    throw corrupt(
      `entry '${entry.name}' claims ${claimed} bytes from ${compressed.length} compressed ones`,
    );
  }

  let inflated: Uint8Array;
  try {
    inflated = inflateSync(compressed, { out: new Uint8Array(claimed) });
  } catch (cause) {
    throw corrupt(`entry '${entry.name}' is not valid DEFLATE data`, cause);
  }
  if (inflated.length !== claimed) {
    throw corrupt(
      `entry '${entry.name}' inflates to ${inflated.length} bytes instead of ${claimed}`,
    );
  }
  return inflated;
}

function readU64(view: DataView, at: number, what: string): number {
  if (at < 0 || at + 8 > view.byteLength) throw corrupt(`the ${what} lies outside the file`);
  const value = view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
  if (value > Number.MAX_SAFE_INTEGER) throw corrupt(`the ${what} (${value}) is out of range`);
  return value;
}

function corrupt(what: string, cause?: unknown): LabError {
  return new LabError(
    'corrupt_file',
    `This zip archive is damaged: ${what}. Save the checkpoint again or download it again.`,
    { cause },
  );
}
