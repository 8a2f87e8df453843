import { pointer, range as d3range } from 'd3';

import {
  CHART_COLORS,
  assertChart,
  assertSize,
  createSkeleton,
  formatReadoutNumber,
  innerSize,
  resizeSkeleton,
} from './chartTypes';
import { drawHeatmapLegend, isFaintNegative } from './heatmapLegend';
import { createHeatmapPalette, relativeLuminance } from './heatmapPalette';
import { paintHeatmapRaster } from './heatmapRaster';
import { createReadout } from './readout';

import type { Selection } from 'd3';
import type { ChartHandle, ChartSize, Margins } from './chartTypes';
import type { HeatmapPalette } from './heatmapPalette';

/** Matrices up to this many rows and columns are SVG rects with value text; larger go to canvas. */
export const SVG_CELL_LIMIT = 24;
/** Labels are thinned so adjacent ones are at least this many pixels apart. */
const MIN_LABEL_SPACING_PX = 11;
/** Longest label shown, in characters; longer ones are cut with an ellipsis. */
const MAX_LABEL_CHARS = 18;
/** Pixels reserved at the right for the colour legend. */
const LEGEND_WIDTH_PX = 104;
/** Smallest cell in pixels that still gets value text. */
/** Narrower cells would let 3-decimal values run into each other; hover still shows them. */
const MIN_TEXT_CELL_PX = 28;

/**
 * A row-major matrix: `values[i * cols + j]` is row i, column j, with rows =
 * rowLabels.length and cols = colLabels.length; NaN means undefined (drawn hatched grey).
 */
export interface HeatmapData {
  /** One per row, top to bottom. */
  rowLabels: string[];
  /** One per column, left to right. */
  colLabels: string[];
  /** Row-major, length rows * cols; NaN = undefined. */
  values: Float64Array;
  /** Per-cell note shown on hover (e.g. "n too small"), same indexing as `values`. */
  cellNotes?: (string | null)[];
}

/** Options of {@link renderHeatmap}; `width` and `height` are outer pixels. */
export interface HeatmapOptions extends ChartSize {
  /** Accessible name (`<title>`, aria-label). */
  title: string;
  /** Colour domain [min, max] in value units. */
  domain: [number, number];
  /** Blue-white-red centred on 0 (when the domain straddles 0), so negatives look negative. */
  diverging: boolean;
  /** Formats a finite value for cell text, legend ticks and the read-out. */
  format(value: number): string;
  /** Called with the hovered cell's row, column and value; `(null, null, NaN)` on leave. */
  onHover?(row: number | null, col: number | null, value: number): void;
  /** Write each value in its cell (SVG mode only, cells of 16 px or more). */
  showValues: boolean;
}

type Group = Selection<SVGGElement, unknown, null, undefined>;

interface Layout {
  margins: Margins;
  /** Side of one square cell in pixels. */
  cell: number;
  rows: number;
  cols: number;
}

/**
 * Draws a labelled matrix into `container` (replacing its contents): SVG rects with values
 * for matrices up to 24 x 24, a canvas-painted image for larger ones (skipped when no 2D
 * context exists), hatched grey undefined cells with their note on hover, and a colour
 * legend. Returns the chart handle; `update` redraws everything.
 */
