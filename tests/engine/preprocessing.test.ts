import { describe, expect, it } from 'vitest';

import { assertPreprocessingChange } from '../../workers/engine/userImport';

describe('preprocessing changes', () => {
  it('assertPreprocessingChange accepts a size alone and matching mean and std lists', () => {
    expect(() => assertPreprocessingChange({ size: 64 })).not.toThrow();
    expect(() => assertPreprocessingChange({ size: 96, mean: [0.5, 0.5, 0.5], std: [0.2, 0.2, 0.2] })).not.toThrow();
    expect(() => assertPreprocessingChange({ size: 32, mean: null, std: null })).not.toThrow();
  });

  it('assertPreprocessingChange refuses bad sizes and normalisations, saying what to give', () => {
    expect(() => assertPreprocessingChange({ size: 8 })).toThrow('The image size must be a whole number of pixels between 16 and 512; got 8.');
    expect(() => assertPreprocessingChange({ size: 64, mean: [0.5], std: null })).toThrow('Give a mean and a standard deviation for every channel');
    expect(() => assertPreprocessingChange({ size: 64, mean: [0.5, 0.4], std: [0.2] })).toThrow('Give a mean and a standard deviation for every channel');
    expect(() => assertPreprocessingChange({ size: 64, mean: [0.5], std: [0] })).toThrow('Every standard deviation must be a positive number.');
    expect(() => assertPreprocessingChange({ size: 64, mean: [Number.NaN], std: [0.2] })).toThrow('Every mean must be a number');
  });
});
