import { axisBottom, axisLeft, format, pointer, scaleLinear, scaleLog } from 'd3';

import {
  CHART_COLORS,
  assertSize,
  createSkeleton,
  formatReadoutNumber,
  innerSize,
  resizeSkeleton,
  seriesColor,
} from './chartTypes';
import { formatLogTick, logTickValues, paddedLinearDomain, paddedLogDomain } from './logAxis';
import { createReadout } from './readout';

import type { ScaleLinear } from 'd3';
import type { ChartHandle, ChartSize, Margins } from './chartTypes';

const MARGINS: Margins = { top: 12, right: 16, bottom: 38, left: 58 };
/** Radius in pixels of each value's dot; smaller when dots would touch. */
const DOT_RADIUS_PX = 2.2;

/** One spectrum: `values[r]` is the (r + 1)-th largest eigen- or singular value. */
export interface SpectrumSeries {
  /** Stable key, unique within the chart. */
  id: string;
  /** Legend name. */
  label: string;
  /** Descending; zeros allowed (omitted and counted on a log axis). */
  values: Float64Array;
}

/** The data of {@link renderSpectrum}. */
export interface SpectrumData {
  /** Drawn in order, coloured `--lab-series-1..8`. */
  series: SpectrumSeries[];
}

/** Options of {@link renderSpectrum}; `width` and `height` are outer pixels. */
export interface SpectrumOptions extends ChartSize {
  /** Accessible name (`<title>`, aria-label). */
  title: string;
  /** True base-10 log y axis; values <= 0 are omitted and counted, never drawn as NaN. */
  logY: boolean;
  /** Text beside the y axis. */
  yLabel: string;
  /** Lines of text drawn in the plot's top-right corner, e.g. effective ranks. */
  annotations?: string[];
}

/**
 * The drawable points of one spectrum: `rank[p]` (1-based index into the input) and
 * `values[p]` for the kept points, plus counts of what was omitted: zeros and negatives
 * (on a log axis only) and NaN/±inf (always).
 */
export interface SpectrumPoints {
  /** 1-based position in the input of each kept value. */
  rank: Float64Array;
  /** The kept values, same length as `rank`. */
  values: Float64Array;
  /** Exact zeros omitted (log axis only). */
  zeroCount: number;
  /** Negative values omitted (log axis only). */
  negativeCount: number;
  /** NaN/±inf values omitted (any axis). */
  nonFiniteCount: number;
}

/**
 * Splits `values` into drawable points and omission counts. On a log axis zeros and
 * negatives are omitted and counted; NaN/±inf always are. Example: [4, 1, 0, 0] with
 * logY -> rank [1, 2], values [4, 1], zeroCount 2.
 */
export function spectrumPoints(values: ArrayLike<number>, logY: boolean): SpectrumPoints {
  const rank: number[] = [];
  const kept: number[] = [];
  let zeroCount = 0;
  let negativeCount = 0;
  let nonFiniteCount = 0;
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i];
    if (!Number.isFinite(v)) nonFiniteCount += 1;
    else if (logY && v === 0) zeroCount += 1;
    else if (logY && v < 0) negativeCount += 1;
    else {
      rank.push(i + 1);
      kept.push(v);
    }
  }
  return {
    rank: Float64Array.from(rank),
    values: Float64Array.from(kept),
    zeroCount,
    negativeCount,
    nonFiniteCount,
  };
}

/**
 * Draws eigen/singular value spectra into `container` (replacing its contents): rank on x,
 * value on a true log (or linear) y axis, lines with dots, a legend, the annotations, and
 * a note counting omitted values.
 */
