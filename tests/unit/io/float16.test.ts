import { describe, expect, it } from 'vitest';

import {
  decodeBfloat16Array,
  floatToHalfBits,
  halfBitsToFloat,
} from '../../../src/io/checkpoint/float16';

describe('float16 and bfloat16 conversion', () => {
  it('decodes the binary16 landmarks exactly', () => {
    const bits = [0x0000, 0x8000, 0x3c00, 0xc000, 0x7bff, 0x0400, 0x0001, 0x03ff, 0x7c00, 0xfc00];

    expect(bits.map(halfBitsToFloat)).toEqual([
      0, -0, 1, -2, 65504, 2 ** -14, 2 ** -24, 1023 * 2 ** -24, Infinity, -Infinity,
    ]);
    expect(halfBitsToFloat(0x7e00)).toBeNaN();
  });

  it('round-trips every one of the 65536 half bit patterns (NaNs stay NaN)', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = halfBitsToFloat(bits);
      const back = floatToHalfBits(value);
      if (Number.isNaN(value)) expect(halfBitsToFloat(back)).toBeNaN();
      else if (back !== bits) expect.fail(`0x${bits.toString(16)} came back as ${back.toString(16)}`);
    }
  });

  it('rounds to nearest, ties to even, and overflows to infinity past 65520', () => {
    expect(floatToHalfBits(1 + 2 ** -11)).toBe(0x3c00); // tie, even mantissa stays
    expect(floatToHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie, odd mantissa rounds up
    expect(floatToHalfBits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
    expect(floatToHalfBits(65519)).toBe(0x7bff);
    expect(floatToHalfBits(65520)).toBe(0x7c00);
    expect(floatToHalfBits(-1e10)).toBe(0xfc00);
    expect(floatToHalfBits(2 ** -25)).toBe(0x0000); // tie between 0 and the least subnormal
    expect(floatToHalfBits(2 ** -25 + 2 ** -40)).toBe(0x0001);
    expect(floatToHalfBits(-(2 ** -30))).toBe(0x8000);
    expect(floatToHalfBits(2 ** -14 - 2 ** -25)).toBe(0x0400); // rounds up into the normals
  });

  it('decodes bfloat16 as the top half of a float32', () => {
    const values = decodeBfloat16Array(Uint16Array.of(0x3f80, 0xc049, 0x7f80, 0x0001));

    expect(Array.from(values)).toEqual([1, -3.140625, Infinity, Math.fround(2 ** -133)]);
  });
});
