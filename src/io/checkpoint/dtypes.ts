/**
 * Element sizes and the decoding of raw little-endian storage bytes into the JS arrays a
 * HostTensor holds.
 */

import { LabError } from '../errors';
import { decodeBfloat16Array, decodeHalfArray } from './float16';

import type { SourceDType } from './types';

/** Bytes per element of each dtype as stored (bool is one byte per element, 0 or 1). */
export const DTYPE_BYTES: Readonly<Record<SourceDType, number>> = {
  float32: 4,
  float16: 2,
  bfloat16: 2,
  float64: 8,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/** The largest magnitude an int64 element may have to be kept exactly as a JS number. */
const MAX_EXACT_INT = 2 ** 53;

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Decodes `bytes` (little-endian elements, `bytes.byteLength` a multiple of the element size,
 * any alignment) into a new array the caller owns: floats as Float32Array (float64 stays
 * Float64Array), integers and bool as Float64Array. An int64 element beyond ±2^53 becomes NaN,
 * which no integer can be, so the caller can refuse it after picking the elements it needs.
 */
export function decodeElements(dtype: SourceDType, bytes: Uint8Array): Float32Array | Float64Array {
  const size = DTYPE_BYTES[dtype];
  const count = bytes.byteLength / size;
  if (!HOST_IS_LITTLE_ENDIAN) {
    throw new LabError(
      'unsupported_format',
      'This device is big-endian, and the checkpoint reader only decodes little-endian tensor data on little-endian hosts. Open the file on a typical desktop or laptop browser.',
    );
  }

  // A fresh copy is aligned and shares nothing with the file or with other tensors.
  const own = bytes.slice().buffer;
  switch (dtype) {
    case 'float32':
      return new Float32Array(own);
    case 'float64':
      return new Float64Array(own);
    case 'float16':
      return decodeHalfArray(new Uint16Array(own));
    case 'bfloat16':
      return decodeBfloat16Array(new Uint16Array(own));
    case 'int64':
      return decodeInt64(new BigInt64Array(own));
    case 'int32':
      return Float64Array.from(new Int32Array(own));
    case 'int16':
      return Float64Array.from(new Int16Array(own));
    case 'int8':
      return Float64Array.from(new Int8Array(own));
    case 'uint8':
      return Float64Array.from(new Uint8Array(own));
    case 'bool':
      return Float64Array.from(new Uint8Array(own), (byte) => (byte === 0 ? 0 : 1));
    default: {
      const unknown: never = dtype;
      throw new Error(`decodeElements: unsupported dtype ${String(unknown)} for ${count} elements`);
    }
  }
}

function decodeInt64(words: BigInt64Array): Float64Array {
  const out = new Float64Array(words.length);
  const limit = BigInt(MAX_EXACT_INT);
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    out[i] = word > limit || word < -limit ? NaN : Number(word);
  }
  return out;
}
