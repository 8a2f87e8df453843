import { select } from 'd3';

import type { Selection } from 'd3';

/** The font every chart uses: the platform's UI font, so nothing is fetched at run time. */
export const SYSTEM_FONT =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/**
 * Fallback series colours for `--lab-series-1..8` (the Okabe–Ito colour-blind-safe set, with
 * black moved last), used when the page defines no custom property.
 */
export const SERIES_FALLBACKS = [
  '#0072b2',
  '#d55e00',
  '#009e73',
  '#cc79a7',
  '#e69f00',
  '#56b4e9',
  '#8c7a00',
  '#000000',
] as const;

/** Shared colour roles: CSS custom property name and the fallback used without a theme. */
export const CHART_COLORS = {
  text: cssVar('--lab-chart-text', '#1f2328'),
  muted: cssVar('--lab-chart-muted', '#6e7781'),
  grid: cssVar('--lab-chart-grid', '#d8dee4'),
  background: cssVar('--lab-chart-bg', '#ffffff'),
  warn: cssVar('--lab-chart-warn', '#cf222e'),
  event: cssVar('--lab-chart-event', '#8250df'),
  checkpoint: cssVar('--lab-chart-checkpoint', '#57606a'),
  current: cssVar('--lab-chart-current', '#bf8700'),
  reference: cssVar('--lab-chart-reference', '#57606a'),
  undefinedCell: cssVar('--lab-chart-undefined', '#a0a0a0'),
} as const;

/**
 * What every renderer returns. `update` redraws with new data and a partial options patch
 * merged over the current options; `destroy` removes listeners and every node the chart made;
 * `svg` is the chart's root element (null after destroy), for export.
 */
export interface ChartHandle<D, O> {
  /** Redraws with `data`; `options` is merged over the options in effect. */
  update(data: D, options?: Partial<O>): void;
  /** Removes listeners, timers and the chart's DOM from the container. Idempotent. */
  destroy(): void;
  /** The chart's root `<svg>`, or null once destroyed. */
  svg(): SVGSVGElement | null;
}

/**
 * A renderer: draws `data` into `container` (replacing what was there) and returns a handle.
 * `options.width` and `options.height` are pixels.
 */
export type ChartRenderer<D, O extends ChartSize> = (
  container: HTMLElement,
  data: D,
  options: O,
) => ChartHandle<D, O>;

/** Outer size of a chart in CSS pixels; both must be finite and positive. */
export interface ChartSize {
  /** Outer width in pixels, > 0. */
  width: number;
  /** Outer height in pixels, > 0. */
  height: number;
}

/** Space in pixels between the outer box and the plot area, per side. */
export interface Margins {
  /** Pixels above the plot area, >= 0. */
  top: number;
  /** Pixels right of the plot area, >= 0. */
  right: number;
  /** Pixels below the plot area, >= 0. */
  bottom: number;
  /** Pixels left of the plot area, >= 0. */
  left: number;
}

/** The root nodes a chart draws into; `plot` is translated by the margins. */
export interface ChartSkeleton {
  /** The container-filling wrapper div (position: relative, for overlays). */
  root: Selection<HTMLDivElement, unknown, null, undefined>;
  /** The chart's `<svg>`, first child of `root`; its first child is the `<title>`. */
  svg: Selection<SVGSVGElement, unknown, null, undefined>;
  /** `<g>` translated to the top-left corner of the plot area. */
  plot: Selection<SVGGElement, unknown, null, undefined>;
  /** Document-unique prefix for ids (clip paths, patterns, gradients). */
  idPrefix: string;
}

let idCounter = 0;

/** `var(--name, fallback)`, for inline styles; export resolves it to the computed colour. */
export function cssVar(name: string, fallback: string): string {
  return `var(${name}, ${fallback})`;
}

/** The colour of series number `index` (0-based) as a `var(--lab-series-N, fallback)` string. */
export function seriesColor(index: number): string {
  const count = SERIES_FALLBACKS.length;
  const slot = ((index % count) + count) % count;
  return cssVar(`--lab-series-${slot + 1}`, SERIES_FALLBACKS[slot]);
}

/** Throws a programmer error naming the chart op when `condition` is false. */
export function assertChart(condition: unknown, message: () => string): asserts condition {
  if (!condition) throw new Error(message());
}

