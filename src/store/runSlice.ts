import type { StateCreator } from 'zustand';

import type { RunSummary } from '../../workers/engineApi';
import type { LabState } from './labStore';

/** The loaded run and the checkpoint every view shows. */
export interface RunState {
  /** The run's summary (timeline, log, architecture); null before loading. */
  run: RunSummary | null;
  /** Index into run.checkpoints of the checkpoint in view. */
  currentIndex: number;
  setRun(run: RunSummary, startIndex?: number): void;
  /** Moves every view to checkpoint `index`, clamped to the timeline. */
  setCurrentIndex(index: number): void;
  /** Moves by `delta` checkpoints (the arrow keys). */
  stepCheckpoint(delta: number): void;
}

/** Creates the run slice. */
export const createRunSlice: StateCreator<LabState, [], [], RunState> = (set, get) => ({
  run: null,
  currentIndex: 0,
  setRun: (run, startIndex = 0) => set({ run, currentIndex: clamp(startIndex, run.checkpoints.length) }),
  setCurrentIndex: (index) => {
    const run = get().run;
    if (run) set({ currentIndex: clamp(index, run.checkpoints.length) });
  },
  stepCheckpoint: (delta) => get().setCurrentIndex(get().currentIndex + delta),
});

function clamp(index: number, count: number): number {
  return Math.max(0, Math.min(count - 1, Math.round(index)));
}
