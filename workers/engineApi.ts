/**
 * The typed contract between the UI and the engine worker. Both sides import these types only;
 * the UI reaches the implementation through `Remote<EngineApi>` (src/app/engineClient.ts).
 * Every array that crosses the boundary is a typed array, transferred where it is large.
 */

/** A backend name as tfjs registers it. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** What the user asked for: `auto` lets the engine pick the fastest that works for the job. */
export type BackendRequest = BackendName | 'auto';

/** The kind of work a backend is chosen for: training needs kernels inference does not. */
export type BackendJob = 'inference' | 'training';

/** The WebGPU adapter the browser handed out, as its `GPUAdapterInfo` describes it. */
export interface AdapterSummary {
  /** Vendor string, e.g. 'google' or 'nvidia'; empty when the browser hides it. */
  vendor: string;
  /** Architecture string, e.g. 'swiftshader' or 'ampere'. */
  architecture: string;
  /** Human description, when the browser gives one. */
  description: string;
  /** True for a software fallback adapter (SwiftShader): correct but about 50 times slower. */
  isFallback: boolean;
}

/** One backend the engine considered, in the order it tried them. */
export interface BackendCandidate {
  /** The backend tried. */
  name: BackendName;
  /** Whether it initialised. */
  available: boolean;
  /** Why it was or was not used, in one sentence. */
  note: string;
}

/** The engine's choice of backend and the reason, shown in the UI. */
export interface BackendReport {
  /** The backend that runs the engine's tensors. */
  name: BackendName;
  /** What was requested (URL parameter `backend`, or auto). */
  requested: BackendRequest;
  /** One sentence saying why this backend runs, e.g. "WebGPU adapter is a software fallback". */
  reason: string;
  /** The WebGPU adapter, when one was found (also when WebGPU was not chosen). */
  adapter: AdapterSummary | null;
  /** For wasm: threads in use (1 without cross-origin isolation) and whether SIMD is on. */
  wasm: { threads: number; simd: boolean } | null;
  /** Everything considered, in order. */
  candidates: BackendCandidate[];
}

/** A training event written by the run's log or manifest (queue start, LR change). */
export interface TrainingEvent {
  /** Optimiser step at which it happened. */
  step: number;
  /** Machine-readable kind, e.g. 'queue_start'. */
  kind: string;
  /** Short label for charts. */
  label: string;
}

/** One checkpoint of the run's timeline. */
export interface CheckpointInfo {
  /** Position in the timeline, 0-based, ordered by step. */
  index: number;
  /** File name as shipped or dropped. */
  file: string;
  /** Optimiser step the checkpoint was written at (NaN when unknown). */
  step: number;
  /** Epoch (fractional), NaN when unknown. */
  epoch: number;
}

/** One scalar series of a training log, at full resolution. */
export interface LogSeries {
  /** Column name, e.g. 'loss'. */
  id: string;
  /** Step of each point, ascending. */
  steps: Float64Array;
  /** Value of each point; NaN where the log had NaN, inf or an empty cell. */
  values: Float64Array;
  /** What `steps` count: optimiser steps (the default) or epochs (fastai's CSVLogger). */
  xLabel?: 'step' | 'epoch';
}

/** The architecture the engine recognised from the checkpoint's keys and shapes. */
export interface ArchitectureSummary {
  /** e.g. 'xresnet (expansion 1, layers [1,1,1,1])'. */
  description: string;
  /** Input channels, read from the first convolution's weight shape. */
  inputChannels: number;
  /** Names of the pooled stages the views compare, in depth order (stem, stage1..). */
  stageNames: string[];
  /** Channels of each stage, aligned with stageNames. */
  stageChannels: number[];
  /** Encoder output width (after the concat pool). */
  encoderDim: number;
  /** Projection output width, or null when the checkpoint has no projector. */
  projectionDim: number | null;
  /** Number of prototypes K, or null when absent. */
  nPrototypes: number | null;
  /** Parameter count of the encoder. */
  encoderParams: number;
}

