import { describe, expect, it } from 'vitest';

import * as analysis from '../../../src/analysis';

import type { CkaResult, FloatArray, MatchingPairStats, Spectrum } from '../../../src/analysis';

describe('src/analysis index', () => {
  it('the analysis index re-exports every public function', () => {
    const names = [
      'argsort', 'averageRanks', 'centreColumns', 'ckaFromGrams', 'ckaMatrix', 'correlationRdm',
      'cosineSimilarity', 'covarianceEigenvalues', 'crossProducts', 'debiasedEma', 'effectiveRank',
      'gramMatrix', 'histogram', 'linearCka', 'matchingPairStats', 'mean', 'participationRatio',
      'pearson', 'rocAuc', 'rsaMatrix', 'singularValues', 'sinkhornKnopp', 'spearman',
      'standardiseRows', 'swavLoss', 'symmetricEigenvalues', 'toFloat64', 'unitRows',
    ] as const; // prettier-ignore
    for (const name of names) expect({ name, type: typeof analysis[name] }).toEqual({ name, type: 'function' });
  });

  it('the public result types keep their documented field types', () => {
    const result: CkaResult = analysis.linearCka({ values: new Float64Array(8).fill(1), d: 2 }, { values: new Float64Array(8), d: 2 }, 4);
    const value: number | null = result.value;
    const input: FloatArray = new Float32Array([3, 4]);
    const spectrum: Spectrum = analysis.singularValues(input, 1, 2);
    const auc: MatchingPairStats['auc'] = Number.NaN;
    expect([value, spectrum.numericalRank, Number.isNaN(auc)]).toEqual([null, 1, true]);
  });
});
