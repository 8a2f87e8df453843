import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { parseNumberCell, parseNumberWord } from '../../../src/io/logs/numberCell';

describe('parseNumberCell', () => {
  it('reads every NaN spelling logging tools write as NaN', () => {
    for (const word of ['nan', 'NaN', '-nan', '+nan', 'NAN', 'null', 'None', 'NA', 'n/a', '#na#']) {
      expect(parseNumberWord(word), word).toBeNaN();
    }
  });

  it('keeps the sign of every infinity spelling', () => {
    expect(['inf', '+inf', 'Infinity', 'INF', '+Infinity'].map(parseNumberWord)).toEqual(Array(5).fill(Infinity));
    expect(['-inf', '-Infinity', '-INF'].map(parseNumberWord)).toEqual(Array(3).fill(-Infinity));
  });

  it('returns null for text, hex, decimal commas and lone signs', () => {
    expect(['diverged', '0x1f', '1,5', '-', '.', '1e', '1.2.3', 'infinite', 'true'].map(parseNumberWord)).toEqual(Array(9).fill(null));
  });

  it('reads a cell inside a longer line without copying the line', () => {
    const line = 'ab,-0.5,cd';

    expect(parseNumberCell(line, 3, 7)).toBe(-0.5);
    expect(Object.is(parseNumberCell('-0', 0, 2), -0)).toBe(true);
  });

  it('reads back every double exactly as JavaScript prints it, in plain and exponent form', () => {
    // String(-0) is "0", so -0 is checked on its own above.
    const doubles = fc.double({ noNaN: true }).filter((value) => !Object.is(value, -0));
    fc.assert(
      fc.property(doubles, (value) => {
        const printed = String(value);
        const exponent = value.toExponential();
        expect(parseNumberWord(printed)).toBe(value);
        expect(parseNumberWord(exponent)).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it('reads short decimals bit for bit as Number does, signs, leading zeros and bare points included', () => {
    const decimal = fc
      .tuple(fc.constantFrom('', '-', '+'), fc.stringMatching(/^[0-9]{1,15}$/), fc.integer({ min: 0, max: 15 }))
      .map(([sign, digits, point]) => {
        const at = Math.min(point, digits.length);
        return `${sign}${digits.slice(0, at)}.${digits.slice(at)}`;
      });
    fc.assert(
      fc.property(decimal, (cell) => {
        expect(Object.is(parseNumberWord(cell), Number(cell)), cell).toBe(true);
        const integer = cell.replace('.', '');
        expect(Object.is(parseNumberWord(integer), Number(integer)), integer).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
