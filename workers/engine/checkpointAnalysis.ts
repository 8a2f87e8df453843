import { ckaMatrix, covarianceEigenvalues, effectiveRank, histogram, matchingPairStats, rsaMatrix, singularValues } from '../../src/analysis';
import { assert } from '../../src/io/errors';

import type { HostTensor } from '../../src/io/checkpoint';
import type { SwavHeadSpec } from '../models/swavHeadSpec';
import type { AnalysisOptions, CheckpointAnalysis, HistogramSummary, PairComparison, SimilarityMatrix, SpectrumSummary } from '../engineApi';
import type { FeatureSet, Representation } from './embedder';

/** Histogram bins over the range both distributions span, shared so they overlay bin for bin. */
const COSINE_BINS = 80;

/**
 * Relative cost of the analysis pieces, in units of one image through the demo encoder, per
 * sample (measured on the demo at n = 1000 with WASM: the similarity work takes about three
 * times as long as embedding both views). Progress and time left count in these units.
 */
export const ANALYSIS_COST = { pairs: 0.6, cka: 2, rsa: 1.5, spectra: 0.3 } as const;

/** Pieces analyseCheckpoint reports through AnalysisHooks.before: two pair sets, CKA, RSA, spectra. */
export const ANALYSIS_PIECES = 5;

/** Total analysis cost for n samples, in the units of ANALYSIS_COST. */
export function analysisUnits(n: number): number {
  return Math.ceil(n * (2 * ANALYSIS_COST.pairs + ANALYSIS_COST.cka + ANALYSIS_COST.rsa + ANALYSIS_COST.spectra));
}

/**
 * Called before each piece of the analysis with its name, and after it with the units done.
 * `before` may throw (a cancelled job) and yields to the event loop so messages get through.
 */
export interface AnalysisHooks {
  before(piece: string): Promise<void>;
  after(units: number): void;
}

/**
 * Every per-checkpoint result the views draw, from the features of the two views (`a`, `b`)
 * and the checkpoint's weights. Host-array computation in the worker, in pieces so a cancel
 * between them is heard.
 */
export async function analyseCheckpoint(
  checkpointIndex: number,
  options: AnalysisOptions,
  a: FeatureSet,
  b: FeatureSet,
  tensors: Map<string, HostTensor>,
  head: SwavHeadSpec | null,
  hooks: AnalysisHooks = { before: async () => undefined, after: () => undefined },
): Promise<Omit<CheckpointAnalysis, 'timings'>> {
  assert(a.n === b.n && a.reps.length === b.reps.length, () => `analyseCheckpoint: views differ: ${a.n} x ${a.reps.length} vs ${b.n} x ${b.reps.length}`);
  const n = a.n;

  const pairs: PairComparison[] = [];
  for (const name of ['encoder', 'projection'] as const) {
    const ra = a.reps.find((r) => r.name === name);
    const rb = b.reps.find((r) => r.name === name);
    await hooks.before(`comparing ${name} pairs`);
    if (ra && rb) pairs.push(comparePairs(name, ra, rb, n));
    hooks.after(Math.ceil(n * ANALYSIS_COST.pairs));
  }

  const labels = a.reps.map((r) => r.name);
  await hooks.before('CKA between stages');
  const stageCka = toMatrix(ckaMatrix(a.reps, n, options.ckaEstimator), labels, `cka-${options.ckaEstimator}`, n);
  hooks.after(Math.ceil(n * ANALYSIS_COST.cka));
  await hooks.before('RSA between stages');
  const stageRsa = toMatrix(rsaMatrix(a.reps, n), labels, 'rsa-spearman', n);
  hooks.after(Math.ceil(n * ANALYSIS_COST.rsa));
  await hooks.before('spectra');

  const weightSpectra: SpectrumSummary[] = [];
  for (const layer of head?.layers ?? []) {
    if (layer.kind !== 'linear') continue;
    weightSpectra.push(weightSpectrum(`${layer.key}.weight`, tensors.get(`${layer.key}.weight`)!));
  }
  if (head?.prototypes) weightSpectra.push(weightSpectrum(head.prototypes.key, tensors.get(head.prototypes.key)!));

  const embeddingSpectra = a.reps
    .filter((r) => r.name === 'encoder' || r.name === 'projection')
    .map((r) => {
      const s = covarianceEigenvalues(r.values, n, r.d);
      return { name: `${r.name} output covariance`, shape: [r.d, r.d], values: s.values, effectiveRank: effectiveRank(s.values), numericalRank: s.numericalRank, kind: 'eigen' as const };
    });

  hooks.after(Math.ceil(n * ANALYSIS_COST.spectra));
  return { checkpointIndex, options, pairs, stageCka, stageRsa, weightSpectra, embeddingSpectra };
}

