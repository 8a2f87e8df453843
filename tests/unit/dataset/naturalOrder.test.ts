import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { compareNatural } from '../../../src/io/dataset';

describe('compareNatural', () => {
  it('orders digit runs by value and text case-insensitively', () => {
    const ids = ['id_10', 'ID_9', 'id_2', '10', '2', '1', '01', 'b', 'A', 'a'];

    expect([...ids].sort(compareNatural)).toEqual(['01', '1', '2', '10', 'A', 'a', 'b', 'id_2', 'ID_9', 'id_10']);
  });

  it('orders ids longer than a double can hold by their digits', () => {
    expect(['123456789012345678901', '123456789012345678900'].sort(compareNatural)).toEqual(['123456789012345678900', '123456789012345678901']);
  });

  it('is a total order: antisymmetric, zero only for equal strings, and transitive (property)', () => {
    const id = fc.stringMatching(/^[a-cA-C0-9_]{0,6}$/);
    fc.assert(
      fc.property(id, id, id, (a, b, c) => {
        expect(Math.sign(compareNatural(a, b))).toBe(-Math.sign(compareNatural(b, a)) || 0);
        expect(compareNatural(a, b) === 0).toBe(a === b);
        if (compareNatural(a, b) < 0 && compareNatural(b, c) < 0) expect(compareNatural(a, c)).toBeLessThan(0);
      }),
      { seed: 5, numRuns: 500 },
    );
  });
});
