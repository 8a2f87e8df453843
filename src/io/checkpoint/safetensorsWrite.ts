/**
 * Writes safetensors files for the lab's exports: the header padded with spaces to a multiple of
 * 8 bytes (as the reference writers do), tensors as contiguous little-endian bytes that never
 * share or overlap, and `__metadata__` strings. Tensor data is grouped by descending alignment so
 * that every tensor starts on a multiple of its element size.
 */

import { LabError } from '../errors';
import { floatToHalfBits } from './float16';

/** The dtypes the writer emits. */
export type SafetensorsWriteDtype = 'F32' | 'F16' | 'I64';

/** One tensor to write: `values` in row-major order, `values.length === product(shape)`. */
export interface SafetensorsTensorInput {
  dtype: SafetensorsWriteDtype;
  shape: number[];
  values: ArrayLike<number>;
}

const ELEMENT_BYTES: Readonly<Record<SafetensorsWriteDtype, number>> = { I64: 8, F32: 4, F16: 2 };
const METADATA_KEY = '__metadata__';

/**
 * Serialises `tensors` (header order = map order) and optional `metadata` into a safetensors
 * file. F16 values are rounded to nearest even; I64 values must be safe integers. Throws
 * LabError 'invalid_input' for a shape that does not match its values, a non-integer I64 value,
 * a tensor named `__metadata__` or non-string metadata.
 */
export function writeSafetensors(
  tensors: Map<string, SafetensorsTensorInput>,
  metadata?: Record<string, string>,
): Uint8Array {
  for (const [name, tensor] of tensors) assertWritable(name, tensor);
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (typeof value !== 'string') {
      invalid(
        `Metadata entry '${key}' is not a string; safetensors metadata maps strings to strings.`,
      );
    }
  }

  // Data order: widest element first, keeping map order within a width (stable sort).
  const order = [...tensors.entries()].sort(
    ([, a], [, b]) => ELEMENT_BYTES[b.dtype] - ELEMENT_BYTES[a.dtype],
  );
  const offsets = new Map<string, [number, number]>();
  let dataBytes = 0;
  for (const [name, tensor] of order) {
    const length = tensor.values.length * ELEMENT_BYTES[tensor.dtype];
    offsets.set(name, [dataBytes, dataBytes + length]);
    dataBytes += length;
  }

  const header = encodeHeader(tensors, offsets, metadata);
  const out = new Uint8Array(8 + header.length + dataBytes);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  for (const [name, tensor] of order) {
    writeValues(view, 8 + header.length + (offsets.get(name) as [number, number])[0], tensor);
  }
  return out;
}

function assertWritable(name: string, tensor: SafetensorsTensorInput): void {
  const shape = tensor.shape.join(', ');
  if (name === METADATA_KEY) {
    invalid(
      `A tensor cannot be named '${METADATA_KEY}', which safetensors reserves for metadata. Rename it.`,
    );
  }
  if (!Object.hasOwn(ELEMENT_BYTES, tensor.dtype)) {
    invalid(
      `Tensor '${name}' has dtype '${String(tensor.dtype)}'; the writer emits F32, F16 or I64.`,
    );
  }
  if (!tensor.shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0)) {
    invalid(`Tensor '${name}' has shape [${shape}], which is not a list of non-negative integers.`);
  }
  const numel = tensor.shape.reduce((product, dim) => product * dim, 1);
  if (numel !== tensor.values.length) {
    invalid(
      `Tensor '${name}' has shape [${shape}] (${numel} elements) but ${tensor.values.length} values. Pass row-major values matching the shape.`,
    );
  }
  if (tensor.dtype !== 'I64') return;
  for (let i = 0; i < tensor.values.length; i++) {
    if (!Number.isSafeInteger(tensor.values[i])) {
      invalid(
        `Tensor '${name}' is I64 but value ${i} is ${tensor.values[i]}, not an integer within ±2^53. Round it or write the tensor as F32.`,
      );
    }
  }
}

function encodeHeader(
  tensors: Map<string, SafetensorsTensorInput>,
  offsets: ReadonlyMap<string, [number, number]>,
  metadata: Record<string, string> | undefined,
): Uint8Array {
  // Built by hand: JSON.stringify of an object would move integer-like names to the front.
  const fields: string[] = [];
  if (metadata !== undefined) {
    fields.push(`${JSON.stringify(METADATA_KEY)}:${JSON.stringify(metadata)}`);
  }
  for (const [name, tensor] of tensors) {
    const entry = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: offsets.get(name) };
    fields.push(`${JSON.stringify(name)}:${JSON.stringify(entry)}`);
  }
  const json = new TextEncoder().encode(`{${fields.join(',')}}`);
  const padded = new Uint8Array(Math.ceil(json.length / 8) * 8).fill(0x20);
  padded.set(json);
  return padded;
}

function writeValues(view: DataView, start: number, tensor: SafetensorsTensorInput): void {
  const { values } = tensor;
  switch (tensor.dtype) {
    case 'F32':
      for (let i = 0; i < values.length; i++) view.setFloat32(start + 4 * i, values[i], true);
      return;
    case 'F16':
      for (let i = 0; i < values.length; i++) {
        view.setUint16(start + 2 * i, floatToHalfBits(values[i]), true);
      }
      return;
    case 'I64':
      for (let i = 0; i < values.length; i++) {
        view.setBigInt64(start + 8 * i, BigInt(values[i]), true);
      }
      return;
    default: {
      const unknown: never = tensor.dtype;
      throw new Error(`writeValues: unsupported dtype ${String(unknown)}`);
    }
  }
}

function invalid(message: string): never {
  throw new LabError('invalid_input', message);
}