export function renderSpectrum(
  container: HTMLElement,
  initialData: SpectrumData,
  initialOptions: SpectrumOptions,
): ChartHandle<SpectrumData, SpectrumOptions> {
  let data = initialData;
  let options = initialOptions;
  let destroyed = false;
  assertSize('renderSpectrum', options);

  const skeleton = createSkeleton(container, 'lab-spectrum', options, MARGINS, options.title);
  draw();

  function draw(): void {
    resizeSkeleton(skeleton, options, MARGINS, options.title);
    const plot = skeleton.plot;
    plot.selectAll('*').remove();
    const inner = innerSize(options, MARGINS);

    const points = data.series.map((s) => spectrumPoints(s.values, options.logY));
    const maxRank = data.series.reduce((m, s) => Math.max(m, s.values.length), 1);
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of points) for (const v of p.values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    const fitted = options.logY ? paddedLogDomain(lo, hi) : paddedLinearDomain(Math.min(0, lo), hi);
    const yDomain = fitted ?? (options.logY ? [1e-3, 1] : [0, 1]);
    const x = scaleLinear().domain([1, Math.max(2, maxRank)]).range([0, inner.width]);
    const y = (options.logY ? scaleLog() : scaleLinear()).domain(yDomain).range([inner.height, 0]);
    const yTicks = options.logY ? logTickValues(yDomain as [number, number]) : y.ticks(5);

    plot
      .append('g')
      .attr('class', 'lab-grid')
      .selectAll('line')
      .data(yTicks)
      .join('line')
      .attr('x2', inner.width)
      .attr('y1', (v) => y(v))
      .attr('y2', (v) => y(v))
      .style('stroke', CHART_COLORS.grid);
    const xTicks = x.ticks(Math.max(2, Math.floor(inner.width / 70))).filter(Number.isInteger);
    plot.append('g')
      .attr('class', 'lab-axis-x')
      .attr('transform', `translate(0,${inner.height})`)
      .call(axisBottom(x).tickValues(xTicks).tickFormat(format('d')));
    const yAxis = axisLeft(y).tickValues(yTicks).tickSizeOuter(0);
    if (options.logY) yAxis.tickFormat((v) => formatLogTick(Number(v)));
    plot.append('g').attr('class', 'lab-axis-y').call(yAxis);
    plot.append('text')
      .attr('class', 'lab-axis-label')
      .attr('x', inner.width / 2)
      .attr('y', inner.height + 32)
      .attr('text-anchor', 'middle')
      .style('fill', CHART_COLORS.text)
      .text('index (descending order)');
    plot
      .append('text')
      .attr('class', 'lab-axis-label')
      .attr('transform', `translate(${-MARGINS.left + 14},${inner.height / 2}) rotate(-90)`)
      .attr('text-anchor', 'middle')
      .style('fill', CHART_COLORS.text)
      .text(options.yLabel);

    const radius = Math.min(DOT_RADIUS_PX, Math.max(1, inner.width / maxRank / 3));
    const series = plot
      .append('g')
      .attr('class', 'lab-series-layer')
      .selectAll('g')
      .data(data.series.map((s, k) => ({ s, k, p: points[k] })))
      .join('g')
      .attr('class', 'lab-series')
      .attr('data-series', (d) => d.s.id)
      .attr('data-points', (d) => d.p.values.length);
    series
      .append('path')
      .attr('class', 'lab-spectrum-line')
      .attr('d', (d) => polyline(d.p, x, y))
      .style('fill', 'none')
      .style('stroke', (d) => seriesColor(d.k))
      .style('stroke-width', '1.5');
    series
      .append('path')
      .attr('class', 'lab-spectrum-dots')
      .attr('d', (d) => dots(d.p, x, y, radius))
      .style('fill', (d) => seriesColor(d.k));

    drawNotes(plot, points, inner);
    drawHover(plot, x, inner);
  }

  function drawNotes(plot: typeof skeleton.plot, points: SpectrumPoints[], inner: ChartSize): void {
    const lines = [
      ...data.series.map((s, k) => ({ text: s.label, color: seriesColor(k) as string | null })),
      ...(options.annotations ?? []).map((text) => ({ text, color: null })),
    ];
    const legend = plot.append('g')
      .attr('class', 'lab-legend')
      .attr('transform', `translate(${inner.width - 6},4)`);
    const rows = legend.selectAll('g')
      .data(lines)
      .join('g')
      .attr('transform', (_, k) => `translate(0,${k * 14})`);
    rows.filter((d) => d.color !== null)
      .append('rect')
      .attr('x', -10)
      .attr('y', 2)
      .attr('width', 10)
      .attr('height', 10)
      .style('fill', (d) => d.color ?? 'none');
    rows
      .append('text')
      .attr('class', (d) => (d.color === null ? 'lab-annotation' : 'lab-legend-label'))
      .attr('x', (d) => (d.color === null ? 0 : -14))
      .attr('y', 11)
      .attr('text-anchor', 'end')
      .style('fill', (d) => (d.color === null ? CHART_COLORS.muted : CHART_COLORS.text))
      .text((d) => d.text);

    const zeros = points.reduce((m, p) => m + p.zeroCount, 0);
    const negatives = points.reduce((m, p) => m + p.negativeCount, 0);
    const nonFinite = points.reduce((m, p) => m + p.nonFiniteCount, 0);
    const parts: string[] = [];
    if (zeros > 0) parts.push(`${zeros} zero value${zeros === 1 ? '' : 's'} omitted (log axis)`);
    if (negatives > 0) parts.push(`${negatives} negative omitted`);
    if (nonFinite > 0) parts.push(`${nonFinite} NaN/inf omitted`);
    plot
      .append('text')
      .attr('class', 'lab-omitted-note')
      .attr('x', 6)
      .attr('y', inner.height - 6)
      .attr('data-zero-count', zeros)
      .attr('data-negative-count', negatives)
      .attr('data-non-finite-count', nonFinite)
      .style('fill', CHART_COLORS.warn)
      .text(parts.join(' \u00b7 '));
  }

  function drawHover(
    plot: typeof skeleton.plot,
    x: ScaleLinear<number, number>,
    inner: ChartSize,
  ): void {
    const overlay = plot.append('rect')
      .attr('class', 'lab-hover-overlay')
      .attr('width', inner.width)
      .attr('height', inner.height)
      .style('fill', 'transparent');
    const readout = createReadout(plot);
    overlay
      .on('pointermove', (event: PointerEvent) => {
        const [px, py] = pointer(event, overlay.node());
        const rank = Math.max(1, Math.round(x.invert(px)));
        const lines = data.series.flatMap((s, k) => {
          if (rank > s.values.length) return [];
          const text = `${s.label}: ${formatReadoutNumber(s.values[rank - 1])}`;
          return [{ text, color: seriesColor(k) }];
        });
        readout.show(px, py, [{ text: `index ${rank}` }, ...lines], inner.width, inner.height);
      })
      .on('pointerleave', () => readout.hide());
  }

  return {
    update(nextData, patch = {}) {
      if (destroyed) return;
      data = nextData;
      options = { ...options, ...patch };
      assertSize('SpectrumHandle.update', options);
      draw();
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      skeleton.plot.selectAll('rect').on('pointermove', null).on('pointerleave', null);
      skeleton.root.remove();
    },
    svg() {
      return destroyed ? null : skeleton.svg.node();
    },
  };
}

/** Path through the kept points, broken where ranks were omitted. */
function polyline(p: SpectrumPoints, x: (v: number) => number, y: (v: number) => number): string {
  const parts: string[] = [];
  for (let i = 0; i < p.values.length; i += 1) {
    const joined = i > 0 && p.rank[i] === p.rank[i - 1] + 1;
    parts.push(`${joined ? 'L' : 'M'}${round1(x(p.rank[i]))},${round1(y(p.values[i]))}`);
  }
  return parts.join('');
}

/** One circle of radius `r` pixels per kept point, as a single path. */
function dots(
  p: SpectrumPoints,
  x: (v: number) => number,
  y: (v: number) => number,
  r: number,
): string {
  const parts: string[] = [];
  for (let i = 0; i < p.values.length; i += 1) {
    const cx = round1(x(p.rank[i]));
    const cy = round1(y(p.values[i]));
    const d = round1(2 * r);
    parts.push(`M${round1(cx - r)},${cy}a${r},${r} 0 1,0 ${d},0a${r},${r} 0 1,0 ${-d},0`);
  }
  return parts.join('');
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
