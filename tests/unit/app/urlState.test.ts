import { describe, expect, it } from 'vitest';

import { DEFAULT_SAMPLE_COUNT, readUrlState } from '../../../src/app/urlState';

describe('readUrlState', () => {
  it('readUrlState reads a forced backend, the sample, the seed, the estimator and the checkpoint', () => {
    expect(readUrlState('?backend=webgpu&n=32&seed=3&cka=biased&checkpoint=4')).toEqual({
      backend: 'webgpu',
      analysis: { sampleCount: 32, seed: 3, ckaEstimator: 'biased' },
      checkpoint: 4,
    });
  });

  it('readUrlState falls back to defaults for unknown or malformed values', () => {
    expect(readUrlState('?backend=cuda&n=abc&seed=1.5&checkpoint=-1')).toEqual({
      backend: 'auto',
      analysis: { sampleCount: DEFAULT_SAMPLE_COUNT, seed: 0, ckaEstimator: 'unbiased' },
      checkpoint: null,
    });
  });
});
