import type { AnalysisOptions, BackendRequest } from '../../workers/engineApi';

/** Sample size of the first analysis: enough for stable CKA, small enough to draw in seconds. */
export const DEFAULT_SAMPLE_COUNT = 1000;

const BACKENDS: BackendRequest[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

/** The smallest sample the views accept (the engine refuses fewer). */
const MIN_SAMPLE_COUNT = 8;

/** What the address bar can set: the backend, the sample, the checkpoint. */
export interface UrlState {
  /** `?backend=webgpu|webgl|wasm|cpu` forces a backend; default auto. */
  backend: BackendRequest;
  /** `?n=` images per analysis, `?seed=` sample and augmentation seed, `?cka=biased`. */
  analysis: AnalysisOptions;
  /** `?checkpoint=` index of the checkpoint to open on, or null for the first. */
  checkpoint: number | null;
  /** What was ignored or adjusted, for the page to say. */
  notices: string[];
}

/**
 * Reads the lab's URL parameters tolerantly: a malformed value falls back to its default and
 * adds a notice that says what was ignored and what is accepted.
 */
export function readUrlState(search: string): UrlState {
  const params = new URLSearchParams(search);
  const notices: string[] = [];
  const backendParam = params.get('backend');
  let backend: BackendRequest = 'auto';
  if (backendParam !== null) {
    if (BACKENDS.includes(backendParam as BackendRequest)) backend = backendParam as BackendRequest;
    else notices.push(`Ignored backend=${backendParam}: use webgpu, webgl, wasm or cpu.`);
  }

  let sampleCount = DEFAULT_SAMPLE_COUNT;
  if (params.has('n')) {
    const n = Number(params.get('n'));
    if (!Number.isInteger(n) || n <= 0) notices.push(`Ignored n=${params.get('n')}: the sample size is a whole number of images, at least ${MIN_SAMPLE_COUNT}.`);
    else if (n < MIN_SAMPLE_COUNT) {
      sampleCount = MIN_SAMPLE_COUNT;
      notices.push(`n=${n} is below the smallest sample the views can use; using ${MIN_SAMPLE_COUNT}.`);
    } else sampleCount = n;
  }

  let seed = 0;
  if (params.has('seed')) {
    const value = Number(params.get('seed'));
    if (Number.isInteger(value)) seed = value;
    else notices.push(`Ignored seed=${params.get('seed')}: the seed is a whole number.`);
  }

  const cka = params.get('cka');
  if (cka !== null && cka !== 'biased' && cka !== 'unbiased') notices.push(`Ignored cka=${cka}: use unbiased or biased.`);

  let checkpoint: number | null = null;
  if (params.has('checkpoint')) {
    const value = Number(params.get('checkpoint'));
    if (Number.isInteger(value) && value >= 0) checkpoint = value;
    else notices.push(`Ignored checkpoint=${params.get('checkpoint')}: use a checkpoint index from 0.`);
  }

  return { backend, analysis: { sampleCount, seed, ckaEstimator: cka === 'biased' ? 'biased' : 'unbiased' }, checkpoint, notices };
}

/**
 * The address for the current state, so a reload or a shared link opens the same view: the
 * checkpoint, sample, seed and estimator are written, defaults left out; other parameters kept.
 */
export function writeUrlState(search: string, state: { checkpoint: number; analysis: AnalysisOptions }): string {
  const params = new URLSearchParams(search);
  const set = (key: string, value: string | null) => (value === null ? params.delete(key) : params.set(key, value));
  set('checkpoint', state.checkpoint > 0 ? String(state.checkpoint) : null);
  set('n', state.analysis.sampleCount !== DEFAULT_SAMPLE_COUNT ? String(state.analysis.sampleCount) : null);
  set('seed', state.analysis.seed !== 0 ? String(state.analysis.seed) : null);
  set('cka', state.analysis.ckaEstimator === 'biased' ? 'biased' : null);
  const text = params.toString();
  return text ? `?${text}` : '';
}
