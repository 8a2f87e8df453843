import * as tf from '@tensorflow/tfjs';

import { LabError } from '../../src/io/errors';
import { selectBackend } from '../backend';
import { buildModel } from '../models/buildModel';
import { analyseCheckpoint, compareAcrossCheckpoints } from './checkpointAnalysis';
import { embed } from './embedder';
import { cancelJob, createJob } from './jobs';
import { checkParity } from './parity';
import { DEMO_MANIFEST_PATH, fetchCheckpoint, fetchRun } from './runData';
import { sampleViews } from './sampleViews';
import { measureThroughput } from './throughput';

import type { RecognisedModel } from '../models/buildModel';
import type {
  AnalysisOptions,
  BackendReport,
  BackendRequest,
  CheckpointAnalysis,
  EngineApi,
  RunSummary,
} from '../engineApi';
import type { FeatureSet } from './embedder';
import type { LoadedRun } from './runData';
import type { ViewSet } from './sampleViews';

/** Models kept uploaded at once; each is a few MB, and scrubbing revisits neighbours. */
const MODEL_CACHE_SIZE = 3;

/**
 * Creates the engine: one object owning every tensor, the run's data and all caches. The worker
 * exposes it through comlink; tests call it directly on the tfjs cpu backend in Node.
 */
export function createEngine(): EngineApi {
  let backend: BackendReport | null = null;
  let run: LoadedRun | null = null;
  const models = new Map<number, Promise<RecognisedModel>>();
  const features = new Map<string, Promise<FeatureSet>>();
  const analyses = new Map<string, Promise<CheckpointAnalysis>>();
  let views: ViewSet | null = null;

  const requireRun = (): LoadedRun => {
    if (!run) throw new LabError('invalid_input', 'No run is loaded yet; load the demo or a checkpoint first.');
    return run;
  };

  const model = (index: number): Promise<RecognisedModel> => {
    const cached = models.get(index);
    if (cached) {
      // Re-insert to mark it most recently used.
      models.delete(index);
      models.set(index, cached);
      return cached;
    }
    const loading = fetchCheckpoint(requireRun(), index).then((ckpt) => buildModel(ckpt.tensors));
    loading.catch(() => models.delete(index));
    models.set(index, loading);
    while (models.size > MODEL_CACHE_SIZE) {
      const [oldest, promise] = models.entries().next().value as [number, Promise<RecognisedModel>];
      models.delete(oldest);
      void promise.then((m) => m.network.dispose(), () => undefined);
    }
    return loading;
  };

  const viewSet = (options: AnalysisOptions): ViewSet => {
    const r = requireRun();
    const key = `${Math.min(options.sampleCount, r.count)}|${options.seed}`;
    if (views?.key !== key) views = sampleViews(r.images, r.count, r.manifest.input, options.sampleCount, options.seed);
    return views;
  };

  /** Features of one view of the sample through checkpoint `index`, computed once. */
  const viewFeatures = (index: number, view: 0 | 1, options: AnalysisOptions, job: ReturnType<typeof createJob>, offset: number): Promise<FeatureSet> => {
    const vs = viewSet(options);
    const key = `${index}|${vs.key}|${view}`;
    const cached = features.get(key);
    if (cached) {
      job.advance(vs.indices.length);
      return cached;
    }
    const { height, width, channels, mean, std } = requireRun().manifest.input;
    const work = (async () => {
      const m = await model(index);
      job.phase(view === 0 ? 'embedding view A' : 'embedding view B');
      return embed(m.network, view === 0 ? vs.a : vs.b, [vs.indices.length, height, width, channels], { mean, std }, job.hooks(offset));
    })();
    work.catch(() => features.delete(key));
    features.set(key, work);
    return work;
  };

  return {
    async init(request: BackendRequest) {
      backend = await selectBackend(request, 'inference');
      return backend;
    },

    async loadDemo(baseUrl: string): Promise<RunSummary> {
      const manifestUrl = new URL(DEMO_MANIFEST_PATH, baseUrl).href;
      const loaded = await fetchRun(manifestUrl);
      run = loaded;
      models.clear();
      features.clear();
      analyses.clear();
      views = null;
      const first = await model(0);
      return {
        name: loaded.manifest.name,
        description: loaded.manifest.description,
        checkpoints: loaded.manifest.checkpoints.map((c, index) => ({ index, ...c })),
        events: loaded.manifest.events,
        log: loaded.log,
        nPrototypes: first.architecture.nPrototypes ?? loaded.manifest.swav.nPrototypes,
        architecture: first.architecture,
        imageCount: loaded.count,
        inputSize: [loaded.manifest.input.height, loaded.manifest.input.width],
        classNames: loaded.classNames,
      };
    },

    analyzeCheckpoint(index, options, jobId, onProgress) {
      const key = `${index}|${options.sampleCount}|${options.seed}|${options.ckaEstimator}`;
      const cached = analyses.get(key);
      if (cached) return cached;
      const work = (async () => {
        const n = viewSet(options).indices.length;
        const job = createJob(jobId, 2 * n, onProgress);
        try {
          const started = performance.now();
          const a = await viewFeatures(index, 0, options, job, 0);
          const b = await viewFeatures(index, 1, options, job, n);
          const embedMs = performance.now() - started;
          job.phase('comparing representations');
          const m = await model(index);
          const t1 = performance.now();
          const result = analyseCheckpoint(index, options, a, b, m.tensors, m.network.headSpec);
          job.finish();
          return { ...result, timings: { embedMs, analysisMs: performance.now() - t1 } };
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
      const count = r.manifest.checkpoints.length;
      const job = createJob(jobId, count * viewSet(options).indices.length, onProgress);
      const sets: FeatureSet[] = [];
      try {
        for (let i = 0; i < count; i++) {
          job.phase(`checkpoint ${i + 1} of ${count}`);
          sets.push(await viewFeatures(i, 0, options, job, i * viewSet(options).indices.length));
        }
        job.finish();
      } catch (error) {
        job.abandon();
        throw error;
      }
      const labels = r.manifest.checkpoints.map((c) => (Number.isFinite(c.step) ? `step ${c.step}` : c.file));
      return compareAcrossCheckpoints(sets, stageIndex, labels, options.ckaEstimator);
    },

    async verifyParity(index) {
      const r = requireRun();
      if (!r.manifest.reference) throw new LabError('invalid_input', 'This run ships no PyTorch reference outputs to compare with.');
      const m = await model(index);
      const entry = r.manifest.checkpoints[index];
      return checkParity(m.network, new URL(r.manifest.reference, r.folderUrl).href, entry.step, index, backend?.name ?? (tf.getBackend() as never));
    },

    async cancel(jobId) {
      cancelJob(jobId);
    },

    async measureThroughput(images, batchSize) {
      const r = requireRun();
      const m = await model(r.manifest.checkpoints.length - 1);
      const { height, width, channels } = r.manifest.input;
      const vs = viewSet({ sampleCount: Math.min(images, r.count), seed: 0, ckaEstimator: 'unbiased' });
      return measureThroughput(m, vs.a, [vs.indices.length, height, width, channels], r.manifest.input, batchSize, backend?.name ?? (tf.getBackend() as never));
    },

    async memory() {
      const mem = tf.memory();
      return { numTensors: mem.numTensors, numBytes: mem.numBytes };
    },
  };
}
