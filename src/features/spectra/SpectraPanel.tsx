import { useEffect, useMemo } from 'react';

import { markViewDrawn } from '../../app/viewMarks';
import { tableToCsv } from '../../io/export/csv';
import { ExportableChart } from '../export/ExportableChart';
import { renderSpectrum } from '../../charts/spectrum';
import { AnalysisGate } from '../AnalysisGate';
import { useCurrentAnalysis } from '../useCurrentAnalysis';

import type { SpectrumSummary } from '../../../workers/engineApi';

/**
 * Singular values of each projection-head weight matrix, and eigenvalues of the embedding
 * covariances on a log scale with their effective rank: a collapsing head shows as a spectrum
 * that falls off a cliff after a few components.
 */
export function SpectraPanel() {
  const { status, result, error } = useCurrentAnalysis();
  useEffect(() => {
    if (result) markViewDrawn('spectra');
  }, [result]);
  return (
    <section className="panel spectra" aria-label="Eigenspectra" data-testid="spectra-panel">
      <h2>Eigenspectra</h2>
      <AnalysisGate status={status} error={error}>
        {result && (
          <div className="spectra-grid">
            {result.weightSpectra.length > 0 ? (
              <SpectrumView title="Singular values of the projection-head weights" spectra={result.weightSpectra} yLabel="singular value" testId="weight-spectra" />
            ) : (
              <p className="view-wait" data-testid="weight-spectra">This checkpoint has no projection head, so there are no head weights to decompose.</p>
            )}
            <SpectrumView title="Eigenvalues of the embedding covariance" spectra={result.embeddingSpectra} yLabel="eigenvalue" testId="embedding-spectra" />
          </div>
        )}
        {result && <p className="caption">Values below the numerical tolerance are exact zeros and left off the log axis (counted in the chart). Where the last stage is 1×1, max and average pooling agree, so the concat-pooled encoder output repeats itself and its covariance has rank at most half its width.</p>}
      </AnalysisGate>
    </section>
  );
}

function SpectrumView({ title, spectra, yLabel, testId }: { title: string; spectra: SpectrumSummary[]; yLabel: string; testId: string }) {
  const data = useMemo(() => ({ series: spectra.map((s) => ({ id: s.name, label: `${s.name} [${s.shape.join('×')}]`, values: s.values })) }), [spectra]);
  const options = useMemo(
    () => ({
      width: 'auto' as const,
      height: 240,
      title,
      logY: true,
      yLabel,
    }),
    [spectra, title, yLabel],
  );
  return (
    <figure className="spectrum-view" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <ExportableChart name={testId} render={renderSpectrum} data={data} options={options} csv={() => tableToCsv(['matrix', 'index', 'value'], spectra.flatMap((s) => Array.from(s.values, (v, i) => [s.name, i, v])))} />
      <ul className="spectrum-notes">
        {spectra.map((s) => (
          <li key={s.name} data-testid={`erank-${s.name}`}>
            {s.name}: effective rank <strong>{Number.isFinite(s.effectiveRank) ? s.effectiveRank.toFixed(2) : 'undefined (all values zero)'}</strong> of {s.values.length}; numerical rank {s.numericalRank}
          </li>
        ))}
      </ul>
    </figure>
  );
}
