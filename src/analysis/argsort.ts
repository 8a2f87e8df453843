/**
 * Ascending sort order of float64 values by least-significant-digit radix sort on their IEEE-754
 * bit patterns (the order-preserving key transform is the classic one: flip the sign bit of
 * non-negative values, invert every bit of negative ones; see Herf 2001, "Radix Tricks"). It runs
 * in O(m) with four 16-bit passes, skipping passes whose digit is constant, which is what makes
 * ranking a 2e6-entry RDM take tens of milliseconds instead of seconds with a comparator sort.
 */
import { assert } from '../io/errors';

import type { FloatArray } from './types';

/** Bits per radix digit; 16 keeps the count table (256 KiB) in L2 and needs four passes. */
const DIGIT_BITS = 16;
const BUCKETS = 1 << DIGIT_BITS;
/**
 * Below this length a comparator sort of indices is cheaper than clearing and scanning the
 * 65,536-entry count table four times (about 0.3 ms a call in Node 20).
 */
const RADIX_MIN_LENGTH = 4096;

/**
 * Indices that sort `values` ascending, stable (equal values keep their input order), as a
 * Uint32Array of length values.length. -0 and +0 count as equal. `values` must hold no NaN.
 */
export function argsort(values: FloatArray): Uint32Array {
  const m = values.length;
  let firstNaN = -1;
  for (let i = 0; i < m && firstNaN < 0; i++) if (Number.isNaN(values[i])) firstNaN = i;
  assert(
    firstNaN < 0,
    () => `argsort: values must not contain NaN (first at index ${firstNaN} of ${m}); drop missing values first`,
  );
  if (m < RADIX_MIN_LENGTH) return comparatorArgsort(values);

  const scratch = new Float64Array(1);
  const bits = new Uint32Array(scratch.buffer);
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const [loWord, hiWord] = littleEndian ? [0, 1] : [1, 0];

  let keyLo = new Uint32Array(m);
  let keyHi = new Uint32Array(m);
  let order = new Uint32Array(m);
  for (let i = 0; i < m; i++) {
    const v = values[i];
    scratch[0] = v === 0 ? 0 : v; // folds -0 into +0
    const negative = bits[hiWord] >>> 31 === 1;
    keyLo[i] = negative ? ~bits[loWord] >>> 0 : bits[loWord];
    keyHi[i] = negative ? ~bits[hiWord] >>> 0 : (bits[hiWord] | 0x80000000) >>> 0;
    order[i] = i;
  }

  let nextLo = new Uint32Array(m);
  let nextHi = new Uint32Array(m);
  let nextOrder = new Uint32Array(m);
  const counts = new Uint32Array(BUCKETS);
  for (let pass = 0; pass < 4; pass++) {
    const shift = (pass % 2) * DIGIT_BITS;
    const source = pass < 2 ? keyLo : keyHi;
    const mask = BUCKETS - 1;

    counts.fill(0);
    for (let i = 0; i < m; i++) counts[(source[i] >>> shift) & mask]++;
    // Every entry has the same digit here, so this pass would not move anything.
    if (m === 0 || counts[(source[0] >>> shift) & mask] === m) continue;

    let running = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      const count = counts[bucket];
      counts[bucket] = running;
      running += count;
    }
    for (let i = 0; i < m; i++) {
      const at = counts[(source[i] >>> shift) & mask]++;
      nextLo[at] = keyLo[i];
      nextHi[at] = keyHi[i];
      nextOrder[at] = order[i];
    }
    [keyLo, nextLo] = [nextLo, keyLo];
    [keyHi, nextHi] = [nextHi, keyHi];
    [order, nextOrder] = [nextOrder, order];
  }
  return order;
}

/** Stable index sort with a comparator; -0 and +0 compare equal, as in the radix path. */
function comparatorArgsort(values: FloatArray): Uint32Array {
  const order = Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : a - b));
  return Uint32Array.from(order);
}
