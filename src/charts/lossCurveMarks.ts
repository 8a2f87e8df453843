import { CHART_COLORS, formatReadoutNumber, safeClassName } from './chartTypes';

import type { Selection } from 'd3';
import type { DecimatedSeries } from './decimateMinMax';

/** Radius in pixels of the dot drawn for a finite point with no finite neighbour. */
const ISOLATED_DOT_RADIUS_PX = 2.5;
/** Half-size in pixels of a NaN/inf marker glyph along the bottom of the plot. */
const MARKER_HALF_PX = 3;
/** Vertical spacing in pixels between marker rows of successive series. */
const MARKER_ROW_PX = 7;
/** Marker rows before series share a row again. */
const MARKER_ROWS = 3;

type Layer = Selection<SVGGElement, unknown, null, undefined>;
type Scale = (value: number) => number;

/** Counts of points a loss series cannot draw. */
export interface LossExclusions {
  /** Points whose value is NaN, +inf or -inf. */
  nonFinite: number;
  /** Finite points <= 0 (excluded only on a log axis). */
  nonPositive: number;
}

/** Steps of the non-finite points of one series, split by kind; each ascending. */
export interface NonFiniteSteps {
  /** Steps whose value is NaN. */
  nan: Float64Array;
  /** Steps whose value is +inf. */
  posInf: Float64Array;
  /** Steps whose value is -inf. */
  negInf: Float64Array;
}

/** A vertical event rule: `step` in data units, `kind` picks a CSS class. */
export interface EventMark {
  /** x position in steps. */
  step: number;
  /** Drawn rotated along the rule. */
  label: string;
  /** Free-form kind, becomes class `lab-event-<kind>` (sanitised). */
  kind: string;
}

/** A horizontal dashed reference line at `value` (y data units). */
export interface ReferenceMark {
  /** y position in data units. */
  value: number;
  /** Drawn at the right end; the value is shown when empty. */
  label: string;
}

/**
 * Counts the NaN/±inf values and the finite values <= 0 in `values` (any length). A log
 * axis excludes both kinds; a linear one only the first.
 */
export function countLossExclusions(values: ArrayLike<number>): LossExclusions {
  let nonFinite = 0;
  let nonPositive = 0;
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i];
    if (v !== v || v === Infinity || v === -Infinity) nonFinite += 1;
    else if (v <= 0) nonPositive += 1;
  }
  return { nonFinite, nonPositive };
}

/** The steps at which `values` is NaN, +inf and -inf; `steps` and `values` share a length. */
export function collectNonFiniteSteps(
  steps: ArrayLike<number>,
  values: ArrayLike<number>,
): NonFiniteSteps {
  const nan: number[] = [];
  const posInf: number[] = [];
  const negInf: number[] = [];
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i];
    if (v !== v) nan.push(steps[i]);
    else if (v === Infinity) posInf.push(steps[i]);
    else if (v === -Infinity) negInf.push(steps[i]);
  }
  return {
    nan: Float64Array.from(nan),
    posInf: Float64Array.from(posInf),
    negInf: Float64Array.from(negInf),
  };
}

/**
 * Indices into `line` of finite points whose neighbours are gaps or absent: a run of length
 * one, which a stroked path alone would not show.
 */
export function isolatedPointIndices(line: DecimatedSeries): number[] {
  const isolated: number[] = [];
  const { values, length } = line;
  for (let i = 0; i < length; i += 1) {
    if (values[i] !== values[i]) continue;
    const leftGap = i === 0 || values[i - 1] !== values[i - 1];
    const rightGap = i === length - 1 || values[i + 1] !== values[i + 1];
    if (leftGap && rightGap) isolated.push(i);
  }
  return isolated;
}

/** SVG path data for `line` through scales `x`, `y` (data -> pixels); gaps break the path. */
export function linePathData(line: DecimatedSeries, x: Scale, y: Scale): string {
  const parts: string[] = [];
  let penDown = false;
  for (let i = 0; i < line.length; i += 1) {
    const v = line.values[i];
    if (v !== v) {
      penDown = false;
      continue;
    }
    const px = x(line.steps[i]);
    const py = y(v);
    if (!Number.isFinite(px) || !Number.isFinite(py)) {
      penDown = false;
      continue;
    }
    parts.push(`${penDown ? 'L' : 'M'}${round1(px)},${round1(py)}`);
    penDown = true;
  }
  return parts.join('');
}

/** Path data for a dot of radius 2.5 px at each listed index of `line`. */
export function dotsPathData(
  line: DecimatedSeries,
  indices: readonly number[],
  x: Scale,
  y: Scale,
): string {
  const r = ISOLATED_DOT_RADIUS_PX;
  return indices
    .map((i) => {
      const px = round1(x(line.steps[i]));
      const py = round1(y(line.values[i]));
      return `M${round1(px - r)},${py}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`;
    })
    .join('');
}

/**
 * Draws one series' NaN (x), +inf (up triangle) and -inf (down triangle) markers along the
 * bottom of the plot into `layer`, one glyph per pixel column, for steps inside `domain`.
 * `row` offsets the glyphs upward so series do not overprint.
 */
