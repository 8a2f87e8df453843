import { useEffect, useMemo } from 'react';

import { crossCheckpointKey } from '../../app/labController';
import { markViewDrawn } from '../../app/viewMarks';
import { matrixToCsv } from '../../io/export/csv';
import { ExportableChart } from '../export/ExportableChart';
import { renderHeatmap } from '../../charts/heatmap';
import { useLab } from '../../store/labStore';
import { getCrossCheckpoint } from '../../store/resultCache';
import { AnalysisGate } from '../AnalysisGate';
import { useCurrentAnalysis } from '../useCurrentAnalysis';

import type { LabController } from '../../app/labController';
import type { SimilarityMatrix } from '../../../workers/engineApi';

const MEASURE_LABELS: Record<string, string> = {
  'cka-unbiased': 'linear CKA (unbiased HSIC)',
  'cka-biased': 'linear CKA (biased HSIC: inflated at small n)',
  'rsa-spearman': 'RSA (Spearman of correlation-distance RDMs)',
};

/**
 * Representational similarity between the encoder's stages of the current checkpoint (CKA and
 * RSA), and of one stage across every checkpoint of the run.
 */
export function SimilarityPanel({ controller }: { controller: LabController }) {
  const { status, result, error } = useCurrentAnalysis();
  const options = useLab((s) => s.options);
  const setOptions = useLab((s) => s.setOptions);
  const run = useLab((s) => s.run);
  const crossStage = useLab((s) => s.crossStage);
  const setCrossStage = useLab((s) => s.setCrossStage);
  const crossKey = crossCheckpointKey(run?.id ?? 'none', crossStage, options);
  const crossStatus = useLab((s) => s.status[crossKey] ?? 'pending');
  const crossError = useLab((s) => s.errors[crossKey]);
  const cross = crossStatus === 'done' ? getCrossCheckpoint(crossKey) : undefined;

  useEffect(() => {
    if (result) markViewDrawn('similarity');
  }, [result]);

  const stageNames = run ? [...run.architecture.stageNames, 'encoder', ...(run.architecture.projectionDim ? ['projection'] : [])] : [];
  return (
    <section className="panel similarity" aria-label="Representational similarity" data-testid="similarity-panel">
      <header>
        <h2>Representational similarity</h2>
        <label>
          CKA estimator{' '}
          <select value={options.ckaEstimator} onChange={(e) => setOptions({ ckaEstimator: e.target.value as 'unbiased' | 'biased' })} data-testid="cka-estimator">
            <option value="unbiased">unbiased HSIC (default)</option>
            <option value="biased">biased HSIC</option>
          </select>
        </label>
      </header>
      <p className="caption">
        Stages are compared through their global-average-pooled outputs (view A of each image); <em>encoder</em> is the encoder's pooled output (fastai encoders concatenate [max, avg] pools, torchvision ResNets average), <em>projection</em> the L2-normalised projector output.
      </p>
      <AnalysisGate status={status} error={error}>
        {result && (
          <div className="matrix-grid">
            <MatrixView matrix={result.stageCka} testId="stage-cka" />
            <MatrixView matrix={result.stageRsa} testId="stage-rsa" />
          </div>
        )}
      </AnalysisGate>
      <div className="cross-checkpoint">
        <h3>One stage across the run</h3>
        <label>
          Stage{' '}
          <select value={crossStage} onChange={(e) => setCrossStage(Number(e.target.value))} data-testid="cross-stage">
            {stageNames.map((name, i) => (
              <option key={name} value={i}>
                {name}
              </option>
            ))}
          </select>
        </label>{' '}
        <button type="button" disabled={!run || crossStatus === 'running'} onClick={() => void controller.compareAcrossCheckpoints(crossStage)} data-testid="cross-compute">
          {crossStatus === 'running' ? 'Computing…' : `Compare ${run?.checkpoints.length ?? ''} checkpoints`}
        </button>
        {crossStatus === 'error' && <p className="view-error" role="alert">Could not compare checkpoints: {crossError}</p>}
        {crossStatus === 'pending' && !cross && <p className="view-wait">Embeds the sample through every checkpoint once (cached), then compares this stage between them.</p>}
        {cross && (
          <div className="matrix-grid">
            <MatrixView matrix={cross.cka} testId="cross-cka" />
            <MatrixView matrix={cross.rsa} testId="cross-rsa" />
          </div>
        )}
      </div>
    </section>
  );
}

function MatrixView({ matrix, testId }: { matrix: SimilarityMatrix; testId: string }) {
  const data = useMemo(() => ({ rowLabels: matrix.labels, colLabels: matrix.labels, values: matrix.values, cellNotes: matrix.notes }), [matrix]);
  // Estimates can leave [0, 1] a little (an unbiased CKA of identical features is 1 + rounding,
  // a negative estimate is real): widen the colour domain to the data rather than clip it.
  const [lo, hi] = useMemo(() => {
    let min = 0;
    let max = 1;
    for (const v of matrix.values) if (Number.isFinite(v)) [min, max] = [Math.min(min, v), Math.max(max, v)];
    return [min, max];
  }, [matrix]);
  const negative = lo < 0;
  const options = useMemo(
    () => ({
      width: 'auto' as const,
      height: 300,
      title: `${MEASURE_LABELS[matrix.measure] ?? matrix.measure}, n = ${matrix.n}`,
      domain: [negative ? Math.min(lo, -hi) : 0, hi] as [number, number],
      diverging: negative,
      showValues: true,
      format: (v: number) => (Number.isFinite(v) ? v.toFixed(3) : 'undefined'),
    }),
    [matrix, negative, lo, hi],
  );
  return (
    <figure className="matrix-view" data-testid={testId} data-values={JSON.stringify(Array.from(matrix.values, (v) => (Number.isFinite(v) ? Number(v.toFixed(6)) : null)))}>
      <figcaption>
        {MEASURE_LABELS[matrix.measure] ?? matrix.measure} · n = {matrix.n}
      </figcaption>
      <ExportableChart name={`${testId}-${matrix.measure}`} render={renderHeatmap} data={data} options={options} csv={() => matrixToCsv(matrix.labels, matrix.values, matrix.measure)} />
    </figure>
  );
}
