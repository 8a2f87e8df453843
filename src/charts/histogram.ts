import { axisBottom, axisLeft, pointer, scaleLinear } from 'd3';

import {
  CHART_COLORS,
  assertChart,
  assertSize,
  createSkeleton,
  formatReadoutNumber,
  innerSize,
  resizeSkeleton,
  seriesColor,
  upperBound,
} from './chartTypes';
import { createReadout } from './readout';

import type { Selection } from 'd3';
import type { ChartHandle, ChartSize, Margins } from './chartTypes';

const BASE_MARGINS: Margins = { top: 8, right: 16, bottom: 38, left: 54 };
/** Height in pixels of one legend row in the top margin. */
const LEGEND_ROW_PX = 16;
/** Estimated advance of one legend character in pixels (no text layout in tests). */
const LEGEND_CHAR_PX = 6.3;
/** Opacity of each series' fill; low enough that three overlaid series stay readable. */
const FILL_OPACITY = 0.18;

type Group = Selection<SVGGElement, unknown, null, undefined>;

/** One binned distribution: bin b spans `[edges[b], edges[b + 1])` and holds `counts[b]`. */
export interface HistogramSeries {
  /** Stable key, unique within the chart. */
  id: string;
  /** Legend and read-out name. */
  label: string;
  /** Bin edges, ascending; length bins + 1. */
  edges: Float64Array;
  /** Items per bin, >= 0; length bins. Non-finite counts are drawn as 0. */
  counts: Float64Array;
}

/** The data of {@link renderHistogram}. */
export interface HistogramData {
  /** Overlaid in order, coloured `--lab-series-1..8`. */
  series: HistogramSeries[];
}

/** Options of {@link renderHistogram}; `width` and `height` are outer pixels. */
export interface HistogramOptions extends ChartSize {
  /** Accessible name (`<title>`, aria-label). */
  title: string;
  /** Text under the x axis. */
  xLabel: string;
  /**
   * Normalise each series to unit area (count / (total * bin width)), so series of very
   * different sizes overlay meaningfully; otherwise raw counts.
   */
  density: boolean;
  /** Vertical dashed lines at x = `value` (x units) with labels, e.g. means. */
  markers?: { value: number; label: string }[];
}

/**
 * The density of each bin, `counts[b] / (total * (edges[b + 1] - edges[b]))`, so that
 * sum(density * width) = 1. `edges` has length bins + 1; zero-width bins, non-finite counts
 * and an empty series give 0. Example: edges [0, 1, 3], counts [2, 2] -> [0.5, 0.25].
 */
export function histogramDensity(
  edges: ArrayLike<number>,
  counts: ArrayLike<number>,
): Float64Array {
  assertHistogramShape('histogramDensity', edges, counts);
  let total = 0;
  for (let b = 0; b < counts.length; b += 1) if (Number.isFinite(counts[b])) total += counts[b];
  const density = new Float64Array(counts.length);
  if (!(total > 0)) return density;
  for (let b = 0; b < counts.length; b += 1) {
    const width = edges[b + 1] - edges[b];
    density[b] = width > 0 && Number.isFinite(counts[b]) ? counts[b] / (total * width) : 0;
  }
  return density;
}

/**
 * Draws overlaid histograms into `container` (replacing its contents): one step outline with
 * a translucent fill per series, optional vertical markers, a legend and a hover read-out
 * of each series' bin at the pointer.
 */
