import { describe, expect, it } from 'vitest';

import { compareStateDict, isBatchCounter, normalizeKeys, stripWrapperPrefixes } from '../../../workers/models/stateDictKeys';

describe('state-dict keys', () => {
  it('stripWrapperPrefixes removes DataParallel and torch.compile prefixes in any order', () => {
    expect(stripWrapperPrefixes('module.encoder.0.0.weight')).toBe('encoder.0.0.weight');
    expect(stripWrapperPrefixes('_orig_mod.module.encoder.0.0.weight')).toBe('encoder.0.0.weight');
    expect(stripWrapperPrefixes('module._orig_mod.0.0.weight')).toBe('0.0.weight');
    expect(stripWrapperPrefixes('encoder.module.x')).toBe('encoder.module.x');
  });

  it('normalizeKeys keeps the original key of every renamed entry', () => {
    const { table, original } = normalizeKeys(new Map([['module.a.weight', 1]]));
    expect([...table.keys()]).toEqual(['a.weight']);
    expect(original.get('a.weight')).toBe('module.a.weight');
  });

  it('compareStateDict reports missing, unexpected and mis-shaped keys like a strict load', () => {
    const expected = new Map([
      ['a.weight', [2, 3]],
      ['b.weight', [4]],
    ]);
    const found = new Map([
      ['a.weight', [3, 2]],
      ['c.weight', [1]],
      ['bn.num_batches_tracked', []],
    ]);
    expect(compareStateDict(expected, found, isBatchCounter)).toEqual({
      missing: ['b.weight'],
      unexpected: ['c.weight'],
      shapeMismatches: [{ key: 'a.weight', expected: [2, 3], found: [3, 2] }],
    });
  });
});
