import type { StateCreator } from 'zustand';

import type { LabState } from './labStore';

/** Display settings of the views; small and serialisable, so they can go in the URL later. */
export interface ViewState {
  /** EMA weight of the loss curve, in [0, 0.999]. */
  smoothing: number;
  /** Log-scale y on the loss curve. */
  logY: boolean;
  /** Draw the raw loss under the smoothed line. */
  showRaw: boolean;
  /** Stage index compared across checkpoints. */
  crossStage: number;
  setSmoothing(value: number): void;
  setLogY(value: boolean): void;
  setShowRaw(value: boolean): void;
  setCrossStage(value: number): void;
}

/** Creates the view slice. */
export const createViewSlice: StateCreator<LabState, [], [], ViewState> = (set) => ({
  smoothing: 0.9,
  logY: false,
  showRaw: true,
  crossStage: 4,
  setSmoothing: (smoothing) => set({ smoothing: Math.max(0, Math.min(0.999, smoothing)) }),
  setLogY: (logY) => set({ logY }),
  setShowRaw: (showRaw) => set({ showRaw }),
  setCrossStage: (crossStage) => set({ crossStage }),
});
