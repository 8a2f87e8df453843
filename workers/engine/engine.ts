import * as tf from '@tensorflow/tfjs';

import { LabError } from '../../src/io/errors';
import { orderCheckpoints } from '../../src/io/run/checkpointOrder';
import { selectBackend } from '../backend';
import { widenFirstConv } from '../models/adaptInput';
import { buildModel } from '../models/buildModel';
import { ANALYSIS_PIECES, analyseCheckpoint, analysisUnits, compareAcrossCheckpoints, stageCkaOnly } from './checkpointAnalysis';
import { embed } from './embedder';
import { decodeImage } from './imageDecode';
import { cancelJob, createJob } from './jobs';
import { checkParity } from './parity';
import { DEMO_MANIFEST_PATH, fetchRun } from './runData';
import { defaultNormalisation } from './runSource';
import { sampleViews, validateSampleCount, viewSetKey } from './sampleViews';
import { measureThroughput } from './throughput';
import { clearStoredResults, loadResult, saveResult, storedResultsSize } from './resultStore';
import { DEFAULT_PREPROCESSING, assertPreprocessingChange, buildDataset, importFiles } from './userImport';
import { NO_USER_PARTS, composeUserRun, exportSafetensors, filesOfParts } from './userRun';
import { clearStoredFiles, loadStoredFiles, replaceStoredFiles, storedSize } from './workspaceStore';

import type { RecognisedModel } from '../models/buildModel';
import type { AnalysisOptions, BackendReport, BackendRequest, CheckpointAnalysis, EngineApi, ImportReport, RunSummary } from '../engineApi';
import type { FeatureSet, Normalisation } from './embedder';
import type { RunSource } from './runSource';
import type { ViewSet } from './sampleViews';
import type { DatasetPreprocessing } from './userImport';
import type { UserParts } from './userRun';

/** The fewest items the views can analyse (validateSampleCount's floor). */
const MIN_USABLE_ITEMS = 8;

/** Models kept uploaded at once; each is a few MB, and scrubbing revisits neighbours. */
const MODEL_CACHE_SIZE = 3;

/**
 * Creates the engine: one object owning every tensor, the run's data and all caches. The worker
 * exposes it through comlink; tests call it directly on the tfjs cpu backend in Node.
 */