/** What the demo (or a loaded run) consists of, as the UI needs it. */
export interface RunSummary {
  /** Changes whenever the run changes (an import, a reorder); results are keyed on it. */
  id: string;
  /** 'demo' for the bundled run; 'user' once any part came from the user's files. */
  kind: 'demo' | 'user';
  /** The analysis images' name, and how each item's two views are made. */
  dataName: string;
  pairing: 'augmentations' | 'sensors';
  /** True when the timeline is the user's own checkpoints (which can then be reordered). */
  ownCheckpoints: boolean;
  /** True when PyTorch reference outputs ship with the checkpoints (the bundled demo). */
  hasReference: boolean;
  /** True when the log belongs to the checkpoints on screen (not the demo's log under the user's run, or the reverse). */
  logMatchesCheckpoints: boolean;
  /** How images become inputs: the normalisation in use and, for dropped images, size and stacking. */
  preprocessing: Preprocessing;
  /** Channels of the analysis images (4 when two sensors are stacked). */
  dataChannels: number;
  /** Display name. */
  name: string;
  /** One paragraph on what the run is. */
  description: string;
  /** The timeline, ordered by step. */
  checkpoints: CheckpointInfo[];
  /** Training events, ascending by step. */
  events: TrainingEvent[];
  /** The per-step log columns (loss, lr, ...). */
  log: LogSeries[];
  /** K of the SwAV head, for the ln K reference line; null when unknown. */
  nPrototypes: number | null;
  /** The architecture, from the first checkpoint. */
  architecture: ArchitectureSummary;
  /** Images available for analysis. */
  imageCount: number;
  /** Input size [height, width]. */
  inputSize: [number, number];
  /** Class names of the analysis images' labels. */
  classNames: string[];
}

/** Options of one analysis job. */
export interface AnalysisOptions {
  /** Images drawn from the analysis set, the first `sampleCount` of a seeded shuffle. */
  sampleCount: number;
  /** Seed of the sample and of the augmentations that make each image's two views. */
  seed: number;
  /** The HSIC estimator for CKA. */
  ckaEstimator: 'unbiased' | 'biased';
}

/** Histogram of a similarity distribution, binned in the engine so millions of values stay there. */
export interface HistogramSummary {
  /** Bin edges, bins + 1 values. */
  edges: Float64Array;
  /** Count per bin. */
  counts: Float64Array;
  /** How many values went in. */
  total: number;
  /** Mean of the values (NaN when none). */
  mean: number;
}

/** Matching (same image, two views) against non-matching (different images) pairs. */
export interface PairComparison {
  /** Which representation: the encoder output or the projection output. */
  layer: 'encoder' | 'projection';
  /** Cosine similarities of matching pairs. */
  matching: HistogramSummary;
  /** Cosine similarities of all non-matching pairs. */
  nonMatching: HistogramSummary;
  /** ROC AUC of cosine similarity separating matching from non-matching pairs. */
  auc: number;
  /** Fraction of view-A items whose nearest view-B item is their own other view. */
  top1: number;
  /** The same from view B to view A. */
  top1Reverse: number;
  /** Items with a usable (non-zero) vector in both views. */
  validCount: number;
  /** Indices (into the sample) of items with a zero vector, excluded from the statistics. */
  invalidIds: number[];
}

/** A square similarity matrix between representations (stages or checkpoints). */
export interface SimilarityMatrix {
  /** Row and column labels. */
  labels: string[];
  /** Row-major values, labels.length squared; NaN where undefined. */
  values: Float64Array;
  /** Per cell, why it is undefined (null when defined). */
  notes: (string | null)[];
  /** The measure: 'cka-unbiased', 'cka-biased' or 'rsa-spearman'. */
  measure: string;
  /** Samples it was computed on. */
  n: number;
}

