import type { StateCreator } from 'zustand';

import type { ImportReport, StorageInfo } from '../../workers/engineApi';
import type { LabState } from './labStore';

/** The user's own files: the last import's report and what the browser keeps. */
export interface WorkspaceState {
  /** Report of the last import (or of the restore at start-up); null before any. */
  importReport: ImportReport | null;
  /** True while files are being read. */
  importing: boolean;
  /** Bytes and files kept in the browser's storage; null until asked. */
  stored: StorageInfo | null;
  setImportReport(report: ImportReport | null): void;
  setImporting(importing: boolean): void;
  setStored(stored: WorkspaceState['stored']): void;
}

/** Creates the workspace slice. */
export const createWorkspaceSlice: StateCreator<LabState, [], [], WorkspaceState> = (set) => ({
  importReport: null,
  importing: false,
  stored: null,
  setImportReport: (importReport) => set({ importReport }),
  setImporting: (importing) => set({ importing }),
  setStored: (stored) => set({ stored }),
});