/** CKA between the stages of one view's features, alone: what changes with the estimator. */
export function stageCkaOnly(a: FeatureSet, estimator: AnalysisOptions['ckaEstimator']): SimilarityMatrix {
  return toMatrix(ckaMatrix(a.reps, a.n, estimator), a.reps.map((r) => r.name), `cka-${estimator}`, a.n);
}

/** CKA and RSA of representation `stageIndex` between checkpoints (one FeatureSet each). */
export function compareAcrossCheckpoints(
  sets: FeatureSet[],
  stageIndex: number,
  labels: string[],
  estimator: AnalysisOptions['ckaEstimator'],
): { cka: SimilarityMatrix; rsa: SimilarityMatrix; stageName: string } {
  assert(sets.length > 0, () => 'compareAcrossCheckpoints: no checkpoints');
  const n = sets[0].n;
  const reps = sets.map((s, i) => {
    const rep = s.reps[stageIndex];
    assert(rep !== undefined, () => `compareAcrossCheckpoints: checkpoint ${i} has ${s.reps.length} representations, no index ${stageIndex}`);
    return rep;
  });
  return {
    stageName: reps[0].name,
    cka: toMatrix(ckaMatrix(reps, n, estimator), labels, `cka-${estimator}`, n),
    rsa: toMatrix(rsaMatrix(reps, n), labels, 'rsa-spearman', n),
  };
}

function comparePairs(layer: 'encoder' | 'projection', a: Representation, b: Representation, n: number): PairComparison {
  const stats = matchingPairStats(a.values, b.values, n, a.d);
  const domain = sharedDomain(stats.matching, stats.nonMatching);
  return {
    layer,
    matching: summarise(stats.matching, stats.meanMatching, domain),
    nonMatching: summarise(stats.nonMatching, stats.meanNonMatching, domain),
    auc: stats.auc,
    top1: stats.top1,
    top1Reverse: stats.top1Reverse,
    validCount: stats.validCount,
    invalidIds: Array.from(stats.invalidIds),
  };
}

/**
 * The cosine range both distributions cover, padded by one bin and kept inside [-1, 1]. At
 * initialisation every cosine can sit within 0.01 of 1; a fixed [-1, 1] range would put both
 * distributions into the last bin.
 */
function sharedDomain(a: Float64Array, b: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const values of [a, b]) {
    for (const v of values) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [-1, 1];
  const pad = Math.max((hi - lo) / COSINE_BINS, 1e-6);
  return [Math.max(-1, lo - pad), Math.min(1, hi + pad)];
}

function summarise(values: Float64Array, mean: number, domain: [number, number]): HistogramSummary {
  const h = histogram(values, { bins: COSINE_BINS, domain });
  return { edges: h.edges, counts: h.counts, total: values.length, mean };
}

function toMatrix(result: { values: Float64Array; reasons: readonly (string | null)[] }, labels: string[], measure: string, n: number): SimilarityMatrix {
  return { labels, values: result.values, notes: [...result.reasons], measure, n };
}

function weightSpectrum(name: string, weight: HostTensor): SpectrumSummary {
  const [rows, cols] = weight.shape;
  const s = singularValues(weight.values, rows, cols);
  return { name, shape: weight.shape, values: s.values, effectiveRank: effectiveRank(s.values), numericalRank: s.numericalRank, kind: 'singular' };
}
