import * as Comlink from 'comlink';

import { isLabError } from '../io/errors';
import { analysisKey } from '../store/analysisSlice';
import { getAnalysis, getCrossCheckpoint, putAnalysis, putCrossCheckpoint } from '../store/resultCache';
import { logError } from './log';

import type { JobProgress, ParityReport } from '../../workers/engineApi';
import type { LabStore } from '../store/labStore';
import type { EngineClient } from './engineClient';
import type { UrlState } from './urlState';

let jobCounter = 0;

/** The controller's actions the views call. */
export interface LabController {
  /** Compares one stage across every checkpoint (on demand: it embeds each checkpoint). */
  compareAcrossCheckpoints(stageIndex: number): Promise<void>;
  /** Runs the PyTorch parity check on the current checkpoint. */
  checkParity(): Promise<ParityReport>;
  /** Cancels the running job; a cancelled checkpoint waits for `retry` instead of restarting. */
  cancelRunning(): void;
  /** Computes the current checkpoint's analysis again after a cancel or an error. */
  retry(): void;
  /** Reads dropped or picked files into the run; the report lands in the store. */
  importFiles(files: File[], paths?: string[]): Promise<void>;
  /** Back to the bundled demo. */
  useDemo(): Promise<void>;
  /** Moves a checkpoint within a user run's timeline. */
  moveCheckpoint(from: number, to: number): Promise<void>;
  /** Changes normalisation, image size or sensor stacking; throws a LabError with the reason. */
  setPreprocessing(change: { mean?: number[] | null; std?: number[] | null; size: number; stackSensors: boolean }): Promise<void>;
  /** Deletes what the browser keeps and refreshes the size shown. */
  clearStorage(): Promise<void>;
  /** The current checkpoint's weights as safetensors. */
  exportCheckpoint(): Promise<Blob>;
}

/**
 * Connects the store to the engine: picks the backend, loads the demo, and computes each
 * checkpoint's analysis when the scrubber reaches it (once; results are cached). Moving away
 * from a checkpoint whose analysis is still running cancels it.
 */