export function renderHistogram(
  container: HTMLElement,
  initialData: HistogramData,
  initialOptions: HistogramOptions,
): ChartHandle<HistogramData, HistogramOptions> {
  let data = initialData;
  let options = initialOptions;
  let destroyed = false;
  assertSize('renderHistogram', options);

  const skeleton = createSkeleton(container, 'lab-histogram', options, BASE_MARGINS, options.title);
  draw();

  function draw(): void {
    for (const s of data.series) {
      assertHistogramShape(`renderHistogram series "${s.id}"`, s.edges, s.counts);
    }
    const legendWidth = options.width - BASE_MARGINS.left - BASE_MARGINS.right;
    const legend = layoutLegend(
      data.series.map((s) => s.label),
      legendWidth,
    );
    const margins = { ...BASE_MARGINS, top: BASE_MARGINS.top + legend.rows * LEGEND_ROW_PX };
    resizeSkeleton(skeleton, options, margins, options.title);
    const plot = skeleton.plot;
    plot.selectAll('*').remove();
    const inner = innerSize(options, margins);

    const heights = data.series.map((s) =>
      options.density ? histogramDensity(s.edges, s.counts) : finiteCounts(s.counts),
    );
    const x = scaleLinear().domain(xExtent(data, options.markers ?? [])).range([0, inner.width]);
    const yMax = heights.reduce((m, h) => h.reduce((mm, v) => Math.max(mm, v), m), 0);
    const y = scaleLinear().domain([0, yMax > 0 ? yMax * 1.08 : 1]).range([inner.height, 0]);

    plot
      .append('g')
      .attr('class', 'lab-grid')
      .selectAll('line')
      .data(y.ticks(5))
      .join('line')
      .attr('x2', inner.width)
      .attr('y1', (v) => y(v))
      .attr('y2', (v) => y(v))
      .style('stroke', CHART_COLORS.grid);
    plot.append('g')
      .attr('class', 'lab-axis-x')
      .attr('transform', `translate(0,${inner.height})`)
      .call(axisBottom(x).ticks(Math.max(2, Math.floor(inner.width / 80))));
    plot.append('g').attr('class', 'lab-axis-y').call(axisLeft(y).ticks(5).tickSizeOuter(0));
    plot
      .append('text')
      .attr('class', 'lab-axis-label')
      .attr('x', inner.width / 2)
      .attr('y', inner.height + 32)
      .attr('text-anchor', 'middle')
      .style('fill', CHART_COLORS.text)
      .text(options.xLabel);
    plot
      .append('text')
      .attr('class', 'lab-axis-label')
      .attr('transform', `translate(${-margins.left + 14},${inner.height / 2}) rotate(-90)`)
      .attr('text-anchor', 'middle')
      .style('fill', CHART_COLORS.text)
      .text(options.density ? 'density' : 'count');

    const series = plot
      .append('g')
      .attr('class', 'lab-series-layer')
      .selectAll('g')
      .data(data.series.map((s, k) => ({ s, k, path: stepPath(s.edges, heights[k], x, y) })))
      .join('g')
      .attr('class', 'lab-series')
      .attr('data-series', (d) => d.s.id);
    series
      .append('path')
      .attr('class', 'lab-hist-fill')
      .attr('d', (d) => (d.path ? `${d.path}Z` : ''))
      .style('fill', (d) => seriesColor(d.k))
      .style('fill-opacity', String(FILL_OPACITY))
      .style('stroke', 'none');
    series
      .append('path')
      .attr('class', 'lab-hist-outline')
      .attr('d', (d) => d.path)
      .style('fill', 'none')
      .style('stroke', (d) => seriesColor(d.k))
      .style('stroke-width', '1.5');

    drawMarkers(plot.append('g').attr('class', 'lab-markers'), x, inner);
    const legendGroup = plot
      .append('g')
      .attr('class', 'lab-legend')
      .attr('transform', `translate(0,${-legend.rows * LEGEND_ROW_PX - 2})`);
    drawLegend(legendGroup, legend.positions);

    const overlay = plot.append('rect')
      .attr('class', 'lab-hover-overlay')
      .attr('width', inner.width)
      .attr('height', inner.height)
      .style('fill', 'transparent');
    const rule = plot.append('line')
      .attr('y2', inner.height)
      .style('stroke', CHART_COLORS.muted)
      .style('stroke-dasharray', '2 2')
      .style('display', 'none')
      .attr('pointer-events', 'none');
    const readout = createReadout(plot);
    overlay
      .on('pointermove', (event: PointerEvent) => {
        const [px, py] = pointer(event, overlay.node());
        const value = x.invert(px);
        const lines = data.series.flatMap((s, k) => {
          const b = upperBound(s.edges, value) - 1;
          if (b < 0 || b >= s.counts.length) return [];
          const lo = formatReadoutNumber(s.edges[b]);
          const hi = formatReadoutNumber(s.edges[b + 1]);
          const text = `${s.label} [${lo}, ${hi}): ${formatReadoutNumber(heights[k][b])}`;
          return [{ text, color: seriesColor(k) }];
        });
        rule.style('display', null).attr('x1', px).attr('x2', px);
        if (lines.length === 0) readout.hide();
        else readout.show(px, py, lines, inner.width, inner.height);
      })
      .on('pointerleave', () => {
        rule.style('display', 'none');
        readout.hide();
      });
  }

  function drawMarkers(layer: Group, x: (v: number) => number, inner: ChartSize): void {
    const marks = (options.markers ?? []).filter((m) => Number.isFinite(m.value));
    const groups = layer
      .selectAll('g')
      .data(marks)
      .join('g')
      .attr('class', 'lab-marker')
      .attr('transform', (m) => `translate(${x(m.value)},0)`);
    groups.append('line')
      .attr('y2', inner.height)
      .style('stroke', CHART_COLORS.reference)
      .style('stroke-dasharray', '4 3');
    const flip = (m: { value: number }) => x(m.value) > inner.width * 0.75;
    groups
      .append('text')
      .attr('x', (m) => (flip(m) ? -3 : 3))
      .attr('y', (_, k) => 12 + k * 12)
      .attr('text-anchor', (m) => (flip(m) ? 'end' : 'start'))
      .style('font-size', '10px')
      .style('fill', CHART_COLORS.reference)
      .text((m) => m.label);
  }

  function drawLegend(layer: Group, positions: readonly { x: number; row: number }[]): void {
    const items = layer
      .selectAll('g')
      .data(data.series)
      .join('g')
      .attr('class', 'lab-legend-item')
      .attr('transform', (_, k) => {
        const { x, row } = positions[k];
        return `translate(${x},${row * LEGEND_ROW_PX})`;
      });
    items
      .append('rect')
      .attr('y', 2)
      .attr('width', 10)
      .attr('height', 10)
      .style('fill', (_, k) => seriesColor(k))
      .style('fill-opacity', '0.5')
      .style('stroke', (_, k) => seriesColor(k));
    items
      .append('text')
      .attr('x', 14)
      .attr('y', 11)
      .style('fill', CHART_COLORS.text)
      .text((s) => s.label);
  }

  return {
    update(nextData, patch = {}) {
      if (destroyed) return;
      data = nextData;
      options = { ...options, ...patch };
      assertSize('HistogramHandle.update', options);
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

/**
 * Places legend items (swatch + label) left to right, wrapping at `maxWidth` pixels; returns
 * each item's x offset and row, and the number of rows (0 for no items).
 */
function layoutLegend(
  labels: readonly string[],
  maxWidth: number,
): { positions: { x: number; row: number }[]; rows: number } {
  const positions: { x: number; row: number }[] = [];
  let x = 0;
  let row = 0;
  for (const label of labels) {
    const width = 14 + label.length * LEGEND_CHAR_PX + 16;
    if (x > 0 && x + width > maxWidth) {
      x = 0;
      row += 1;
    }
    positions.push({ x, row });
    x += width;
  }
  return { positions, rows: labels.length === 0 ? 0 : row + 1 };
}

function assertHistogramShape(
  op: string,
  edges: ArrayLike<number>,
  counts: ArrayLike<number>,
): void {
  assertChart(
    edges.length === counts.length + 1,
    () => `${op}: edges must have bins + 1 entries; got ${edges.length} edges for ${counts.length} counts`,
  );
  for (let b = 1; b < edges.length; b += 1) {
    assertChart(
      edges[b] >= edges[b - 1],
      () => `${op}: edges must be finite and ascending; edge ${b} is ${edges[b]} after ${edges[b - 1]}`,
    );
  }
}

function finiteCounts(counts: Float64Array): Float64Array {
  return counts.map((c) => (Number.isFinite(c) ? c : 0));
}

/** The union of all edges and finite marker values, widened to a non-empty interval. */
function xExtent(data: HistogramData, markers: readonly { value: number }[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of data.series) {
    if (s.edges.length === 0) continue;
    lo = Math.min(lo, s.edges[0]);
    hi = Math.max(hi, s.edges[s.edges.length - 1]);
  }
  for (const m of markers) {
    if (!Number.isFinite(m.value)) continue;
    lo = Math.min(lo, m.value);
    hi = Math.max(hi, m.value);
  }
  if (!(hi >= lo)) return [0, 1];
  return hi > lo ? [lo, hi] : [lo - 0.5, hi + 0.5];
}

/** Step outline from the baseline up and along each bin's top and back down (no `Z`). */
function stepPath(
  edges: Float64Array,
  heights: Float64Array,
  x: (v: number) => number,
  y: (v: number) => number,
): string {
  if (heights.length === 0) return '';
  const r = (v: number) => Math.round(v * 10) / 10;
  const parts = [`M${r(x(edges[0]))},${r(y(0))}`];
  for (let b = 0; b < heights.length; b += 1) {
    parts.push(`V${r(y(heights[b]))}H${r(x(edges[b + 1]))}`);
  }
  parts.push(`V${r(y(0))}`);
  return parts.join('');
}
