import { createStore, useStore } from 'zustand';

import { createAnalysisSlice } from './analysisSlice';
import { createEngineSlice } from './engineSlice';
import { createRunSlice } from './runSlice';
import { createViewSlice } from './viewSlice';
import { createWorkspaceSlice } from './workspaceSlice';

import type { AnalysisOptions } from '../../workers/engineApi';
import type { AnalysisState } from './analysisSlice';
import type { EngineState } from './engineSlice';
import type { RunState } from './runSlice';
import type { ViewState } from './viewSlice';
import type { WorkspaceState } from './workspaceSlice';

/** The whole UI state: one store composed of feature slices. */
export type LabState = EngineState & RunState & AnalysisState & ViewState & WorkspaceState;

/** Creates the vanilla store; the engine controller writes to it outside React. */
export function createLabStore(initialOptions: AnalysisOptions) {
  return createStore<LabState>()((...a) => ({
    ...createEngineSlice(...a),
    ...createRunSlice(...a),
    ...createAnalysisSlice(initialOptions)(...a),
    ...createViewSlice(...a),
    ...createWorkspaceSlice(...a),
  }));
}

/** The store type. */
export type LabStore = ReturnType<typeof createLabStore>;

let current: LabStore | null = null;

/** Installs the app's store (once, at start-up). */
export function installLabStore(store: LabStore): void {
  current = store;
}

/** The app's store, for non-React code. */
export function labStore(): LabStore {
  if (!current) throw new Error('labStore: installLabStore was not called at start-up');
  return current;
}

/** React hook over the app's store with a narrow selector. */
export function useLab<T>(selector: (state: LabState) => T): T {
  return useStore(labStore(), selector);
}