export function startLab(client: EngineClient, store: LabStore, url: UrlState, baseUrl: string): LabController {
  const { api } = client;
  let running: { jobId: string; key: string } | null = null;
  let userCancelled: string | null = null;

  const onProgress = Comlink.proxy((p: JobProgress) => {
    if (running?.jobId === p.jobId || p.jobId.startsWith('cross')) store.getState().setProgress(p);
  });

  const ensureAnalysis = async (): Promise<void> => {
    const s = store.getState();
    if (!s.run) return;
    const index = s.currentIndex;
    const key = analysisKey(s.run.id, index, s.options);
    const status = s.status[key];
    // Whatever the scrubber reached, a job for another checkpoint is no longer wanted.
    if (running && running.key !== key) void api.cancel(running.jobId);
    if (getAnalysis(key) || status === 'running' || status === 'cancelled' || status === 'error') return;
    const jobId = `analysis-${++jobCounter}`;
    running = { jobId, key };
    s.setStatus(key, 'running');
    try {
      const result = await api.analyzeCheckpoint(index, s.options, jobId, onProgress);
      putAnalysis(key, result);
      store.getState().setStatus(key, 'done');
      void refreshStored();
    } catch (error) {
      if (isLabError(error) && error.code === 'cancelled') {
        // Cancelled by the user: wait for Retry. Superseded by the scrubber: recompute on return.
        store.getState().setStatus(key, userCancelled === jobId ? 'cancelled' : 'pending');
      }
      else {
        logError('controller', `analysis of checkpoint ${index} failed`, error);
        store.getState().setStatus(key, 'error', error instanceof Error ? error.message : String(error));
      }
    } finally {
      if (running?.jobId === jobId) {
        running = null;
        store.getState().setProgress(null);
      }
      // The scrubber may have moved on while this ran.
      void ensureAnalysis();
    }
  };

  /** Refreshes the stored-size line; a storage that cannot be read leaves the line as it was. */
  const refreshStored = async (): Promise<void> => {
    try {
      store.getState().setStored(await api.storageInfo());
    } catch (error) {
      logError('controller', 'could not read the browser storage size', error);
    }
  };

  /** Brings back the files kept from an earlier visit, after the demo is up. */
  const restore = async (): Promise<void> => {
    try {
      const restored = await api.restoreWorkspace();
      if (restored) {
        store.getState().setImportReport(restored.report);
        store.getState().setRun(restored.run);
      }
    } catch (error) {
      store.getState().setImportReport({ checkpoints: [], logs: [], dataset: null, errors: [{ file: 'stored workspace', code: 'internal', message: error instanceof Error ? error.message : String(error) }] });
    }
    await refreshStored();
  };

  const boot = async (): Promise<void> => {
    try {
      store.getState().setEngineStatus('starting');
      store.getState().setBackend(await api.init(url.backend));
      store.getState().setEngineStatus('loading');
      const run = await api.loadDemo(baseUrl);
      store.getState().setRun(run, url.checkpoint ?? 0);
      store.getState().setEngineStatus('ready');
      void ensureAnalysis();
      await restore();
    } catch (error) {
      logError('controller', 'the engine could not start', error);
      store.getState().setEngineStatus('error', error instanceof Error ? error.message : String(error));
    }
  };

  store.subscribe((s, prev) => {
    if (s.run !== prev.run || s.currentIndex !== prev.currentIndex || s.options !== prev.options) void ensureAnalysis();
  });
  void boot();

  return {
    async compareAcrossCheckpoints(stageIndex) {
      const s = store.getState();
      if (!s.run) return;
      const key = crossCheckpointKey(s.run.id, stageIndex, s.options);
      if (getCrossCheckpoint(key) || s.status[key] === 'running') return;
      s.setStatus(key, 'running');
      const jobId = `cross-${++jobCounter}`;
      try {
        const result = await api.compareCheckpoints(stageIndex, s.options, jobId, onProgress);
        putCrossCheckpoint(key, result);
        store.getState().setStatus(key, 'done');
      } catch (error) {
        const cancelled = isLabError(error) && error.code === 'cancelled';
        store.getState().setStatus(key, cancelled ? 'cancelled' : 'error', cancelled ? undefined : error instanceof Error ? error.message : String(error));
      } finally {
        store.getState().setProgress(null);
      }
    },
    checkParity() {
      return api.verifyParity(store.getState().currentIndex);
    },
    cancelRunning() {
      const progress = store.getState().progress;
      if (!progress) return;
      userCancelled = progress.jobId;
      void api.cancel(progress.jobId);
    },
    async importFiles(files, paths) {
      const s = store.getState();
      s.setImporting(true);
      try {
        const payload = await Promise.all(files.map(async (f, i) => ({ path: paths?.[i] ?? (f.webkitRelativePath || f.name), bytes: await f.arrayBuffer() })));
        const { report, run } = await api.importFiles(Comlink.transfer(payload, payload.map((p) => p.bytes)));
        store.getState().setImportReport(report);
        if (run.id !== store.getState().run?.id) store.getState().setRun(run);
      } catch (error) {
        store.getState().setImportReport({ checkpoints: [], logs: [], dataset: null, errors: [{ file: files.map((f) => f.name).join(', '), code: 'internal', message: error instanceof Error ? error.message : String(error) }] });
      } finally {
        store.getState().setImporting(false);
        await refreshStored();
      }
    },
    async useDemo() {
      const run = await api.useDemo();
      store.getState().setImportReport(null);
      store.getState().setRun(run);
    },
    async moveCheckpoint(from, to) {
      const run = await api.moveCheckpoint(from, to);
      store.getState().setRun(run, to);
    },
    async setPreprocessing(change) {
      const run = await api.setPreprocessing(change);
      store.getState().setRun(run, store.getState().currentIndex);
      // The import report names the size the images were decoded at; keep it true.
      const report = store.getState().importReport;
      if (report?.dataset && report.dataset.imageSize !== run.preprocessing.size) {
        store.getState().setImportReport({ ...report, dataset: { ...report.dataset, imageSize: run.preprocessing.size, warnings: report.dataset.warnings.map((w) => w.replace(/centre-cropped to \d+x\d+/, `centre-cropped to ${run.preprocessing.size}x${run.preprocessing.size}`)) } });
      }
    },
    async clearStorage() {
      await api.clearStorage();
      await refreshStored();
    },
    async exportCheckpoint() {
      const bytes = await api.exportCheckpoint(store.getState().currentIndex);
      return new Blob([bytes as BlobPart], { type: 'application/octet-stream' });
    },
    retry() {
      const s = store.getState();
      if (s.run) s.setStatus(analysisKey(s.run.id, s.currentIndex, s.options), 'pending');
      void ensureAnalysis();
    },
  };
}

/** The key under which a cross-checkpoint comparison of `stageIndex` is cached. */
export function crossCheckpointKey(runId: string, stageIndex: number, options: Parameters<typeof analysisKey>[2]): string {
  return `cross|${stageIndex}|${analysisKey(runId, -1, options)}`;
}
