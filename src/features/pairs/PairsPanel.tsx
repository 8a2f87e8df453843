import { useEffect, useMemo } from 'react';

import { markViewDrawn } from '../../app/viewMarks';
import { tableToCsv } from '../../io/export/csv';
import { ExportableChart } from '../export/ExportableChart';
import { renderHistogram } from '../../charts/histogram';
import { useLab } from '../../store/labStore';
import { AnalysisGate } from '../AnalysisGate';
import { useCurrentAnalysis } from '../useCurrentAnalysis';

import type { PairComparison } from '../../../workers/engineApi';

/**
 * Cosine similarity of matching pairs (two seeded augmented views of one image) against
 * non-matching pairs (views of different images), for the encoder and the projection output.
 */
export function PairsPanel() {
  const { status, result, error } = useCurrentAnalysis();
  useEffect(() => {
    if (result) markViewDrawn('pairs');
  }, [result]);
  return (
    <section className="panel pairs" aria-label="Matching vs non-matching pairs" data-testid="pairs-panel">
      <h2>Matching vs non-matching pairs</h2>
      <AnalysisGate status={status} error={error}>
        {result && (
          <div className="pair-grid">
            {result.pairs.map((p) => (
              <PairView key={p.layer} pair={p} />
            ))}
          </div>
        )}
        {result && <PairsCaption sampleCount={result.pairs[0]?.validCount ?? result.options.sampleCount} seed={result.options.seed} />}
        {result && (
          <p className="caption" data-testid="analysis-timing" data-embed-ms={result.timings.embedMs}>
            Computed in {((result.timings.embedMs + result.timings.analysisMs) / 1000).toFixed(1)} s (embedding {(result.timings.embedMs / 1000).toFixed(1)} s); results are kept in this browser and reused for the same checkpoint, data and settings.
          </p>
        )}
      </AnalysisGate>
    </section>
  );
}

function PairsCaption({ sampleCount, seed }: { sampleCount: number; seed: number }) {
  const pairing = useLab((s) => s.run?.pairing);
  return pairing === 'sensors' ? (
    <p className="caption">Each of {sampleCount} items seen by its two sensors (the first image and its _rgn partner). A matching pair is one item's two sensors; non-matching pairs are sensors of different items.</p>
  ) : (
    <p className="caption">Two views of each of {sampleCount} images: random resized crops and flips seeded by {seed}. A matching pair is an image's two views; non-matching pairs are views of different images.</p>
  );
}

/** Shown instead of a statistic that has no defined value. */
const UNDEFINED_NOTE = 'undefined (fewer than two items with non-zero vectors)';

function percent(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : UNDEFINED_NOTE;
}

function PairView({ pair }: { pair: PairComparison }) {
  const data = useMemo(
    () => ({
      series: [
        { id: 'matching', label: `matching (${pair.matching.total})`, edges: pair.matching.edges, counts: pair.matching.counts },
        { id: 'non-matching', label: `non-matching (${pair.nonMatching.total})`, edges: pair.nonMatching.edges, counts: pair.nonMatching.counts },
      ],
    }),
    [pair],
  );
  const options = useMemo(
    () => ({
      width: 'auto' as const,
      height: 200,
      title: `Cosine similarity, ${pair.layer} output`,
      xLabel: 'cosine similarity',
      density: true,
      markers: [
        { value: pair.matching.mean, label: 'mean matching' },
        { value: pair.nonMatching.mean, label: 'mean non-matching' },
      ].filter((m) => Number.isFinite(m.value)),
    }),
    [pair],
  );
  return (
    <figure className="pair-view" data-testid={`pairs-${pair.layer}`}>
      <figcaption>
        <strong>{pair.layer === 'encoder' ? 'Encoder output' : 'Projection output'}</strong> · ROC AUC{' '}
        <span data-testid={`auc-${pair.layer}`}>{Number.isFinite(pair.auc) ? pair.auc.toFixed(4) : UNDEFINED_NOTE}</span> · top-1 retrieval{' '}
        <span data-testid={`top1-${pair.layer}`}>{percent(pair.top1)}</span> (A→B), {percent(pair.top1Reverse)} (B→A) · {pair.validCount} valid items
        {pair.invalidIds.length > 0 ? ` · ${pair.invalidIds.length} zero vectors excluded (items ${pair.invalidIds.slice(0, 8).join(', ')})` : ''}
      </figcaption>
      <ExportableChart
        name={`pairs-${pair.layer}`}
        render={renderHistogram}
        data={data}
        options={options}
        csv={() =>
          tableToCsv(
            ['bin_start', 'bin_end', 'matching_count', 'non_matching_count'],
            Array.from(pair.matching.counts, (count, i) => [pair.matching.edges[i], pair.matching.edges[i + 1], count, pair.nonMatching.counts[i]]),
          )
        }
      />
    </figure>
  );
}
