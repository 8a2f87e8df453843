/**
 * Decodes the inert record a pickled numpy scalar leaves, e.g. `np.float64(0.75)` saved as
 * `numpy.core.multiarray.scalar(numpy.dtype('f8'), b'...')`, without running numpy. Training
 * scripts often store metrics such as `best_acc` this way beside the state dict.
 */

import { PyInert, PyTuple } from './pyValues';

import type { PyValue } from './pyValues';

const SCALAR_CLASSES: ReadonlySet<string> = new Set([
  'numpy.core.multiarray.scalar',
  'numpy._core.multiarray.scalar',
]);
const DTYPE_CLASS = 'numpy.dtype';

/** Readers for the numpy type codes a scalar metric plausibly has, keyed by code. */
const READERS: Readonly<Record<string, (view: DataView) => number | boolean | undefined>> = {
  f8: (v) => v.getFloat64(0, true),
  f4: (v) => v.getFloat32(0, true),
  i8: (v) => bigToNumber(v.getBigInt64(0, true)),
  u8: (v) => bigToNumber(v.getBigUint64(0, true)),
  i4: (v) => v.getInt32(0, true),
  u4: (v) => v.getUint32(0, true),
  i2: (v) => v.getInt16(0, true),
  u2: (v) => v.getUint16(0, true),
  i1: (v) => v.getInt8(0),
  u1: (v) => v.getUint8(0),
  b1: (v) => v.getUint8(0) !== 0,
};
const SIZES: Readonly<Record<string, number>> = {
  f8: 8, f4: 4, i8: 8, u8: 8, i4: 4, u4: 4, i2: 2, u2: 2, i1: 1, u1: 1, b1: 1,
};

/**
 * Returns the number or boolean a pickled numpy scalar holds, or undefined when `value` is not
 * one this decoder understands (other dtypes, big-endian data, wrong sizes).
 */
export function maybeNumpyScalar(value: PyValue): number | boolean | undefined {
  if (!(value instanceof PyInert) || !SCALAR_CLASSES.has(value.className)) return undefined;
  const [dtype, data] = value.args;
  const isDtype = dtype instanceof PyInert && dtype.className === DTYPE_CLASS;
  if (!isDtype || !(data instanceof Uint8Array)) return undefined;
  const code = dtype.args[0];
  if (typeof code !== 'string' || !Object.hasOwn(READERS, code) || data.length !== SIZES[code]) {
    return undefined;
  }
  // The BUILD state is (version, byte order, ...); '>' marks big-endian data.
  const order = dtype.state instanceof PyTuple ? dtype.state.items[1] : '<';
  if (order === '>') return undefined;
  return READERS[code](new DataView(data.buffer, data.byteOffset, data.byteLength));
}

function bigToNumber(value: bigint): number | undefined {
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : undefined;
}
