import { axisRight, range as d3range, scaleLinear } from 'd3';

import { CHART_COLORS } from './chartTypes';

import type { Selection } from 'd3';
import type { HeatmapPalette } from './heatmapPalette';

/** Height cap in pixels of the colour bar; taller bars add nothing. */
const MAX_BAR_HEIGHT_PX = 220;
/** Gradient stops sampled from the palette; enough to follow a non-linear map closely. */
const GRADIENT_STOPS = 11;
/**
 * Diverging palette: negatives within this fraction of the negative end are nearly white,
 * so their cells also get a corner mark in the strongest negative colour.
 */
const FAINT_NEGATIVE_FRACTION = 0.15;

/** What {@link drawHeatmapLegend} needs besides its group. */
export interface HeatmapLegendSpec {
  palette: HeatmapPalette;
  /** Available height in pixels; the bar uses up to 220 of it. */
  height: number;
  /** The `<linearGradient>` (vertical, bottom to top) the bar fills with; its stops are replaced. */
  gradient: Selection<SVGLinearGradientElement, unknown, null, undefined>;
  /** Id of `gradient`, for the bar's fill. */
  gradientId: string;
  /** Id of the hatch pattern undefined cells use. */
  hatchId: string;
  /** Formats tick and range values. */
  format(value: number): string;
  /** The matrix values (row-major), scanned for out-of-range and faint negative cells. */
  values: ArrayLike<number>;
  /** Whether cells carry the faint-negative corner mark (SVG mode), so the legend explains it. */
  marksFaintNegatives: boolean;
}

interface LegendExtra {
  fill: string;
  label: string;
  shape?: 'corner';
}

/**
 * Draws the colour bar with value ticks into `legend` (pixels; bar 12 wide), then swatches
 * for undefined cells, the faint-negative corner mark, and values under or over the domain
 * (with counts) when the matrix has any.
 */
export function drawHeatmapLegend(
  legend: Selection<SVGGElement, unknown, null, undefined>,
  spec: HeatmapLegendSpec,
): void {
  const { palette } = spec;
  const barHeight = Math.min(spec.height, MAX_BAR_HEIGHT_PX);
  const [lo, hi] = palette.domain;

  spec.gradient
    .selectAll('stop')
    .data(d3range(GRADIENT_STOPS).map((k) => k / (GRADIENT_STOPS - 1)))
    .join('stop')
    .attr('offset', (t) => `${t * 100}%`)
    .attr('stop-color', (t) => palette.css(lo + t * (hi - lo)));
  legend
    .append('rect')
    .attr('width', 12)
    .attr('height', barHeight)
    .style('fill', `url(#${spec.gradientId})`)
    .style('stroke', CHART_COLORS.grid);
  const scale = scaleLinear().domain([lo, hi]).range([barHeight, 0]);
  const ticks = scale.ticks(5);
  if (palette.diverging && !ticks.includes(palette.center)) ticks.push(palette.center);
  legend
    .append('g')
    .attr('class', 'lab-legend-axis')
    .attr('transform', 'translate(12,0)')
    .call(
      axisRight(scale)
        .tickValues(ticks)
        .tickFormat((v) => spec.format(Number(v)))
        .tickSizeOuter(0),
    );

  const rows = legend
    .selectAll('g.lab-legend-extra')
    .data(legendExtras(spec))
    .join('g')
    .attr('class', 'lab-legend-extra')
    .attr('transform', (_, k) => `translate(0,${barHeight + 12 + k * 16})`);
  rows
    .append('path')
    .attr('d', (d) => (d.shape === 'corner' ? 'M0,0h8L0,8Z' : 'M0,0h12v12h-12Z'))
    .style('fill', (d) => d.fill)
    .style('stroke', (d) => (d.shape === 'corner' ? 'none' : CHART_COLORS.grid));
  rows
    .append('text')
    .attr('x', 16)
    .attr('y', 10)
    .style('fill', CHART_COLORS.text)
    .text((d) => d.label);
}

/** True for a negative value that a zero-centred diverging palette draws almost white. */
export function isFaintNegative(value: number, palette: HeatmapPalette): boolean {
  if (!palette.diverging || palette.center !== 0) return false;
  return value < 0 && value > palette.domain[0] * FAINT_NEGATIVE_FRACTION;
}

function legendExtras(spec: HeatmapLegendSpec): LegendExtra[] {
  const { palette, values, format } = spec;
  let under = 0;
  let over = 0;
  let faint = 0;
  for (let k = 0; k < values.length; k += 1) {
    const kind = palette.range(values[k]);
    if (kind === 'under') under += 1;
    else if (kind === 'over') over += 1;
    if (spec.marksFaintNegatives && isFaintNegative(values[k], palette)) faint += 1;
  }

  const [lo, hi] = palette.domain;
  const extras: LegendExtra[] = [{ fill: `url(#${spec.hatchId})`, label: 'undefined' }];
  if (faint > 0) extras.push({ fill: palette.css(lo), label: 'corner: < 0', shape: 'corner' });
  if (under > 0) extras.push({ fill: palette.css(lo - 1), label: `< ${format(lo)} (${under})` });
  if (over > 0) extras.push({ fill: palette.css(hi + 1), label: `> ${format(hi)} (${over})` });
  return extras;
}
