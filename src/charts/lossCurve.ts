import {
  axisBottom,
  axisLeft,
  format,
  pointer,
  scaleLinear,
  scaleLog,
  zoom,
  zoomIdentity,
} from 'd3';

import {
  CHART_COLORS,
  assertSize,
  createSkeleton,
  formatReadoutNumber,
  innerSize,
  nearestIndex,
  resizeSkeleton,
} from './chartTypes';
import { decimateMinMax } from './decimateMinMax';
import { formatLogTick, logTickValues } from './logAxis';
import { drawCheckpoints } from './lossCurveCheckpoints';
import {
  drawEvents,
  drawNonFiniteMarkers,
  drawReferenceLines,
  updateExclusionBadge,
} from './lossCurveMarks';
import {
  dataExtent,
  drawSeriesLines,
  fitYDomain,
  prepareSeries,
  sameMarks,
  sameSeries,
} from './lossCurveSeries';
import { createReadout } from './readout';

import type { ZoomBehavior, ZoomTransform } from 'd3';
import type { ChartHandle, ChartSize, Margins } from './chartTypes';
import type { DecimatedSeries } from './decimateMinMax';
import type { SeriesView } from './lossCurveSeries';

const MARGINS: Margins = { top: 18, right: 16, bottom: 34, left: 58 };
/** The deepest zoom still shows about this many points of the longest series. */
const MIN_POINTS_IN_VIEW = 8;
/** Distance in pixels from the plot's bottom edge to the badge's top, clearing 3 marker rows. */
const BADGE_BOTTOM_OFFSET_PX = 42;

/** One logged scalar: `steps` ascending and finite, `values` and `smoothed` the same length. */
export interface LossSeries {
  /** Stable key, unique within the chart. */
  id: string;
  /** Legend and read-out name. */
  label: string;
  /** Training steps, ascending, finite; length n. */
  steps: Float64Array;
  /** Raw values, length n; NaN/±inf allowed (drawn as markers, counted). */
  values: Float64Array;
  /** Smoothed values over the full series (computed upstream, CASES B23), length n. */
  smoothed?: Float64Array;
}

/** The data of {@link renderLossCurve}; every step is in the series' step units. */
export interface LossCurveData {
  /** Drawn in order, coloured `--lab-series-1..8`; ids unique. */
  series: LossSeries[];
  /** Vertical labelled rules (e.g. learning-rate drops); `kind` becomes a CSS class. */
  events: { step: number; label: string; kind: string }[];
  /** Clickable diamonds along the top, reported by index into this array. */
  checkpoints: { step: number; label: string }[];
  /** Step of the checkpoint in view, drawn as a distinct rule; null for none. */
  currentStep: number | null;
  /** Horizontal dashed lines, e.g. ln K (the SwAV loss of uniform assignments). */
  referenceLines: { value: number; label: string }[];
}

/** A series' values at the hovered step; `smoothed` is null without a smoothed series. */
export interface LossHoverValue {
  /** The series' id. */
  id: string;
  /** The series' label. */
  label: string;
  /** The series' step nearest the pointer. */
  step: number;
  /** Raw value at `step`; may be NaN/±inf. */
  value: number;
  /** Smoothed value at `step`, null when the series has none. */
  smoothed: number | null;
}

/** Options of {@link renderLossCurve}; `width` and `height` are outer pixels. */
export interface LossCurveOptions extends ChartSize {
  /** True base-10 log y axis; values <= 0 are excluded and counted. */
  logY: boolean;
  /** Draw the raw values (light) under the smoothed line. */
  showRaw: boolean;
  /** Accessible name (`<title>`, aria-label). */
  title: string;
  /** Text beside the y axis. */
  yLabel: string;
  /** Called with the nearest step and each series' values; `(null, [])` on leave. */
  onHover?(step: number | null, values: LossHoverValue[]): void;
  /** Called with the index into `data.checkpoints` of a clicked checkpoint. */
  onCheckpointClick?(index: number): void;
}

/** The loss curve's handle: the common one plus programmatic x zoom and domain queries. */
export interface LossCurveHandle extends ChartHandle<LossCurveData, LossCurveOptions> {
  /** Zooms x to `[step0, step1]` (clamped to the data extent); null resets. */
  zoomTo(domain: readonly [number, number] | null): void;
  /** The visible x domain in steps. */
  xDomain(): [number, number];
  /** The y domain in data units after rescaling to the visible range. */
  yDomain(): [number, number];
}

