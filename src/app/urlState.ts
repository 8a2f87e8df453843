import type { AnalysisOptions, BackendRequest } from '../../workers/engineApi';

/** Sample size of the first analysis: enough for stable CKA, small enough to draw in seconds. */
export const DEFAULT_SAMPLE_COUNT = 1000;

const BACKENDS: BackendRequest[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

/** What the address bar can set: the backend, the sample, the checkpoint. */
export interface UrlState {
  /** `?backend=webgpu|webgl|wasm|cpu` forces a backend; default auto. */
  backend: BackendRequest;
  /** `?n=` images per analysis, `?seed=` sample and augmentation seed, `?cka=biased`. */
  analysis: AnalysisOptions;
  /** `?checkpoint=` index of the checkpoint to open on, or null for the first. */
  checkpoint: number | null;
}

/** Reads the lab's URL parameters tolerantly: unknown or malformed values fall back to defaults. */
export function readUrlState(search: string): UrlState {
  const params = new URLSearchParams(search);
  const backend = params.get('backend') as BackendRequest | null;
  const n = Number(params.get('n'));
  const seed = Number(params.get('seed'));
  const checkpoint = Number(params.get('checkpoint'));
  return {
    backend: backend && BACKENDS.includes(backend) ? backend : 'auto',
    analysis: {
      sampleCount: Number.isInteger(n) && n >= 8 ? n : DEFAULT_SAMPLE_COUNT,
      seed: Number.isInteger(seed) && params.has('seed') ? seed : 0,
      ckaEstimator: params.get('cka') === 'biased' ? 'biased' : 'unbiased',
    },
    checkpoint: params.has('checkpoint') && Number.isInteger(checkpoint) && checkpoint >= 0 ? checkpoint : null,
  };
}