/** Spectrum of one matrix. */
export interface SpectrumSummary {
  /** What it is, e.g. 'projector.0.weight' or 'encoder output covariance'. */
  name: string;
  /** The matrix's shape. */
  shape: number[];
  /** Values, descending; exact zeros where below the numerical tolerance. */
  values: Float64Array;
  /** exp(entropy) of the normalised values (Roy & Vetterli), NaN when all are zero. */
  effectiveRank: number;
  /** Count of values above the tolerance. */
  numericalRank: number;
  /** 'singular' for weight matrices, 'eigen' for covariances. */
  kind: 'singular' | 'eigen';
}

/** Every per-checkpoint result the views draw, computed once and cached by checkpoint. */
export interface CheckpointAnalysis {
  /** Timeline position it belongs to. */
  checkpointIndex: number;
  /** The options it was computed with. */
  options: AnalysisOptions;
  /** Encoder and projection pair comparisons. */
  pairs: PairComparison[];
  /** CKA between the stages of this checkpoint. */
  stageCka: SimilarityMatrix;
  /** RSA between the stages of this checkpoint. */
  stageRsa: SimilarityMatrix;
  /** Singular values of each projection-head weight matrix. */
  weightSpectra: SpectrumSummary[];
  /** Eigenvalues of the embedding covariances (encoder output, projection output). */
  embeddingSpectra: SpectrumSummary[];
  /** Wall time of the phases in milliseconds. */
  timings: { embedMs: number; analysisMs: number };
}

/** Max-abs differences between the engine's outputs and PyTorch's reference outputs. */
export interface ParityReport {
  /** Timeline position checked. */
  checkpointIndex: number;
  /** Backend the engine ran on. */
  backend: BackendName;
  /** Per output: the max abs difference scaled by max(1, max |reference|). */
  outputs: { name: string; shape: number[]; maxAbsDiff: number; scaledDiff: number; refMaxAbs: number }[];
  /** The tolerance the lab holds itself to. */
  tolerance: number;
  /** True when every scaledDiff is within tolerance. */
  pass: boolean;
}

/** Progress of a long job, reported to the UI. */
export interface JobProgress {
  /** The job's id, for cancelling. */
  jobId: string;
  /** What it is doing now, e.g. 'embedding view B'. */
  phase: string;
  /** A count within the phase, e.g. '640 / 2000 images' or 'piece 3 of 5'; may be empty. */
  detail: string;
  /** Units done. */
  done: number;
  /** Units in all. */
  total: number;
  /** Milliseconds since the job started. */
  elapsedMs: number;
}

/** Callback the UI passes (through Comlink.proxy) to receive progress. */
export type ProgressListener = (progress: JobProgress) => void;

/** Timing of the engine's embedding path, for the benchmark. */
export interface ThroughputReport {
  /** Backend measured. */
  backend: BackendName;
  /** Images per second through the engine's encoder + head. */
  engineImagesPerSecond: number;
  /** Images per second of a plain tfjs LayersModel.predict of the same network. */
  baselineImagesPerSecond: number;
  /** Batch size used. */
  batchSize: number;
  /** Images timed per path. */
  images: number;
  /** Max abs difference between the two paths' embeddings (they must agree). */
  maxAbsDiff: number;
}

