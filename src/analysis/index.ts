/**
 * Public API of the lab's pure analysis code: float64 math on row-major typed arrays, safe to run
 * in a Web Worker or in Node (no DOM, tfjs, worker or React imports below this folder).
 */
export { argsort } from './argsort';
export {
  CKA_NOT_POSITIVE_REASON,
  SELF_HSIC_REL_TOL,
  ckaFromGrams,
  ckaMatrix,
  linearCka,
} from './cka';
export { debiasedEma } from './ema';
export { crossProducts, gramMatrix, toFloat64 } from './gram';
export { histogram } from './histogram';
export { COSINE_NORM_EPS, centreColumns, standardiseRows, unitRows } from './normalise';
export { cosineSimilarity, matchingPairStats } from './pairs';
export { rocAuc } from './rocAuc';
export { correlationRdm, rsaMatrix, spearman } from './rsa';
export { sinkhornKnopp } from './sinkhorn';
export {
  SYMMETRY_REL_TOL,
  covarianceEigenvalues,
  effectiveRank,
  participationRatio,
  singularValues,
  symmetricEigenvalues,
} from './spectrum';
export { averageRanks, mean, pearson } from './stats';
export { swavLoss } from './swavLoss';

export type { CkaEstimator, CkaMatrixResult, CkaResult } from './cka';
export type { Histogram, HistogramOptions } from './histogram';
export type { InvalidRowReason, UnitRows } from './normalise';
export type { InvalidPairItem, MatchingPairStats } from './pairs';
export type { Rdm, RdmComparison, RsaMatrixResult } from './rsa';
export type { SinkhornOptions, SinkhornResult } from './sinkhorn';
export type { Spectrum } from './spectrum';
export type { SwavShape } from './swavLoss';
export type { FloatArray, Representation } from './types';