/** Asserts that `size` has finite positive pixel dimensions; `op` names the caller. */
export function assertSize(op: string, size: ChartSize): void {
  assertChart(
    Number.isFinite(size.width) &&
      size.width > 0 &&
      Number.isFinite(size.height) &&
      size.height > 0,
    () => `${op}: width and height must be finite and > 0 pixels, got ${size.width} x ${size.height}`,
  );
}

/**
 * Empties `container` and builds the chart's wrapper, `<svg>` (with `<title>`, aria-label and
 * a role: "img" by default, "group" for charts with focusable controls, which "img" would
 * hide from assistive technology) and a plot group offset by `margins`. Sizes are pixels.
 */
export function createSkeleton(
  container: HTMLElement,
  className: string,
  size: ChartSize,
  margins: Margins,
  title: string,
  role: 'img' | 'group' = 'img',
): ChartSkeleton {
  container.replaceChildren();
  idCounter += 1;
  const idPrefix = `${className}-${idCounter}`;

  const root = select(container)
    .append('div')
    .attr('class', `lab-chart ${className}`)
    .style('position', 'relative')
    .style('width', `${size.width}px`)
    .style('height', `${size.height}px`)
    .style('font-family', SYSTEM_FONT);
  const svg = root
    .append('svg')
    .attr('xmlns', 'http://www.w3.org/2000/svg')
    .attr('role', role)
    .style('display', 'block')
    .style('font-family', SYSTEM_FONT)
    .style('font-size', '11px')
    .style('color', CHART_COLORS.text);
  svg.append('title').attr('class', 'lab-chart-title');
  const plot = svg.append('g').attr('class', 'lab-plot');

  const skeleton = { root, svg, plot, idPrefix };
  resizeSkeleton(skeleton, size, margins, title);
  return skeleton;
}

/** Applies a new outer size (pixels), margins and title to an existing skeleton. */
export function resizeSkeleton(
  skeleton: ChartSkeleton,
  size: ChartSize,
  margins: Margins,
  title: string,
): void {
  skeleton.root.style('width', `${size.width}px`).style('height', `${size.height}px`);
  skeleton.svg
    .attr('width', size.width)
    .attr('height', size.height)
    .attr('viewBox', `0 0 ${size.width} ${size.height}`)
    .attr('aria-label', title);
  skeleton.svg.select('title.lab-chart-title').text(title);
  skeleton.plot.attr('transform', `translate(${margins.left},${margins.top})`);
}

/** Plot-area size in pixels for an outer size and margins, never below 1 pixel. */
export function innerSize(size: ChartSize, margins: Margins): ChartSize {
  return {
    width: Math.max(1, size.width - margins.left - margins.right),
    height: Math.max(1, size.height - margins.top - margins.bottom),
  };
}

/** Replaces characters outside `[A-Za-z0-9_-]` so a data-supplied kind can be a class name. */
export function safeClassName(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** True for a number that is neither NaN nor ±Infinity. */
export function isFiniteValue(value: number): boolean {
  return value === value && value !== Infinity && value !== -Infinity;
}

/**
 * Index of the element of ascending `sorted` nearest to `target`, or -1 when `sorted` is
 * empty. Ties go to the lower index.
 */
export function nearestIndex(sorted: ArrayLike<number>, target: number): number {
  const n = sorted.length;
  if (n === 0) return -1;
  const hi = lowerBound(sorted, target);
  if (hi <= 0) return 0;
  if (hi >= n) return n - 1;
  return target - sorted[hi - 1] <= sorted[hi] - target ? hi - 1 : hi;
}

/** First index `i` of ascending `sorted` with `sorted[i] >= target` (length when none). */
export function lowerBound(sorted: ArrayLike<number>, target: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index `i` of ascending `sorted` with `sorted[i] > target` (length when none). */
export function upperBound(sorted: ArrayLike<number>, target: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A number formatted for read-outs: up to 4 significant digits, exponent form outside
 * 1e-3..1e5, and the words "NaN", "+inf", "-inf" for non-finite values.
 */
export function formatReadoutNumber(value: number): string {
  if (value !== value) return 'NaN';
  if (value === Infinity) return '+inf';
  if (value === -Infinity) return '-inf';
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5)) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}
