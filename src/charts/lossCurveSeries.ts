import { select } from 'd3';

import { assertChart, seriesColor } from './chartTypes';
import { paddedLinearDomain, paddedLogDomain } from './logAxis';
import {
  collectNonFiniteSteps,
  countLossExclusions,
  dotsPathData,
  isolatedPointIndices,
  linePathData,
} from './lossCurveMarks';

import type { Selection } from 'd3';
import type { DecimatedSeries } from './decimateMinMax';
import type { LossCurveData, LossSeries } from './lossCurve';
import type { LossExclusions, NonFiniteSteps } from './lossCurveMarks';

/** The paths of one series, in paint order: light raw line and dots under the strong ones. */
const PATH_CLASSES = ['lab-line-raw', 'lab-isolated-raw', 'lab-line-strong', 'lab-isolated-strong'];

/** A validated series with its colour and the per-data (not per-view) summaries. */
export interface PreparedSeries {
  series: LossSeries;
  /** `var(--lab-series-N, fallback)` by position in the data. */
  color: string;
  /** Steps of the raw NaN/±inf values, for the bottom markers. */
  nonFinite: NonFiniteSteps;
  /** Counts over the whole raw series (not only the visible range). */
  exclusions: LossExclusions;
}

/** One series decimated to the view: `raw` is null when the raw line is not drawn. */
export interface SeriesView {
  prepared: PreparedSeries;
  raw: DecimatedSeries | null;
  strong: DecimatedSeries;
}

/**
 * Validates each series (lengths agree; steps finite and ascending) and precomputes its
 * colour, NaN/inf steps and exclusion counts. Throws naming the series and index otherwise.
 */
export function prepareSeries(series: readonly LossSeries[]): PreparedSeries[] {
  return series.map((s, index) => {
    const n = s.steps.length;
    assertChart(
      s.values.length === n && (s.smoothed === undefined || s.smoothed.length === n),
      () =>
        `renderLossCurve: series "${s.id}" has ${n} steps, ${s.values.length} values and ${s.smoothed?.length ?? 'no'} smoothed values; all must match`,
    );
    for (let i = 0; i < n; i += 1) {
      const ok = Number.isFinite(s.steps[i]) && (i === 0 || s.steps[i] >= s.steps[i - 1]);
      assertChart(
        ok,
        () => `renderLossCurve: series "${s.id}" steps must be finite and ascending; index ${i} is ${s.steps[i]} after ${s.steps[i - 1]}`,
      );
    }
    return {
      series: s,
      color: seriesColor(index),
      nonFinite: collectNonFiniteSteps(s.steps, s.values),
      exclusions: countLossExclusions(s.values),
    };
  });
}

/**
 * True when both lists hold the same series in order: equal id and label and the very same
 * steps, values and smoothed arrays (identity, not contents, so this is O(series)).
 */
export function sameSeries(a: readonly LossSeries[], b: readonly LossSeries[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return a.every((s, k) => {
    const t = b[k];
    return (
      s.id === t.id &&
      s.label === t.label &&
      s.steps === t.steps &&
      s.values === t.values &&
      s.smoothed === t.smoothed
    );
  });
}

/** True when two lists of small marks (events, checkpoints, references) match field by field. */
export function sameMarks<M extends object>(a: readonly M[], b: readonly M[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return a.every((mark, k) => {
    const other = b[k] as Record<string, unknown>;
    const entries = Object.entries(mark);
    if (entries.length !== Object.keys(other).length) return false;
    return entries.every(([key, value]) => other[key] === value);
  });
}

/** The x extent of all series in steps (else of checkpoints and events), never empty. */
export function dataExtent(data: LossCurveData): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of data.series) {
    if (s.steps.length === 0) continue;
    lo = Math.min(lo, s.steps[0]);
    hi = Math.max(hi, s.steps[s.steps.length - 1]);
  }
  // Checkpoints and events belong on the axis even outside the logged steps (a checkpoint of
  // the initialisation at step 0 precedes the first logged loss at step 1).
  for (const mark of [...data.checkpoints, ...data.events]) {
    if (!Number.isFinite(mark.step)) continue;
    lo = Math.min(lo, mark.step);
    hi = Math.max(hi, mark.step);
  }
  if (!(hi >= lo)) return [0, 1];
  return hi > lo ? [lo, hi] : [lo - 1, hi + 1];
}

/**
 * A padded y domain covering the drawable values of `lines` whose step is inside `xDomain`
 * (all of them when none is); decimation kept every column extreme, so this is the visible
 * range. Falls back to [0, 1] (linear) or [1e-3, 1] (log) when nothing is drawable.
 */
export function fitYDomain(
  lines: readonly DecimatedSeries[],
  xDomain: readonly [number, number],
  logY: boolean,
): [number, number] {
  const scan = (inside: boolean): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const line of lines) {
      for (let i = 0; i < line.length; i += 1) {
        const v = line.values[i];
        const outside = line.steps[i] < xDomain[0] || line.steps[i] > xDomain[1];
        if (v !== v || (inside && outside)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    return [lo, hi];
  };
  let [lo, hi] = scan(true);
  if (!(hi >= lo)) [lo, hi] = scan(false);
  const fitted = logY ? paddedLogDomain(lo, hi) : paddedLinearDomain(lo, hi);
  return fitted ?? (logY ? [1e-3, 1] : [0, 1]);
}

/**
 * Joins one `<g class="lab-series">` per view into `layer`, each with a light raw line, a
 * strong line, and dots for runs of length one in either. `x`, `y` map data to pixels.
 */
export function drawSeriesLines(
  layer: Selection<SVGGElement, unknown, null, undefined>,
  views: readonly SeriesView[],
  x: (step: number) => number,
  y: (value: number) => number,
): void {
  const groups = layer
    .selectAll<SVGGElement, SeriesView>('g.lab-series')
    .data(views, (v) => v.prepared.series.id)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'lab-series');
      for (const name of PATH_CLASSES) g.append('path').attr('class', name);
      return g;
    })
    .attr('data-series', (v) => v.prepared.series.id);

  groups.each(function (this: SVGGElement, view) {
    const g = select(this);
    const color = view.prepared.color;
    const raw = view.raw;
    const rawDots = raw ? isolatedPointIndices(raw) : [];
    const strongDots = isolatedPointIndices(view.strong);
    g.select('.lab-line-raw')
      .attr('d', raw ? linePathData(raw, x, y) : '')
      .attr('data-vertices', raw ? raw.length : 0)
      .style('fill', 'none')
      .style('stroke', color)
      .style('stroke-opacity', '0.3')
      .style('stroke-width', '1');
    g.select('.lab-isolated-raw')
      .attr('d', raw ? dotsPathData(raw, rawDots, x, y) : '')
      .attr('data-count', rawDots.length)
      .style('fill', color)
      .style('fill-opacity', '0.45');
    g.select('.lab-line-strong')
      .attr('d', linePathData(view.strong, x, y))
      .attr('data-vertices', view.strong.length)
      .style('fill', 'none')
      .style('stroke', color)
      .style('stroke-width', '1.8');
    g.select('.lab-isolated-strong')
      .attr('d', dotsPathData(view.strong, strongDots, x, y))
      .attr('data-count', strongDots.length)
      .style('fill', color);
  });
}
