import { describe, expect, it } from 'vitest';

import { DEFAULT_SAMPLE_COUNT, readUrlState, writeUrlState } from '../../../src/app/urlState';

describe('readUrlState', () => {
  it('readUrlState reads a forced backend, the sample, the seed, the estimator and the checkpoint', () => {
    expect(readUrlState('?backend=webgpu&n=32&seed=3&cka=biased&checkpoint=4')).toEqual({
      backend: 'webgpu',
      analysis: { sampleCount: 32, seed: 3, ckaEstimator: 'biased' },
      checkpoint: 4,
      notices: [],
    });
  });

  it('readUrlState falls back to defaults for malformed values and says what it ignored', () => {
    const state = readUrlState('?backend=cuda&n=abc&seed=1.5&checkpoint=-1&cka=xyz');
    expect(state.backend).toBe('auto');
    expect(state.analysis).toEqual({ sampleCount: DEFAULT_SAMPLE_COUNT, seed: 0, ckaEstimator: 'unbiased' });
    expect(state.checkpoint).toBeNull();
    expect(state.notices).toEqual([
      'Ignored backend=cuda: use webgpu, webgl, wasm or cpu.',
      'Ignored n=abc: the sample size is a whole number of images, at least 8.',
      'Ignored seed=1.5: the seed is a whole number.',
      'Ignored cka=xyz: use unbiased or biased.',
      'Ignored checkpoint=-1: use a checkpoint index from 0.',
    ]);
  });

  it('readUrlState raises a sample below 8 to 8 rather than to the default', () => {
    const state = readUrlState('?n=7');
    expect(state.analysis.sampleCount).toBe(8);
    expect(state.notices).toEqual(['n=7 is below the smallest sample the views can use; using 8.']);
  });

  it('writeUrlState writes the checkpoint and non-default settings and keeps other parameters', () => {
    const search = writeUrlState('?backend=wasm&checkpoint=2', { checkpoint: 5, analysis: { sampleCount: 1000, seed: 3, ckaEstimator: 'biased' } });
    expect(search).toBe('?backend=wasm&checkpoint=5&seed=3&cka=biased');
    expect(writeUrlState('?checkpoint=5', { checkpoint: 0, analysis: { sampleCount: 1000, seed: 0, ckaEstimator: 'unbiased' } })).toBe('');
    expect(readUrlState(search).checkpoint).toBe(5);
  });
});
