/**
 * Reads safetensors files: an 8-byte little-endian header length N, N bytes of JSON
 * (`{name: {dtype, shape, data_offsets}, "__metadata__": {...}}`), then the tensor bytes.
 * Validation follows huggingface/safetensors safetensors/src/tensor.rs: the header size cap, the
 * dtype list, lengths equal to numel times element size, and offsets that tile the byte buffer
 * exactly (no holes, no overlaps, nothing after the last tensor).
 */

import { LabError } from '../errors';
import { DTYPE_BYTES, decodeElements } from './dtypes';
import { topLevelKeys } from './jsonKeyOrder';
import { setOwnEntry } from './ownEntries';

import type { HostTensor, SourceDType } from './types';

/** The reference parser's MAX_HEADER_SIZE. */
const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';

/** safetensors dtype names the lab decodes. */
const DTYPES: Readonly<Record<string, SourceDType>> = {
  F32: 'float32',
  F16: 'float16',
  BF16: 'bfloat16',
  F64: 'float64',
  I64: 'int64',
  I32: 'int32',
  I16: 'int16',
  I8: 'int8',
  U8: 'uint8',
  BOOL: 'bool',
};

/** Valid safetensors dtypes the lab cannot decode. */
const UNDECODED: ReadonlySet<string> = new Set([
  'U16', 'U32', 'U64', 'C64', 'F4', 'F6_E2M3', 'F6_E3M2', 'F8_E5M2', 'F8_E4M3', 'F8_E8M0',
  'F8_E4M3FNUZ', 'F8_E5M2FNUZ',
]);

/** A safetensors file's contents. */
export interface SafetensorsContents {
  /** Tensors in header order. */
  tensors: Map<string, HostTensor>;
  /** The `__metadata__` strings, or {} when absent. */
  metadata: Record<string, string>;
}

interface HeaderEntry {
  name: string;
  dtype: SourceDType;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Parses and validates the safetensors file in `bytes` and copies its tensors out. Throws
 * LabError 'corrupt_file' for a malformed or inconsistent header (the message says which field
 * of which tensor), 'unsupported_dtype' for dtypes such as U32 or F8_E4M3.
 */
export function readSafetensors(bytes: Uint8Array): SafetensorsContents {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8) {
    throw corrupt(`it has ${bytes.length} bytes, fewer than the 8-byte header length`);
  }
  const headerBytes = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (headerBytes > MAX_HEADER_BYTES) {
    throw corrupt(
      `its header claims ${headerBytes} bytes, more than the ${MAX_HEADER_BYTES} allowed`,
    );
  }
  if (8 + headerBytes > bytes.length) {
    throw corrupt(
      `its header claims ${headerBytes} bytes but the file has only ${bytes.length - 8} after the length, so it is truncated`,
    );
  }

  const { header, order } = parseHeader(bytes.subarray(8, 8 + headerBytes));
  const metadata = parseMetadata(header[METADATA_KEY]);
  const entries = order
    .filter((name) => name !== METADATA_KEY)
    .map((name) => parseEntry(name, header[name]));
  const dataStart = 8 + headerBytes;
  assertTiling(entries, bytes.length - dataStart);

  const tensors = new Map<string, HostTensor>();
  for (const entry of entries) {
    const data = bytes.subarray(dataStart + entry.begin, dataStart + entry.end);
    const values = decodeElements(entry.dtype, data);
    tensors.set(entry.name, { sourceDtype: entry.dtype, shape: entry.shape, values });
  }
  return { tensors, metadata };
}

/** The parsed header and its keys in file order (JSON.parse reorders integer-like ones). */
function parseHeader(headerBytes: Uint8Array): {
  header: Record<string, unknown>;
  order: string[];
} {
  let parsed: unknown;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
    if (!text.startsWith('{')) throw new SyntaxError('the header does not start with "{"');
    parsed = JSON.parse(text);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw corrupt(`its header is not valid UTF-8 JSON (${reason})`, cause);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw corrupt('its header is not a JSON object');
  }
  const order = topLevelKeys(text);
  const seen = new Set<string>();
  for (const key of order) {
    if (seen.has(key)) throw corrupt(`its header names '${key}' twice`);
    seen.add(key);
  }
  return { header: parsed as Record<string, unknown>, order };
}

function parseMetadata(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw corrupt('its __metadata__ is not an object');
  }
  const metadata: Record<string, string> = {};
  for (const [key, text] of Object.entries(value)) {
    if (typeof text !== 'string') throw corrupt(`its __metadata__ entry '${key}' is not a string`);
    setOwnEntry(metadata, key, text);
  }
  return metadata;
}

function parseEntry(name: string, value: unknown): HeaderEntry {
  const bad = (what: string): never => {
    throw corrupt(`tensor '${name}' ${what}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    bad('is not described by an object');
  }
  const { dtype: dtypeName, shape, data_offsets: offsets } = value as Record<string, unknown>;

  if (typeof dtypeName !== 'string') return bad('has no dtype');
  if (UNDECODED.has(dtypeName)) {
    throw new LabError(
      'unsupported_dtype',
      `Tensor '${name}' has dtype ${dtypeName}, which the lab cannot decode (it reads F32, F16, BF16, F64, I64, I32, I16, I8, U8 and BOOL). Convert it before saving.`,
      { details: { tensor: name, dtype: dtypeName } },
    );
  }
  if (!Object.hasOwn(DTYPES, dtypeName)) {
    return bad(`has the unknown dtype '${dtypeName.slice(0, 20)}'`);
  }
  if (!Array.isArray(shape) || !shape.every(isIndex)) {
    return bad('has a shape that is not a list of non-negative integers');
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) {
    return bad('has data_offsets that are not two non-negative integers');
  }

  const dtype = DTYPES[dtypeName];
  const numel = (shape as number[]).reduce((product, dim) => product * dim, 1);
  const [begin, end] = offsets as number[];
  const expected = numel * DTYPE_BYTES[dtype];
  if (!Number.isSafeInteger(expected)) {
    bad(`has a shape [${shape.join(', ')}] too large to address`);
  }
  if (end < begin || end - begin !== expected) {
    bad(
      `has shape [${shape.join(', ')}] of ${dtypeName}, which needs ${expected} bytes, but its data_offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

/** Offsets sorted by start must run 0, e1, e1, e2, ... up to exactly the buffer's length. */
function assertTiling(entries: readonly HeaderEntry[], bufferBytes: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const entry of sorted) {
    if (entry.begin !== expected) {
      const what = entry.begin > expected ? 'leaving a gap' : 'overlapping the previous tensor';
      throw corrupt(
        `tensor '${entry.name}' starts at byte ${entry.begin} of the data instead of ${expected}, ${what}`,
      );
    }
    expected = entry.end;
  }
  if (expected !== bufferBytes) {
    const what =
      expected > bufferBytes
        ? 'so the file is truncated or its header lies about the sizes'
        : 'leaving unexplained bytes at the end';
    throw corrupt(
      `its tensors span ${expected} bytes of data but the file holds ${bufferBytes}, ${what}`,
    );
  }
}

function isIndex(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function corrupt(what: string, cause?: unknown): LabError {
  return new LabError(
    'corrupt_file',
    `This safetensors file is malformed: ${what}. Write it again or download it again.`,
    { cause },
  );
}