/**
 * Draws training-loss series into `container` (replacing its contents): raw values light,
 * smoothed strong, lines decimated to the visible pixel columns so a million points stay
 * smooth; gaps at NaN/±inf (and at values <= 0 on a log axis) with markers and a badge;
 * events, checkpoints, the current checkpoint and reference lines. Wheel/drag zooms x,
 * double-click resets.
 */
export function renderLossCurve(
  container: HTMLElement,
  initialData: LossCurveData,
  initialOptions: LossCurveOptions,
): LossCurveHandle {
  let data = initialData;
  let options = initialOptions;
  let prepared = prepareSeries(data.series);
  let transform: ZoomTransform = zoomIdentity;
  let yDomain: [number, number] = [0, 1];
  let frame: number | null = null;
  let destroyed = false;
  assertSize('renderLossCurve', options);

  const { title } = options;
  const skeleton = createSkeleton(container, 'lab-loss-curve', options, MARGINS, title, 'group');
  const { plot, idPrefix } = skeleton;
  const clipId = `${idPrefix}-clip`;
  const clipRect = plot.append('defs').append('clipPath').attr('id', clipId).append('rect');
  const grid = plot.append('g').attr('class', 'lab-grid');
  const xAxis = plot.append('g').attr('class', 'lab-axis-x');
  const yAxis = plot.append('g').attr('class', 'lab-axis-y');
  const yLabel = plot.append('text').attr('class', 'lab-axis-label').attr('text-anchor', 'middle');
  const clipped = plot.append('g').attr('clip-path', `url(#${clipId})`);
  const eventLayer = clipped.append('g').attr('class', 'lab-events');
  const referenceLayer = clipped.append('g').attr('class', 'lab-references');
  const lineLayer = clipped.append('g').attr('class', 'lab-lines');
  const markerLayer = clipped.append('g').attr('class', 'lab-markers');
  const current = clipped.append('line').attr('class', 'lab-current-marker');
  const hoverRule = clipped.append('line').attr('class', 'lab-hover-rule').style('display', 'none');
  const overlay = plot.append('rect')
    .attr('class', 'lab-zoom-overlay')
    .style('fill', 'transparent');
  const checkpointLayer = plot.append('g').attr('class', 'lab-checkpoints');
  const badge = plot.append('g').attr('class', 'lab-badge');
  badge.append('rect')
    .attr('height', 16)
    .attr('rx', 3)
    .style('fill', CHART_COLORS.background)
    .style('stroke', CHART_COLORS.warn);
  badge.append('text').attr('x', 5).attr('y', 12).style('fill', CHART_COLORS.warn);
  const readout = createReadout(plot);

  current.style('stroke', CHART_COLORS.current).style('stroke-width', '2');
  hoverRule.style('stroke', CHART_COLORS.muted).style('stroke-dasharray', '2 2');
  yLabel.style('fill', CHART_COLORS.text);

  const xBase = scaleLinear();
  const zoomBehavior: ZoomBehavior<SVGRectElement, unknown> = zoom<SVGRectElement, unknown>().on(
    'zoom',
    (event: { transform: ZoomTransform; sourceEvent: unknown }) => {
      transform = event.transform;
      if (event.sourceEvent != null && typeof requestAnimationFrame === 'function') scheduleView();
      else drawView();
    },
  );
  overlay
    .call(zoomBehavior)
    .on('dblclick.zoom', null)
    .on('dblclick', () => overlay.call(zoomBehavior.transform, zoomIdentity))
    .on('pointermove', (event: PointerEvent) => hover(pointer(event, overlay.node())[0]))
    .on('pointerleave', () => hover(null));

  draw();

  function visibleX() {
    return transform.rescaleX(xBase);
  }

  function draw(): void {
    const inner = innerSize(options, MARGINS);
    resizeSkeleton(skeleton, options, MARGINS, options.title);
    clipRect.attr('width', inner.width).attr('height', inner.height);
    overlay.attr('width', inner.width).attr('height', inner.height);
    const extent: [[number, number], [number, number]] = [[0, 0], [inner.width, inner.height]];
    const longest = prepared.reduce((m, p) => Math.max(m, p.series.steps.length), 0);
    zoomBehavior
      .extent(extent)
      .translateExtent(extent)
      .scaleExtent([1, Math.max(1, longest / MIN_POINTS_IN_VIEW)]);
    xBase.domain(dataExtent(data)).range([0, inner.width]);
    xAxis.attr('transform', `translate(0,${inner.height})`);
    yLabel
      .attr('transform', `translate(${-MARGINS.left + 14},${inner.height / 2}) rotate(-90)`)
      .text(options.yLabel);

    const totals = prepared.reduce(
      (sum, p) => ({
        nonFinite: sum.nonFinite + p.exclusions.nonFinite,
        nonPositive: sum.nonPositive + p.exclusions.nonPositive,
      }),
      { nonFinite: 0, nonPositive: 0 },
    );
    // Bottom-left, above the NaN/inf marker rows: a falling loss curve rarely lives there.
    badge.attr('transform', `translate(6,${inner.height - BADGE_BOTTOM_OFFSET_PX})`);
    updateExclusionBadge(badge, totals, options.logY);
    drawView();
  }

  function drawView(): void {
    if (destroyed) return;
    const inner = innerSize(options, MARGINS);
    const x = visibleX();
    const domain = x.domain() as [number, number];
    const columns = Math.max(1, Math.round(inner.width));
    const lines: SeriesView[] = prepared.map((p) => {
      const strongValues = p.series.smoothed ?? p.series.values;
      const decimate = (values: Float64Array): DecimatedSeries =>
        decimateMinMax(p.series.steps, values, domain[0], domain[1], columns, {
          positiveOnly: options.logY,
        });
      const raw = options.showRaw && p.series.smoothed ? decimate(p.series.values) : null;
      return { prepared: p, raw, strong: decimate(strongValues) };
    });

    const drawn = lines.flatMap((l) => (l.raw ? [l.raw, l.strong] : [l.strong]));
    yDomain = fitYDomain(drawn, domain, options.logY);
    const y = options.logY
      ? scaleLog().domain(yDomain).range([inner.height, 0])
      : scaleLinear().domain(yDomain).range([inner.height, 0]);
    const yTicks = options.logY ? logTickValues(yDomain) : y.ticks(6);
    const yAxisGen = axisLeft(y).tickValues(yTicks).tickSizeOuter(0);
    if (options.logY) yAxisGen.tickFormat((v) => formatLogTick(Number(v)));
    yAxis.call(yAxisGen);
    const xTicks = Math.max(2, Math.floor(inner.width / 90));
    xAxis.call(axisBottom(x).ticks(xTicks).tickFormat(format('~s')).tickSizeOuter(0));
    grid
      .selectAll('line')
      .data(yTicks)
      .join('line')
      .attr('x1', 0)
      .attr('x2', inner.width)
      .attr('y1', (v) => y(v))
      .attr('y2', (v) => y(v))
      .style('stroke', CHART_COLORS.grid);

    drawSeriesLines(lineLayer, lines, x, y);

    markerLayer.selectAll('*').remove();
    prepared.forEach((p, row) =>
      drawNonFiniteMarkers(markerLayer, p.nonFinite, x, domain, inner.height, row, p.color),
    );
    drawEvents(eventLayer, data.events, x, domain, inner.height);
    const { width: w, height: h } = inner;
    drawReferenceLines(referenceLayer, data.referenceLines, y, w, h, options.logY);
    drawCheckpoints(checkpointLayer, data.checkpoints, x, domain, (index) =>
      options.onCheckpointClick?.(index),
    );
    positionCurrent();
  }

  function positionCurrent(): void {
    const inner = innerSize(options, MARGINS);
    const x = visibleX();
    const step = data.currentStep;
    const [d0, d1] = x.domain();
    const visible = step !== null && Number.isFinite(step) && step >= d0 && step <= d1;
    current
      .style('display', () => (visible ? null : 'none'))
      .attr('x1', visible ? x(step) : 0)
      .attr('x2', visible ? x(step) : 0)
      .attr('y1', 0)
      .attr('y2', inner.height)
      .attr('data-step', step ?? '');
  }

  function scheduleView(): void {
    if (frame !== null) return;
    frame = requestAnimationFrame(() => {
      frame = null;
      drawView();
    });
  }

  function hover(px: number | null): void {
    if (px === null || prepared.length === 0) {
      hoverRule.style('display', 'none');
      readout.hide();
      options.onHover?.(null, []);
      return;
    }
    const inner = innerSize(options, MARGINS);
    const x = visibleX();
    const target = x.invert(px);
    let step = Number.NaN;
    for (const p of prepared) {
      const i = nearestIndex(p.series.steps, target);
      // NaN `step` (none yet) compares false, so the first candidate always wins.
      const closer = !(Math.abs(p.series.steps[i] - target) >= Math.abs(step - target));
      if (i >= 0 && closer) step = p.series.steps[i];
    }
    if (!Number.isFinite(step)) return;

    const values: LossHoverValue[] = prepared.flatMap((p) => {
      const i = nearestIndex(p.series.steps, step);
      if (i < 0) return [];
      const smoothed = p.series.smoothed ? p.series.smoothed[i] : null;
      const { id, label } = p.series;
      return [{ id, label, step: p.series.steps[i], value: p.series.values[i], smoothed }];
    });
    const sx = x(step);
    hoverRule.style('display', null)
      .attr('x1', sx)
      .attr('x2', sx)
      .attr('y1', 0)
      .attr('y2', inner.height);
    const lines = [
      { text: `step ${format(',')(step)}` },
      ...values.map((v, k) => ({
        text:
          v.smoothed === null
            ? `${v.label}: ${formatReadoutNumber(v.value)}`
            : `${v.label}: ${formatReadoutNumber(v.value)} (smoothed ${formatReadoutNumber(v.smoothed)})`,
        color: prepared[k].color,
      })),
    ];
    readout.show(sx, inner.height / 3, lines, inner.width, inner.height);
    options.onHover?.(step, values);
  }

  function zoomTo(domain: readonly [number, number] | null): void {
    if (destroyed) return;
    if (domain === null) {
      overlay.call(zoomBehavior.transform, zoomIdentity);
      return;
    }
    const [b0, b1] = xBase.domain();
    const d0 = Math.max(b0, Math.min(domain[0], domain[1]));
    const d1 = Math.min(b1, Math.max(domain[0], domain[1]));
    if (!(d1 > d0)) return;
    const k = (b1 - b0) / (d1 - d0);
    overlay.call(zoomBehavior.transform, zoomIdentity.translate(-k * xBase(d0), 0).scale(k));
  }

  return {
    update(nextData, patch = {}) {
      if (destroyed) return;
      const nextOptions = { ...options, ...patch };
      assertSize('LossCurveHandle.update', nextOptions);
      // Callers often rebuild the data object when only the current checkpoint moved, so
      // compare by content (array identity per series); then only the marker moves.
      const seriesSame = sameSeries(nextData.series, data.series);
      const onlyCurrent =
        seriesSame &&
        sameMarks(nextData.events, data.events) &&
        sameMarks(nextData.checkpoints, data.checkpoints) &&
        sameMarks(nextData.referenceLines, data.referenceLines) &&
        (Object.keys(patch) as (keyof LossCurveOptions)[]).every(
          (key) => key === 'onHover' || key === 'onCheckpointClick' || patch[key] === options[key],
        );
      const zoomedDomain = transform.k !== 1 ? (visibleX().domain() as [number, number]) : null;
      if (!seriesSame) prepared = prepareSeries(nextData.series);
      data = nextData;
      options = nextOptions;
      if (onlyCurrent) {
        positionCurrent();
        return;
      }
      draw();
      if (zoomedDomain) zoomTo(zoomedDomain);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      if (frame !== null && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(frame);
      overlay.on('.zoom', null)
        .on('dblclick', null)
        .on('pointermove', null)
        .on('pointerleave', null);
      checkpointLayer.selectAll('*').on('click', null).on('keydown', null);
      skeleton.root.remove();
    },
    svg() {
      return destroyed ? null : skeleton.svg.node();
    },
    zoomTo,
    xDomain() {
      return visibleX().domain() as [number, number];
    },
    yDomain() {
      return [yDomain[0], yDomain[1]];
    },
  };
}
