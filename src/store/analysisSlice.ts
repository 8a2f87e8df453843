import type { StateCreator } from 'zustand';

import type { AnalysisOptions } from '../../workers/engineApi';
import type { LabState } from './labStore';

/** Status of one checkpoint's analysis. */
export type AnalysisStatus = 'pending' | 'running' | 'done' | 'error' | 'cancelled';

/** Which checkpoints have results; the results themselves live in resultCache by key. */
export interface AnalysisState {
  /** Options every analysis uses now. */
  options: AnalysisOptions;
  /** Status per result key (see analysisKey). */
  status: Record<string, AnalysisStatus>;
  /** Error message per result key. */
  errors: Record<string, string>;
  setOptions(patch: Partial<AnalysisOptions>): void;
  setStatus(key: string, status: AnalysisStatus, error?: string): void;
}

/** The cache key of checkpoint `index`'s analysis in run `runId` under `options`. */
export function analysisKey(runId: string, index: number, options: AnalysisOptions): string {
  return `${runId}|${index}|${options.sampleCount}|${options.seed}|${options.ckaEstimator}`;
}

/** Creates the analysis slice with the options read from the URL. */
export const createAnalysisSlice =
  (initial: AnalysisOptions): StateCreator<LabState, [], [], AnalysisState> =>
  (set) => ({
    options: initial,
    status: {},
    errors: {},
    setOptions: (patch) => set((s) => ({ options: { ...s.options, ...patch } })),
    setStatus: (key, status, error) =>
      set((s) => ({
        status: { ...s.status, [key]: status },
        errors: error ? { ...s.errors, [key]: error } : s.errors,
      })),
  });