export function createEngine(): EngineApi {
  let backend: BackendReport | null = null;
  let demo: RunSource | null = null;
  let run: RunSource | null = null;
  let user: UserParts = NO_USER_PARTS;
  let preprocessing: DatasetPreprocessing = DEFAULT_PREPROCESSING;
  let normalisationOverride: Normalisation | null = null;
  /** True once the user moved a checkpoint: later drops then keep that order. */
  let manualOrder = false;
  const models = new Map<number, Promise<RecognisedModel>>();
  const features = new Map<string, Promise<FeatureSet>>();
  const analyses = new Map<string, Promise<CheckpointAnalysis>>();
  let views: ViewSet | null = null;

  const requireRun = (): RunSource => {
    if (!run) throw new LabError('invalid_input', 'No run is loaded yet; load the demo or a checkpoint first.');
    return run;
  };

  /** Makes `next` the current run and forgets every result of the previous one. */
  const setRun = (next: RunSource): void => {
    run = next;
    for (const promise of models.values()) void promise.then((m) => m.network.dispose(), () => undefined);
    models.clear();
    features.clear();
    analyses.clear();
    views = null;
  };

  const model = (index: number): Promise<RecognisedModel> => {
    const cached = models.get(index);
    if (cached) {
      // Re-insert to mark it most recently used.
      models.delete(index);
      models.set(index, cached);
      return cached;
    }
    const r = requireRun();
    // Stacked RGB+NIR images widen the checkpoint's first conv; 1 and 3 channels are converted
    // on the image side instead (gray replicated, RGB to luma), which keeps the trained filters.
    const widen = r.data.channels === 4;
    const loading = r.loadModel?.(index) ?? r.loadCheckpoint(index).then((ckpt) => buildModel((widen ? widenFirstConv(ckpt.tensors, 4)?.tensors : null) ?? ckpt.tensors));
    loading.catch(() => models.delete(index));
    models.set(index, loading);
    while (models.size > MODEL_CACHE_SIZE) {
      const [oldest, promise] = models.entries().next().value as [number, Promise<RecognisedModel>];
      models.delete(oldest);
      void promise.then((m) => m.network.dispose(), () => undefined);
    }
    return loading;
  };

  const viewSet = async (options: AnalysisOptions): Promise<ViewSet> => {
    const r = requireRun();
    const channels = (await model(0)).architecture.inputChannels;
    const key = viewSetKey(r.id, validateSampleCount(options.sampleCount, r.data.count), options.seed, channels);
    if (views?.key !== key) views = sampleViews(r.data, r.id, channels, options.sampleCount, options.seed);
    return views;
  };

  const normalisation = (r: RunSource, channels: number): Normalisation => {
    if (normalisationOverride && normalisationOverride.mean.length === channels) return normalisationOverride;
    return r.normalisation.mean.length === channels ? r.normalisation : defaultNormalisation(channels);
  };

  /** Features of one view of the sample through checkpoint `index`, computed once. */
  const viewFeatures = async (index: number, view: 0 | 1, options: AnalysisOptions, job: ReturnType<typeof createJob>, offset: number): Promise<FeatureSet> => {
    const vs = await viewSet(options);
    const key = `${index}|${vs.key}|${view}`;
    const cached = features.get(key);
    if (cached) {
      job.advance(vs.indices.length);
      return cached;
    }
    const r = requireRun();
    const work = (async () => {
      const m = await model(index);
      job.phase(view === 0 ? 'embedding view A' : 'embedding view B');
      return embed(m.network, view === 0 ? vs.a : vs.b, [vs.indices.length, r.data.height, r.data.width, vs.channels], normalisation(r, vs.channels), job.hooks(offset, vs.indices.length));
    })();
    work.catch(() => features.delete(key));
    features.set(key, work);
    return work;
  };

  /**
   * What a stored result of checkpoint `index` depends on: the checkpoint file, the data, the
   * preprocessing and the options; the timeline position is left out so a reorder keeps it.
   */
  const resultKey = (index: number, options: AnalysisOptions): string => {
    const r = requireRun();
    const own = user.checkpoints?.[index];
    const checkpoint = own ? `${own.file}:${own.bytes.length}` : `${r.name}/${r.checkpoints[index].file}`;
    const data = `${r.data.name}:${r.data.count}:${r.data.images.length}:${r.data.channels}`;
    return [checkpoint, data, JSON.stringify(preprocessing), JSON.stringify(normalisationOverride), options.sampleCount, options.seed, options.ckaEstimator].join('|');
  };

  const summary = async (): Promise<RunSummary> => {
    const r = requireRun();
    const first = await model(0);
    return {
      id: r.id,
      kind: r.kind,
      name: r.name,
      description: r.description,
      checkpoints: r.checkpoints.map((c, index) => ({ index, ...c })),
      events: r.events,
      log: r.log,
      nPrototypes: first.architecture.nPrototypes ?? r.nPrototypes,
      architecture: first.architecture,
      imageCount: r.data.count,
      inputSize: [r.data.height, r.data.width],
      classNames: r.data.classNames,
      dataName: r.data.name,
      pairing: r.data.pairing,
      ownCheckpoints: r.kind === 'user' && user.checkpoints !== null,
      hasReference: r.referenceUrl !== null,
      logMatchesCheckpoints: r.kind === 'demo' || (user.checkpoints !== null) === (user.logs !== null),
      preprocessing: { ...normalisation(r, first.architecture.inputChannels), ...preprocessing },
      dataChannels: r.data.channels,
    };
  };

  const composeRun = (): RunSource => composeUserRun(demo!, user);

  const applyImport = async (files: { path: string; bytes: Uint8Array }[]): Promise<{ report: ImportReport; run: RunSummary }> => {
    const result = await importFiles(files, decodeImage, preprocessing);
    const previous = user;
    const next: UserParts = { ...user };
    if (result.checkpoints.length > 0) {
      const sorted = (list: typeof result.checkpoints) =>
        orderCheckpoints(list.map((c) => ({ name: c.file, position: { step: c.step, epoch: c.epoch, source: 'none' } }))).map((i) => list[i]);
      // After the user reordered the timeline by hand, new checkpoints go after it, in run order.
      next.checkpoints = manualOrder ? [...(user.checkpoints ?? []), ...sorted(result.checkpoints)] : sorted([...(user.checkpoints ?? []), ...result.checkpoints]);
    }
    if (result.logs.length > 0) {
      next.logs = result.logs;
      next.logFiles = result.logFiles;
    }
    if (result.data && result.data.count >= MIN_USABLE_ITEMS) {
      next.data = result.data;
      next.dataFiles = result.dataFiles;
    } else if (result.data) {
      // Too few readable images must not replace the data the views are showing.
      result.report.errors.push({
        file: 'dataset',
        code: 'invalid_input',
        message: `Only ${result.data.count} of the dropped images could be used; the views need at least ${MIN_USABLE_ITEMS}, so the ${user.data ? 'dataset loaded before' : "demo's images"} stay${user.data ? 's' : ''} in use.`,
      });
    }
    user = next;
    const previousRun = run;
    try {
      setRun(composeRun());
      return { report: result.report, run: await summary() };
    } catch (error) {
      // The new parts do not work together (e.g. images the checkpoint cannot take): keep the
      // run the user had and report why.
      user = previous;
      if (previousRun) setRun(previousRun);
      const message = error instanceof Error ? error.message : String(error);
      result.report.errors.push({ file: 'run', code: error instanceof LabError ? error.code : 'internal', message });
      return { report: result.report, run: await summary() };
    }
  };

  return {
    async init(request: BackendRequest) {
      backend = await selectBackend(request, 'inference');
      return backend;
    },

    async loadDemo(baseUrl: string): Promise<RunSummary> {
      demo = await fetchRun(new URL(DEMO_MANIFEST_PATH, baseUrl).href);
      user = NO_USER_PARTS;
      setRun(demo);
      return summary();
    },

    analyzeCheckpoint(index, options, jobId, onProgress) {
      const r = requireRun();
      const key = `${r.id}|${index}|${options.sampleCount}|${options.seed}|${options.ckaEstimator}`;
      const cached = analyses.get(key);
      if (cached) return cached;
      // Switching the CKA estimator recomputes CKA alone: every other result does not depend on it.
      const other = analyses.get(`${r.id}|${index}|${options.sampleCount}|${options.seed}|${options.ckaEstimator === 'biased' ? 'unbiased' : 'biased'}`);
      if (other) {
        const swapped = other.then(async (done) => {
          const a = await viewFeatures(index, 0, options, createJob(jobId, 0, null), 0);
          return { ...done, options, stageCka: stageCkaOnly(a, options.ckaEstimator) };
        });
        swapped.catch(() => analyses.delete(key));
        analyses.set(key, swapped);
        return swapped;
      }
      const work = (async () => {
        const stored = await loadResult(resultKey(index, options)).catch(() => null);
        if (stored) return { ...stored, checkpointIndex: index };
        const n = (await viewSet(options)).indices.length;
        const job = createJob(jobId, 2 * n + analysisUnits(n), onProgress);
        try {
          const started = performance.now();
          const a = await viewFeatures(index, 0, options, job, 0);
          const b = await viewFeatures(index, 1, options, job, n);
          const embedMs = performance.now() - started;
          const m = await model(index);
          const t1 = performance.now();
          let pieces = 0;
          const result = await analyseCheckpoint(index, options, a, b, m.tensors, m.network.headSpec, {
            before: async (piece) => {
              pieces += 1;
              job.phase(piece, `step ${pieces} of ${ANALYSIS_PIECES}`);
              await new Promise((resolve) => setTimeout(resolve, 0));
              job.check();
            },
            after: (units) => job.advance(units),
          });
          job.finish();
          const done = { ...result, timings: { embedMs, analysisMs: performance.now() - t1 } };
          // Stored before the result is handed out, so the storage line counted right after it is
          // right; keeping results is a convenience, so a full storage must not fail the analysis.
          await saveResult(resultKey(index, options), done).catch(() => undefined);
          return done;
        } catch (error) {
          job.abandon();
          throw error;
        }
      })();
      work.catch(() => analyses.delete(key));
      analyses.set(key, work);
      return work;
    },

    async compareCheckpoints(stageIndex, options, jobId, onProgress) {
      const r = requireRun();
      const count = r.checkpoints.length;
      const n = (await viewSet(options)).indices.length;
      const job = createJob(jobId, count * n, onProgress);
      const sets: FeatureSet[] = [];
      try {
        for (let i = 0; i < count; i++) {
          job.phase(`checkpoint ${i + 1} of ${count}`);
          sets.push(await viewFeatures(i, 0, options, job, i * n));
        }
        job.finish();
      } catch (error) {
        job.abandon();
        throw error;
      }
      const labels = r.checkpoints.map((c) => (Number.isFinite(c.step) ? `step ${c.step}` : Number.isFinite(c.epoch) ? `epoch ${c.epoch}` : c.file));
      return compareAcrossCheckpoints(sets, stageIndex, labels, options.ckaEstimator);
    },

    async verifyParity(index) {
      const r = requireRun();
      if (!r.referenceUrl) throw new LabError('invalid_input', 'This run has no PyTorch reference outputs to compare with; the bundled demo has them.');
      const m = await model(index);
      return checkParity(m.network, r.referenceUrl, r.checkpoints[index].step, index, backend?.name ?? (tf.getBackend() as never));
    },

    async cancel(jobId) {
      cancelJob(jobId);
    },

    async measureThroughput(images, batchSize) {
      const r = requireRun();
      const m = await model(r.checkpoints.length - 1);
      const vs = await viewSet({ sampleCount: Math.min(images, r.data.count), seed: 0, ckaEstimator: 'unbiased' });
      return measureThroughput(m, vs.a, [vs.indices.length, r.data.height, r.data.width, vs.channels], normalisation(r, vs.channels), batchSize, backend?.name ?? (tf.getBackend() as never));
    },

    async importFiles(files) {
      if (!demo) throw new LabError('invalid_input', 'The lab is still starting; drop the files again in a moment.');
      const decoded = files.map((f) => ({ path: f.path, bytes: new Uint8Array(f.bytes) }));
      const result = await applyImport(decoded);
      // Keeping the files is a convenience: a full or missing storage must not fail the import.
      await replaceStoredFiles(filesOfParts(user)).catch((error: unknown) => {
        result.report.errors.push({ file: 'storage', code: 'internal', message: `The files are loaded but could not be kept for the next visit: ${error instanceof Error ? error.message : String(error)}` });
      });
      return result;
    },

    async useDemo() {
      if (!demo) throw new LabError('invalid_input', 'The demo is not loaded yet.');
      user = NO_USER_PARTS;
      manualOrder = false;
      setRun(demo);
      // The next visit opens on the demo too.
      await clearStoredFiles().catch(() => undefined);
      return summary();
    },

    async setPreprocessing(change) {
      const next: DatasetPreprocessing = { size: change.size, stackSensors: change.stackSensors };
      assertPreprocessingChange(change);
      const keep = change.mean === undefined && change.std === undefined;
      const redecode = user.dataFiles !== null && (next.size !== preprocessing.size || next.stackSensors !== preprocessing.stackSensors);
      let data = user.data;
      if (redecode) {
        const report: ImportReport = { checkpoints: [], logs: [], dataset: null, errors: [] };
        data = await buildDataset(user.dataFiles!, decodeImage, report, next);
      }
      const previous = { preprocessing, normalisationOverride, user, run };
      preprocessing = next;
      if (!keep) normalisationOverride = change.mean && change.std ? { mean: change.mean, std: change.std } : null;
      user = { ...user, data };
      setRun(composeRun());
      const channels = (await model(0)).architecture.inputChannels;
      if (normalisationOverride && normalisationOverride.mean.length !== channels && keep) {
        // Stacking changed the channel count: an earlier custom normalisation no longer fits.
        normalisationOverride = null;
      } else if (normalisationOverride && normalisationOverride.mean.length !== channels) {
        // A normalisation for another channel count would be ignored silently: refuse it.
        ({ preprocessing, normalisationOverride, user } = previous);
        if (previous.run) setRun(previous.run);
        throw new LabError('invalid_input', `The checkpoint takes ${channels} input channel${channels === 1 ? '' : 's'}; give ${channels} mean${channels === 1 ? '' : 's'} and ${channels} standard deviation${channels === 1 ? '' : 's'}.`);
      }
      return summary();
    },

    async moveCheckpoint(from, to) {
      const own = user.checkpoints;
      if (!own) throw new LabError('invalid_input', "The demo's checkpoints are in run order already; load your own checkpoints to reorder them.");
      if (from < 0 || from >= own.length || to < 0 || to >= own.length) throw new LabError('invalid_input', `There are ${own.length} checkpoints; cannot move ${from} to ${to}.`);
      const next = [...own];
      const [moved] = next.splice(from, 1);
      next.splice(to, 0, moved);
      manualOrder = true;
      user = { ...user, checkpoints: next };
      setRun(composeRun());
      return summary();
    },

    async restoreWorkspace() {
      const files = await loadStoredFiles();
      if (!files || !demo) return null;
      return applyImport(files);
    },

    async storageInfo() {
      const [files, results] = await Promise.all([storedSize(), storedResultsSize()]);
      return { ...files, resultBytes: results.bytes, results: results.files };
    },

    async clearStorage() {
      await Promise.all([clearStoredFiles(), clearStoredResults()]);
    },

    async exportCheckpoint(index) {
      const r = requireRun();
      // A LayersModel's weights go out under their tfjs names; a state dict keeps the file's keys.
      if (r.kind === 'user' && user.checkpoints?.[index]?.layers) return exportSafetensors((await model(index)).tensors);
      return exportSafetensors((await r.loadCheckpoint(index)).tensors);
    },

    async memory() {
      const mem = tf.memory();
      return { numTensors: mem.numTensors, numBytes: mem.numBytes };
    },
  };
}