export function renderHeatmap(
  container: HTMLElement,
  initialData: HeatmapData,
  initialOptions: HeatmapOptions,
): ChartHandle<HeatmapData, HeatmapOptions> {
  let data = initialData;
  let options = initialOptions;
  let destroyed = false;
  assertHeatmapData(data);
  assertSize('renderHeatmap', options);

  const firstMargins = computeLayout(data, options).margins;
  const skeleton = createSkeleton(container, 'lab-heatmap', options, firstMargins, options.title);
  const hatchId = `${skeleton.idPrefix}-hatch`;
  const gradientId = `${skeleton.idPrefix}-gradient`;
  const defs = skeleton.svg.insert('defs', 'g');
  const hatch = defs.append('pattern')
    .attr('id', hatchId)
    .attr('patternUnits', 'userSpaceOnUse')
    .attr('width', 6)
    .attr('height', 6);
  hatch.append('rect').attr('width', 6).attr('height', 6).style('fill', '#d9d9d9');
  hatch.append('path')
    .attr('d', 'M-1,1l2,-2M0,6l6,-6M5,7l2,-2')
    .style('stroke', '#8c8c8c')
    .style('stroke-width', '1');
  defs.append('linearGradient')
    .attr('id', gradientId)
    .attr('x1', 0)
    .attr('y1', 1)
    .attr('x2', 0)
    .attr('y2', 0);

  draw();

  function draw(): void {
    const layout = computeLayout(data, options);
    const palette = createHeatmapPalette(options.domain, options.diverging);
    resizeSkeleton(skeleton, options, layout.margins, options.title);
    const plot = skeleton.plot;
    plot.selectAll('*').remove();

    const gridW = layout.cell * layout.cols;
    const gridH = layout.cell * layout.rows;
    const cells = plot.append('g').attr('class', 'lab-cells');
    const small = layout.rows <= SVG_CELL_LIMIT && layout.cols <= SVG_CELL_LIMIT;
    if (small) drawRects(cells, layout, palette);
    else drawRaster(cells, layout, palette);
    drawLabels(plot, layout);
    const legend = plot
      .append('g')
      .attr('class', 'lab-legend')
      .attr('transform', `translate(${gridW + 14},0)`);
    drawHeatmapLegend(legend, {
      palette,
      height: Math.max(60, gridH),
      gradient: defs.select<SVGLinearGradientElement>(`#${gradientId}`),
      gradientId,
      hatchId,
      format: options.format,
      values: data.values,
      marksFaintNegatives: small,
    });

    const highlight = plot
      .append('rect')
      .attr('class', 'lab-cell-highlight')
      .attr('width', layout.cell)
      .attr('height', layout.cell)
      .style('fill', 'none')
      .style('stroke', CHART_COLORS.text)
      .style('stroke-width', '1.5')
      .style('display', 'none');
    const overlay = plot.append('rect')
      .attr('class', 'lab-hover-overlay')
      .attr('width', gridW)
      .attr('height', gridH)
      .style('fill', 'transparent');
    const readout = createReadout(plot);
    const inner = innerSize(options, layout.margins);

    overlay
      .on('pointermove', (event: PointerEvent) => {
        const [px, py] = pointer(event, overlay.node());
        const i = Math.floor(py / layout.cell);
        const j = Math.floor(px / layout.cell);
        if (i < 0 || j < 0 || i >= layout.rows || j >= layout.cols) return;
        const value = data.values[i * layout.cols + j];
        highlight.style('display', null).attr('x', j * layout.cell).attr('y', i * layout.cell);
        const lines = describeCell(i, j).map((text) => ({ text }));
        readout.show(px, py, lines, inner.width, inner.height);
        options.onHover?.(i, j, value);
      })
      .on('pointerleave', () => {
        highlight.style('display', 'none');
        readout.hide();
        options.onHover?.(null, null, Number.NaN);
      });
  }

  function describeCell(i: number, j: number): string[] {
    const k = i * data.colLabels.length + j;
    const value = data.values[k];
    const note = data.cellNotes?.[k] ?? null;
    const head = `${data.rowLabels[i]} \u00d7 ${data.colLabels[j]}`;
    if (value !== value) {
      if (!note) return [head, 'undefined'];
      return [head, /^undefined/i.test(note) ? note : `undefined: ${note}`];
    }
    const text = Number.isFinite(value)
      ? options.format(value)
      : `${formatReadoutNumber(value)} (not drawable)`;
    return note ? [head, text, note] : [head, text];
  }

  function drawRects(layer: Group, layout: Layout, palette: HeatmapPalette): void {
    const { cell, cols } = layout;
    const showText = options.showValues && cell >= MIN_TEXT_CELL_PX;
    const fontPx = Math.max(8, Math.min(12, cell / 3.2));
    const isUndefined = (k: number) => Number.isNaN(data.values[k]);
    const groups = layer
      .selectAll('g.lab-cell')
      .data(d3range(layout.rows * cols))
      .join('g')
      .attr('class', (k) => (isUndefined(k) ? 'lab-cell lab-cell-undefined' : 'lab-cell'))
      .attr('data-row', (k) => Math.floor(k / cols))
      .attr('data-col', (k) => k % cols)
      .attr('transform', (k) => `translate(${(k % cols) * cell},${Math.floor(k / cols) * cell})`);
    groups
      .append('rect')
      .attr('width', cell)
      .attr('height', cell)
      .style('fill', (k) => (isUndefined(k) ? `url(#${hatchId})` : palette.css(data.values[k])))
      .style('stroke', CHART_COLORS.background)
      .style('stroke-width', cell > 6 ? '0.5' : '0');
    const corner = Math.max(3, cell / 4);
    groups
      .filter((k) => isFaintNegative(data.values[k], palette))
      .append('path')
      .attr('class', 'lab-negative-cue')
      .attr('d', `M0,0h${corner}L0,${corner}Z`)
      .style('fill', palette.css(palette.domain[0]));
    groups.append('title').text((k) => describeCell(Math.floor(k / cols), k % cols).join(': '));
    if (!showText) return;
    groups
      .append('text')
      .attr('x', cell / 2)
      .attr('y', cell / 2)
      .attr('dy', '0.35em')
      .attr('text-anchor', 'middle')
      .style('font-size', `${fontPx}px`)
      .style('fill', (k) => {
        const light = relativeLuminance(palette.css(data.values[k])) > 0.4;
        return light ? '#111111' : '#ffffff';
      })
      .text((k) => (Number.isFinite(data.values[k]) ? options.format(data.values[k]) : '\u2013'));
  }

  function drawRaster(layer: Group, layout: Layout, palette: HeatmapPalette): void {
    const url = paintHeatmapRaster(data.values, layout.rows, layout.cols, palette, layout.cell);
    if (url === null) {
      layer
        .attr('data-raster', 'unavailable')
        .append('text')
        .attr('x', 4)
        .attr('y', 14)
        .style('fill', CHART_COLORS.muted)
        .text('This browser gave no 2D canvas; the matrix cannot be drawn.');
      return;
    }
    layer
      .attr('data-raster', 'canvas')
      .append('image')
      .attr('href', url)
      .attr('width', layout.cell * layout.cols)
      .attr('height', layout.cell * layout.rows)
      .attr('preserveAspectRatio', 'none')
      .style('image-rendering', 'pixelated');
  }

  function drawLabels(plot: Group, layout: Layout): void {
    const stride = Math.max(1, Math.ceil(MIN_LABEL_SPACING_PX / layout.cell));
    const fontPx = Math.min(11, Math.max(8, layout.cell * 0.8));
    const keep = (_: string, i: number) => i % stride === 0;
    plot
      .append('g')
      .attr('class', 'lab-row-labels')
      .selectAll('text')
      .data(data.rowLabels.map((label, i) => ({ label, i })).filter((d) => keep(d.label, d.i)))
      .join('text')
      .attr('x', -4)
      .attr('y', (d) => (d.i + 0.5) * layout.cell)
      .attr('dy', '0.35em')
      .attr('text-anchor', 'end')
      .style('font-size', `${fontPx}px`)
      .style('fill', CHART_COLORS.text)
      .text((d) => truncate(d.label));
    plot
      .append('g')
      .attr('class', 'lab-col-labels')
      .selectAll('text')
      .data(data.colLabels.map((label, i) => ({ label, i })).filter((d) => keep(d.label, d.i)))
      .join('text')
      .attr('transform', (d) => {
        const x = (d.i + 0.5) * layout.cell;
        return `translate(${x},${layout.rows * layout.cell + 4}) rotate(-90)`;
      })
      .attr('dy', '0.35em')
      .attr('text-anchor', 'end')
      .style('font-size', `${fontPx}px`)
      .style('fill', CHART_COLORS.text)
      .text((d) => truncate(d.label));
  }

  return {
    update(nextData, patch = {}) {
      if (destroyed) return;
      assertHeatmapData(nextData);
      data = nextData;
      options = { ...options, ...patch };
      assertSize('HeatmapHandle.update', options);
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

function assertHeatmapData(data: HeatmapData): void {
  const rows = data.rowLabels.length;
  const cols = data.colLabels.length;
  assertChart(
    data.values.length === rows * cols,
    () => `renderHeatmap: values must hold rows * cols = ${rows} * ${cols} = ${rows * cols} entries, got ${data.values.length}`,
  );
  assertChart(
    data.cellNotes === undefined || data.cellNotes.length === rows * cols,
    () => `renderHeatmap: cellNotes must hold ${rows * cols} entries like values, got ${data.cellNotes?.length}`,
  );
}

/** Margins sized to the labels and legend, and the square cell side that fits the rest. */
function computeLayout(data: HeatmapData, size: ChartSize): Layout {
  const rows = data.rowLabels.length;
  const cols = data.colLabels.length;
  const longest = (labels: string[]) =>
    Math.min(MAX_LABEL_CHARS, labels.reduce((m, l) => Math.max(m, l.length), 0));
  const margins: Margins = {
    top: 8,
    right: LEGEND_WIDTH_PX,
    bottom: 10 + longest(data.colLabels) * 6,
    left: 8 + longest(data.rowLabels) * 6,
  };
  const inner = innerSize(size, margins);
  const fit = Math.min(inner.width / Math.max(1, cols), inner.height / Math.max(1, rows));
  const cell = rows === 0 || cols === 0 ? 1 : Math.max(0.5, fit);
  return { margins, cell, rows, cols };
}

function truncate(label: string): string {
  return label.length > MAX_LABEL_CHARS ? `${label.slice(0, MAX_LABEL_CHARS - 1)}\u2026` : label;
}
