import type { StateCreator } from 'zustand';

import type { BackendReport, JobProgress } from '../../workers/engineApi';
import type { LabState } from './labStore';

/** Where the engine is: starting its backend, loading the run, ready, or failed. */
export type EngineStatus = 'starting' | 'loading' | 'ready' | 'error';

/** The engine's backend, its lifecycle and the progress of the job that runs now. */
export interface EngineState {
  /** The backend report; null until init returns. */
  backend: BackendReport | null;
  /** Lifecycle of the engine. */
  engineStatus: EngineStatus;
  /** A message to show when the engine failed (the run that was loaded stays). */
  engineError: string | null;
  /** Progress of the running job, or null when idle. */
  progress: JobProgress | null;
  setBackend(report: BackendReport): void;
  setEngineStatus(status: EngineStatus, error?: string | null): void;
  setProgress(progress: JobProgress | null): void;
}

/** Creates the engine slice. */
export const createEngineSlice: StateCreator<LabState, [], [], EngineState> = (set) => ({
  backend: null,
  engineStatus: 'starting',
  engineError: null,
  progress: null,
  setBackend: (backend) => set({ backend }),
  setEngineStatus: (engineStatus, engineError = null) => set({ engineStatus, engineError }),
  setProgress: (progress) => set({ progress }),
});
