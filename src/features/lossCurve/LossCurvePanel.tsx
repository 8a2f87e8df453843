import { useEffect, useMemo, useState } from 'react';

import { debiasedEma } from '../../analysis/ema';
import { markViewDrawn } from '../../app/viewMarks';
import { tableToCsv } from '../../io/export/csv';
import { ExportableChart } from '../export/ExportableChart';
import { seriesColor } from '../../charts/chartTypes';
import { renderLossCurve } from '../../charts/lossCurve';
import { useLab } from '../../store/labStore';

import type { LossCurveData, LossCurveOptions, LossHoverValue } from '../../charts/lossCurve';

/**
 * Every logged step of the run's loss, with EMA smoothing computed on the full series, a log
 * toggle, training events and checkpoints marked, the current checkpoint's marker, and the
 * ln K line: the SwAV loss when every assignment is uniform over K prototypes.
 */
export function LossCurvePanel() {
  const run = useLab((s) => s.run);
  const index = useLab((s) => s.currentIndex);
  const setIndex = useLab((s) => s.setCurrentIndex);
  const smoothing = useLab((s) => s.smoothing);
  const setSmoothing = useLab((s) => s.setSmoothing);
  const logY = useLab((s) => s.logY);
  const setLogY = useLab((s) => s.setLogY);
  const showRaw = useLab((s) => s.showRaw);
  const setShowRaw = useLab((s) => s.setShowRaw);
  const [hover, setHover] = useState<{ step: number; values: LossHoverValue[] } | null>(null);

  // Every loss-like column (train and valid) on one chart; else the log's first column.
  const lossSeries = useMemo(() => {
    const all = run?.log ?? [];
    const losses = all.filter((s) => /loss/i.test(s.id));
    return losses.length > 0 ? losses : all.slice(0, 1);
  }, [run]);
  const loss = lossSeries[0] ?? null;
  const smoothed = useMemo(() => lossSeries.map((s) => debiasedEma(s.values, smoothing)), [lossSeries, smoothing]);

  // A per-epoch log (fastai's CSVLogger) puts checkpoints at their epoch; marks of checkpoints
  // that are not this log's run (the demo's under a dropped log) are left off.
  const byEpoch = loss?.xLabel === 'epoch';
  const data = useMemo<LossCurveData | null>(() => {
    if (!run || !loss) return null;
    const k = run.logMatchesCheckpoints ? run.nPrototypes : null;
    const position = (c: { step: number; epoch: number }) => (byEpoch ? c.epoch : c.step);
    const marks = run.logMatchesCheckpoints ? run.checkpoints.filter((c) => Number.isFinite(position(c))) : [];
    const current = run.checkpoints[index];
    return {
      series: lossSeries.map((s, i) => ({ id: s.id, label: s.id, steps: s.steps, values: s.values, smoothed: smoothed[i] })),
      events: run.events.map((e) => ({ step: e.step, label: e.label, kind: e.kind })),
      checkpoints: marks.map((c) => ({ step: position(c), label: `checkpoint ${c.index + 1}` })),
      currentStep: run.logMatchesCheckpoints && current && Number.isFinite(position(current)) ? position(current) : null,
      referenceLines: k ? [{ value: Math.log(k), label: `ln K = ln ${k} = ${Math.log(k).toFixed(3)} (uniform assignments)` }] : [],
    };
  }, [run, loss, lossSeries, smoothed, index, byEpoch]);

  const options = useMemo<Omit<LossCurveOptions, 'width'> & { width: number | 'auto' }>(
    () => ({
      width: 'auto',
      height: 300,
      logY,
      showRaw,
      title: 'SwAV training loss per step',
      yLabel: lossSeries.length > 1 ? 'loss' : (loss?.id ?? 'loss'),
      onHover: (step, values) => setHover(step === null ? null : { step, values }),
      onCheckpointClick: (i) => setIndex(i),
    }),
    [logY, showRaw, loss, lossSeries, setIndex],
  );

  useEffect(() => {
    if (data) markViewDrawn('loss');
  }, [data]);

  if (!run) return <section className="panel loss">Loading the training log…</section>;
  if (!loss) return <section className="panel loss">This run has no training log, so there is no loss curve to draw.</section>;

  const nonFinite = lossSeries.reduce((sum, s) => sum + countNonFinite(s.values), 0);
  return (
    <section className="panel loss" aria-label="Loss curve" data-testid="loss-panel">
      <header>
        <h2>Loss curve</h2>
        <div className="controls">
          <label>
            Smoothing (EMA) <input type="range" min={0} max={0.999} step={0.001} value={smoothing} onChange={(e) => setSmoothing(Number(e.target.value))} data-testid="smoothing" />
            <output>{smoothing.toFixed(3)}</output>
          </label>
          <label>
            <input type="checkbox" checked={logY} onChange={(e) => setLogY(e.target.checked)} data-testid="log-toggle" /> log scale
          </label>
          <label>
            <input type="checkbox" checked={showRaw} onChange={(e) => setShowRaw(e.target.checked)} /> raw values
          </label>
        </div>
      </header>
      {data && (
        <ExportableChart
          name="loss-curve"
          render={renderLossCurve}
          data={data}
          options={options}
          csv={() => tableToCsv(['series', 'step', 'value', `ema_${smoothing}`], data.series.flatMap((s) => Array.from(s.steps, (step, i) => [s.id, step, s.values[i], s.smoothed ? s.smoothed[i] : null])))}
        />
      )}
      {lossSeries.length > 1 && (
        <p className="legend" data-testid="loss-legend">
          {lossSeries.map((s, i) => (
            <span key={s.id} className="legend-item">
              <span className="swatch" style={{ background: seriesColor(i) }} /> {s.id}
            </span>
          ))}
          <span className="caption"> · x: {byEpoch ? 'epoch' : 'step'}</span>
        </p>
      )}
      <p className="readout" data-testid="loss-readout">
        {loss.values.length} logged {lossSeries.length > 1 ? `points per series (${lossSeries.map((s) => s.id).join(', ')})` : 'steps'}{nonFinite > 0 ? `, ${nonFinite} NaN or infinite (drawn as gaps)` : ''}. Wheel to zoom, drag to pan, double-click to reset.
        {hover && hover.values[0] ? ` Step ${hover.step}: loss ${fmt(hover.values[0].value)}, smoothed ${fmt(hover.values[0].smoothed)}.` : ''}
      </p>
    </section>
  );
}

function countNonFinite(values: Float64Array): number {
  let count = 0;
  for (const v of values) if (!Number.isFinite(v)) count++;
  return count;
}

function fmt(v: number | null): string {
  return v === null || !Number.isFinite(v) ? 'NaN' : v.toFixed(4);
}