/** The engine, as the UI sees it. Every method is async across the worker boundary. */
export interface EngineApi {
  /** Picks and initialises a backend; call once before anything else. */
  init(request: BackendRequest): Promise<BackendReport>;
  /** Loads the bundled demo run from `baseUrl` (the app's public root). */
  loadDemo(baseUrl: string): Promise<RunSummary>;
  /** Computes (or returns the cached) analysis of one checkpoint. */
  analyzeCheckpoint(
    checkpointIndex: number,
    options: AnalysisOptions,
    jobId: string,
    onProgress: ProgressListener,
  ): Promise<CheckpointAnalysis>;
  /** CKA and RSA of one stage across every checkpoint of the timeline. */
  compareCheckpoints(
    stageIndex: number,
    options: AnalysisOptions,
    jobId: string,
    onProgress: ProgressListener,
  ): Promise<{ cka: SimilarityMatrix; rsa: SimilarityMatrix; stageName: string }>;
  /** Runs the reference inputs through one checkpoint and compares with PyTorch's outputs. */
  verifyParity(checkpointIndex: number): Promise<ParityReport>;
  /** Asks a running job to stop at its next batch; it then rejects with LabError 'cancelled'. */
  cancel(jobId: string): Promise<void>;
  /** Measures embedding throughput against a plain tfjs predict on the current backend. */
  measureThroughput(images: number, batchSize: number): Promise<ThroughputReport>;
  /** Reads dropped or picked files (checkpoints, logs, datasets) into the run; keeps what was there on error. */
  importFiles(files: ImportedFile[]): Promise<{ report: ImportReport; run: RunSummary }>;
  /** Goes back to the bundled demo and forgets the user's files. */
  useDemo(): Promise<RunSummary>;
  /**
   * Changes normalisation (arrays: use these; null: the checkpoint's default; absent: keep),
   * the size dropped images are resized to, or sensor stacking.
   */
  setPreprocessing(change: { mean?: number[] | null; std?: number[] | null; size: number; stackSensors: boolean }): Promise<RunSummary>;
  /** Moves a checkpoint of a user run within the timeline. */
  moveCheckpoint(from: number, to: number): Promise<RunSummary>;
  /** Restores the files kept in the browser's storage from an earlier visit, or returns null. */
  restoreWorkspace(): Promise<{ report: ImportReport; run: RunSummary } | null>;
  /** Size of what the browser stores for the lab: the user's files and the computed results. */
  storageInfo(): Promise<StorageInfo>;
  /** Deletes the stored files and results; the run in memory stays until reload. */
  clearStorage(): Promise<void>;
  /** A checkpoint's weights as safetensors with the file's own key names. */
  exportCheckpoint(index: number): Promise<Uint8Array>;
  /** tfjs memory counters, for leak checks and the memory read-out. */
  memory(): Promise<{ numTensors: number; numBytes: number }>;
}

/** What the browser keeps for the lab. */
export interface StorageInfo {
  /** Bytes of the user's stored files. */
  bytes: number;
  /** How many files. */
  files: number;
  /** Bytes of stored per-checkpoint results. */
  resultBytes: number;
  /** How many results. */
  results: number;
  /** False when this browser offers no origin-private file system. */
  available: boolean;
}

/** Input preprocessing the user can change. */
export interface Preprocessing {
  /** Per-channel mean of [0, 1] pixels subtracted before the encoder. */
  mean: number[];
  /** Per-channel standard deviation divided by. */
  std: number[];
  /** Side length dropped images are resized and centre-cropped to. */
  size: number;
  /** Stack two sensors as one 4-channel image instead of using them as the two views. */
  stackSensors: boolean;
}

/** A file handed to the engine: its path inside the dropped folder or zip, and its bytes. */
export interface ImportedFile {
  /** Relative path, '/'-separated (a plain file's name when no folder was dropped). */
  path: string;
  /** Contents; transferred to the worker. */
  bytes: ArrayBuffer;
}

/** What an import found, file by file, for the UI to show. */
export interface ImportReport {
  /** Checkpoints recognised and added to the timeline, in run order. */
  checkpoints: { file: string; step: number; epoch: number; stepSource: string; architecture: string; placeholders: string[]; unusedKeys: string[] }[];
  /** Training logs read. */
  logs: { file: string; format: string; series: string[]; warnings: string[] }[];
  /** The dataset, when image files were among the files. */
  dataset: {
    summary: string;
    kind: 'paired-sensors' | 'image-folder';
    items: number;
    singles: { path: string; reason: string }[];
    unreadable: { path: string; reason: string }[];
    warnings: string[];
    imageSize: number;
  } | null;
  /** Files refused, with the reason; nothing loaded before was lost. */
  errors: { file: string; code: string; message: string }[];
}
