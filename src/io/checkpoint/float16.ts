/**
 * IEEE 754 binary16 ("half") and bfloat16 bit conversions, written out so they run the same in
 * every browser and in Node (native Float16Array is not yet everywhere the lab runs).
 */

const F32_SCRATCH = new Float32Array(1);
const U32_SCRATCH = new Uint32Array(F32_SCRATCH.buffer);
let halfTable: Float32Array | null = null;

/**
 * Returns the number a binary16 bit pattern (0..0xffff) stands for: subnormals, ±0, ±Infinity
 * and NaN included. Example: `halfBitsToFloat(0x3c00) === 1`.
 */
export function halfBitsToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;

  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/**
 * Returns the binary16 bit pattern nearest to `value` (round half to even, as PyTorch's
 * `.half()` does): values past 65520 become ±Infinity, tiny ones subnormals or ±0.
 */
export function floatToHalfBits(value: number): number {
  F32_SCRATCH[0] = value;
  const bits = U32_SCRATCH[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;

  if (exponent === 0xff) return sign | 0x7c00 | (mantissa === 0 ? 0 : 0x200);
  const halfExponent = exponent - 112; // rebias from 127 to 15
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    // Subnormal half: the 24-bit significand (implicit bit included) shifted into 10 bits.
    const shift = 14 - halfExponent;
    if (shift > 24) return sign;
    return sign | roundShift(mantissa | 0x800000, shift);
  }
  // A carry out of the mantissa lands in the exponent, which is what rounding up needs.
  return sign | roundShift((halfExponent << 23) | mantissa, 13);
}

/**
 * Decodes little-endian binary16 elements into a new Float32Array through a 64k-entry table
 * (256 KiB, built on first use), which is several times faster than bit arithmetic per element.
 */
export function decodeHalfArray(bits: Uint16Array): Float32Array {
  const table = halfTable ?? buildHalfTable();
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = table[bits[i]];
  return out;
}

/** Decodes bfloat16 elements (the top 16 bits of a float32) into a new Float32Array. */
export function decodeBfloat16Array(bits: Uint16Array): Float32Array {
  const words = new Uint32Array(bits.length);
  for (let i = 0; i < bits.length; i++) words[i] = bits[i] << 16;
  return new Float32Array(words.buffer);
}

function roundShift(significand: number, shift: number): number {
  const kept = significand >>> shift;
  const dropped = significand & ((1 << shift) - 1);
  const halfway = 1 << (shift - 1);
  return dropped > halfway || (dropped === halfway && (kept & 1) === 1) ? kept + 1 : kept;
}

function buildHalfTable(): Float32Array {
  const table = new Float32Array(0x10000);
  for (let bits = 0; bits < 0x10000; bits++) table[bits] = halfBitsToFloat(bits);
  halfTable = table;
  return table;
}
