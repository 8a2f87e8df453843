import type { CheckpointAnalysis, SimilarityMatrix } from '../../workers/engineApi';

/**
 * Results with typed arrays live here, keyed like the store's status map, so the store itself
 * holds only serialisable status and keys.
 */
const analyses = new Map<string, CheckpointAnalysis>();
const crossCheckpoint = new Map<string, { cka: SimilarityMatrix; rsa: SimilarityMatrix; stageName: string }>();

/** Stores one checkpoint's analysis. */
export function putAnalysis(key: string, result: CheckpointAnalysis): void {
  analyses.set(key, result);
}

/** One checkpoint's analysis, or undefined. */
export function getAnalysis(key: string): CheckpointAnalysis | undefined {
  return analyses.get(key);
}

/** Stores a cross-checkpoint comparison. */
export function putCrossCheckpoint(key: string, result: { cka: SimilarityMatrix; rsa: SimilarityMatrix; stageName: string }): void {
  crossCheckpoint.set(key, result);
}

/** A cross-checkpoint comparison, or undefined. */
export function getCrossCheckpoint(key: string) {
  return crossCheckpoint.get(key);
}
