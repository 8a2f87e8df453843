/**
 * Turns a TensorRef (a strided window onto a storage, as `_rebuild_tensor_v2` describes it) into
 * a HostTensor with its own row-major copy of the elements. Handles storage offsets, views that
 * share one storage, non-contiguous and zero strides, and checks every bound before reading.
 */

import { LabError } from '../errors';
import { DTYPE_BYTES, decodeElements } from './dtypes';

import type { StorageRef, TensorRef } from './pyValues';
import type { HostTensor, SourceDType } from './types';

/** Elements in one tensor: 2^28 float32 is 1 GiB, past which browser allocations fail. */
export const MAX_TENSOR_ELEMENTS = 2 ** 28;

/** Returns the raw bytes of a storage: exactly its element count times the element size. */
export type StorageBytes = (storage: StorageRef, elementBytes: number) => Uint8Array;

/**
 * Copies the elements of tensor `name` (used in messages) out of its storage, in row-major
 * order. `storageBytes` fetches a storage's bytes. Throws LabError: 'unsupported_global' for a
 * storage class outside the table, 'unsupported_dtype' for quantised, complex or untyped data and
 * for int64 values beyond ±2^53, 'corrupt_file' when the window leaves the storage.
 */
export function materializeTensor(
  name: string,
  ref: TensorRef,
  storageBytes: StorageBytes,
): HostTensor {
  const dtype = tensorDtype(name, ref);
  const size = DTYPE_BYTES[dtype];
  const shape = [...ref.shape];
  const numel = shape.reduce((product, dim) => product * dim, 1);
  if (numel > MAX_TENSOR_ELEMENTS) {
    throw new LabError(
      'unsupported_format',
      `Tensor '${name}' has shape [${shape.join(', ')}], ${numel} elements, more than the ${MAX_TENSOR_ELEMENTS} a browser tab can hold in one array.`,
      { details: { tensor: name, shape } },
    );
  }
  if (numel === 0) return { sourceDtype: dtype, shape, values: emptyValues(dtype) };

  const storageElements = elementsInStorage(name, ref.storage, size);
  const lastIndex = ref.shape.reduce(
    (sum, dim, d) => sum + (dim - 1) * ref.stride[d],
    ref.storageOffset,
  );
  if (lastIndex >= storageElements) {
    throw corrupt(
      `Tensor '${name}' (shape [${shape.join(', ')}], stride [${ref.stride.join(', ')}], offset ${ref.storageOffset}) reaches element ${lastIndex} of a storage with ${storageElements} elements`,
      name,
    );
  }

  const bytes = storageBytes(ref.storage, size);
  const window = bytes.subarray(ref.storageOffset * size, (lastIndex + 1) * size);
  const decoded = decodeElements(dtype, window);
  const values = isContiguous(ref.shape, ref.stride)
    ? decoded
    : gather(decoded, ref.shape, ref.stride, numel);
  if (dtype === 'int64') assertExactIntegers(name, values);
  return { sourceDtype: dtype, shape, values };
}

function tensorDtype(name: string, ref: TensorRef): SourceDType {
  if (ref.dtype !== null) return ref.dtype;
  if (!ref.storage.classKnown) {
    throw new LabError(
      'unsupported_global',
      `Tensor '${name}' is stored in ${ref.storage.storageClass}, a storage class the checkpoint reader does not know, so its elements cannot be decoded. Convert the tensor to a standard dtype (e.g. float32) and save the state dict again.`,
      { details: { tensor: name, global: ref.storage.storageClass } },
    );
  }
  throw new LabError(
    'unsupported_dtype',
    `Tensor '${name}' uses ${ref.dtypeSource}, which the lab cannot decode (it reads float32, float16, bfloat16, float64 and integer or bool tensors). Convert it, e.g. with tensor.float(), and save the state dict again.`,
    { details: { tensor: name, dtype: ref.dtypeSource } },
  );
}

function elementsInStorage(name: string, storage: StorageRef, size: number): number {
  if (storage.dtype !== null) return storage.numel;
  // An untyped storage (only reachable through _rebuild_tensor_v3) counts bytes, not elements.
  if (!storage.storageClass.endsWith('UntypedStorage') || storage.numel % size !== 0) {
    throw new LabError(
      'unsupported_dtype',
      `Tensor '${name}' reinterprets a ${storage.storageClass} of ${storage.numel} elements, which the lab cannot decode. Save the state dict again with standard dtypes.`,
      { details: { tensor: name, dtype: storage.storageClass } },
    );
  }
  return storage.numel / size;
}

/** True when `stride` is the row-major stride of `shape` (dims of size 1 may have any stride). */
function isContiguous(shape: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && stride[d] !== expected) return false;
    expected *= shape[d];
  }
  return true;
}

/** Reads a strided window (element 0 at `source[0]`) into row-major order with an odometer. */
function gather(
  source: Float32Array | Float64Array,
  shape: readonly number[],
  stride: readonly number[],
  numel: number,
): Float32Array | Float64Array {
  const out = source instanceof Float32Array ? new Float32Array(numel) : new Float64Array(numel);
  const counter = new Array<number>(shape.length).fill(0);
  let at = 0;
  for (let i = 0; i < numel; i++) {
    out[i] = source[at];
    for (let d = shape.length - 1; d >= 0; d--) {
      counter[d]++;
      at += stride[d];
      if (counter[d] < shape[d]) break;
      at -= stride[d] * shape[d];
      counter[d] = 0;
    }
  }
  return out;
}

function assertExactIntegers(name: string, values: Float32Array | Float64Array): void {
  const bad = values.findIndex((v) => Number.isNaN(v));
  if (bad < 0) return;
  throw new LabError(
    'unsupported_dtype',
    `Tensor '${name}' holds an int64 value beyond ±2^53 at element ${bad}, which a JavaScript number cannot hold exactly. Store such counters as float64 or clamp them before saving.`,
    { details: { tensor: name, element: bad } },
  );
}

function emptyValues(dtype: SourceDType): Float32Array | Float64Array {
  return dtype === 'float32' || dtype === 'float16' || dtype === 'bfloat16'
    ? new Float32Array(0)
    : new Float64Array(0);
}

function corrupt(what: string, name: string): LabError {
  return new LabError(
    'corrupt_file',
    `${what}. The checkpoint is damaged; save it again or download it again.`,
    { details: { tensor: name } },
  );
}