export function drawNonFiniteMarkers(
  layer: Layer,
  steps: NonFiniteSteps,
  x: Scale,
  domain: readonly [number, number],
  innerHeight: number,
  row: number,
  color: string,
): number {
  const cy = innerHeight - MARKER_HALF_PX - 2 - (row % MARKER_ROWS) * MARKER_ROW_PX;
  const h = MARKER_HALF_PX;
  const kinds = [
    {
      name: 'nan',
      steps: steps.nan,
      glyph: (px: number) =>
        `M${px - h},${cy - h}l${2 * h},${2 * h}M${px - h},${cy + h}l${2 * h},${-2 * h}`,
    },
    {
      name: 'posinf',
      steps: steps.posInf,
      glyph: (px: number) => `M${px - h},${cy + h}l${h},${-2 * h}l${h},${2 * h}z`,
    },
    {
      name: 'neginf',
      steps: steps.negInf,
      glyph: (px: number) => `M${px - h},${cy - h}l${h},${2 * h}l${h},${-2 * h}z`,
    },
  ];

  let drawn = 0;
  for (const kind of kinds) {
    const parts: string[] = [];
    let lastColumn = Number.NaN;
    for (let i = 0; i < kind.steps.length; i += 1) {
      const s = kind.steps[i];
      if (s < domain[0] || s > domain[1]) continue;
      const px = Math.round(x(s));
      if (px === lastColumn) continue;
      lastColumn = px;
      parts.push(kind.glyph(px));
    }
    drawn += parts.length;
    layer
      .append('path')
      .attr('class', `lab-marker-${kind.name}`)
      .attr('d', parts.join(''))
      .attr('data-count', kind.steps.length)
      .style('fill', kind.name === 'nan' ? 'none' : color)
      .style('stroke', color)
      .style('stroke-width', '1.3');
  }
  return drawn;
}

/** Draws vertical event rules with rotated labels for events inside `domain` into `layer`. */
export function drawEvents(
  layer: Layer,
  events: readonly EventMark[],
  x: Scale,
  domain: readonly [number, number],
  innerHeight: number,
): void {
  const visible = events.filter((e) => e.step >= domain[0] && e.step <= domain[1]);
  const groups = layer
    .selectAll<SVGGElement, EventMark>('g.lab-event')
    .data(visible)
    .join((enter) => {
      const g = enter.append('g');
      g.append('line').style('stroke-dasharray', '3 3').style('stroke-width', '1');
      g.append('text').style('font-size', '10px').attr('text-anchor', 'start');
      return g;
    })
    .attr('class', (e) => `lab-event lab-event-${safeClassName(e.kind)}`)
    .attr('transform', (e) => `translate(${round1(x(e.step))},0)`);
  groups
    .select('line')
    .attr('y1', 0)
    .attr('y2', innerHeight)
    .style('stroke', CHART_COLORS.event);
  groups
    .select('text')
    .attr('transform', 'translate(3,4) rotate(90)')
    .style('fill', CHART_COLORS.event)
    .text((e) => e.label);
}

/**
 * Draws horizontal dashed reference lines with their labels (the value when a label is
 * empty) into `layer`. A line outside the
 * y range (pixels outside `[0, innerHeight]`, or a non-positive value on a log axis) is
 * not drawn; its label sits at the nearer edge with an arrow instead.
 */
export function drawReferenceLines(
  layer: Layer,
  refs: readonly ReferenceMark[],
  y: Scale,
  innerWidth: number,
  innerHeight: number,
  logY: boolean,
): void {
  const placed = refs.map((ref) => {
    const py = logY && !(ref.value > 0) ? innerHeight + 1 : y(ref.value);
    const inside = Number.isFinite(py) && py >= 0 && py <= innerHeight;
    const edge = !Number.isFinite(py) || py > innerHeight ? 'below' : 'above';
    return { ref, py: inside ? py : edge === 'below' ? innerHeight : 0, inside, edge };
  });
  const groups = layer
    .selectAll<SVGGElement, (typeof placed)[number]>('g.lab-reference')
    .data(placed)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'lab-reference');
      g.append('line').style('stroke-dasharray', '6 4').style('stroke-width', '1.2');
      g.append('text').style('font-size', '10px').attr('text-anchor', 'end');
      return g;
    })
    .attr('transform', (d) => `translate(0,${round1(d.py)})`)
    .attr('data-inside', (d) => String(d.inside));
  groups
    .select('line')
    .attr('x1', 0)
    .attr('x2', innerWidth)
    .style('display', (d) => (d.inside ? null : 'none'))
    .style('stroke', CHART_COLORS.reference);
  groups
    .select('text')
    .attr('x', innerWidth - 4)
    .attr('y', (d) => (!d.inside && d.edge === 'above' ? 12 : -4))
    .style('fill', CHART_COLORS.reference)
    .text((d) => {
      const arrow = d.inside ? '' : d.edge === 'above' ? ' \u2191' : ' \u2193';
      return `${d.ref.label || formatReadoutNumber(d.ref.value)}${arrow}`;
    });
}

/**
 * Sets the exclusion badge text in `badge` (a `<g>` with a `<text>`): NaN/inf count, and on
 * a log axis the count of non-positive points excluded. Hidden when both counts are zero.
 * The counts are also written to `data-non-finite` and `data-non-positive`.
 */
export function updateExclusionBadge(badge: Layer, totals: LossExclusions, logY: boolean): void {
  const nonPositive = logY ? totals.nonPositive : 0;
  const parts: string[] = [];
  if (totals.nonFinite > 0) parts.push(`${totals.nonFinite} NaN/inf`);
  if (nonPositive > 0) parts.push(`${nonPositive} \u2264 0 excluded (log axis)`);
  badge
    .attr('data-non-finite', totals.nonFinite)
    .attr('data-non-positive', nonPositive)
    .style('display', () => (parts.length === 0 ? 'none' : null));
  const text = parts.join(' \u00b7 ');
  badge.select('text').text(text);
  badge.select('rect').attr('width', Math.ceil(text.length * 6 + 10));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
