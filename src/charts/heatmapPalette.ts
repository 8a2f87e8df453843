import { color as parseColor, interpolateRdBu, interpolateViridis } from 'd3';

/** Colour-table entries per palette half; finer steps are invisible on screen. */
const LUT_SIZE = 256;
/** Grey for undefined (NaN) cells; absent from both palettes. */
export const UNDEFINED_RGB: readonly [number, number, number] = [150, 150, 150];
/** Sequential palette: colour for values below the domain (e.g. a negative CKA estimate). */
export const UNDER_RGB: readonly [number, number, number] = [231, 41, 138];
/** Sequential palette: colour for values above the domain. */
export const OVER_RGB: readonly [number, number, number] = [215, 48, 31];

/** Where a value falls relative to the palette's domain. */
export type PaletteRange = 'undefined' | 'under' | 'inside' | 'over';

/**
 * A value-to-colour map over `domain`. Diverging: blue below the centre, white at it, red
 * above, centred on 0 when the domain straddles 0 (so negatives always look negative), else
 * on the domain's midpoint; values beyond the domain take the end colours. Sequential:
 * viridis over the domain, with distinct colours for values under and over it.
 */
export interface HeatmapPalette {
  /** The normalised domain [min, max], min < max. */
  readonly domain: readonly [number, number];
  /** True for the blue-white-red palette. */
  readonly diverging: boolean;
  /** The value drawn white (diverging) or the domain minimum (sequential). */
  readonly center: number;
  /** The colour of `value` as `rgb(r, g, b)`; NaN/±inf give the undefined grey. */
  css(value: number): string;
  /** Writes the colour of `value` as r, g, b into `out` at `offset`; mutates `out`. */
  rgbInto(value: number, out: Uint8ClampedArray | number[], offset: number): void;
  /** Classifies `value` against the domain. */
  range(value: number): PaletteRange;
}

/**
 * Builds a palette for `domain` ([min, max], min < max; a reversed or empty domain is
 * widened around its midpoint). Colours come from a 256-entry table per half so a
 * million-cell matrix costs one table lookup per cell.
 */
export function createHeatmapPalette(
  domain: readonly [number, number],
  diverging: boolean,
): HeatmapPalette {
  let [lo, hi] = [Math.min(domain[0], domain[1]), Math.max(domain[0], domain[1])];
  if (!(hi > lo)) [lo, hi] = [lo - 0.5, hi + 0.5];
  const center = diverging ? (lo < 0 && hi > 0 ? 0 : (lo + hi) / 2) : lo;
  // RdBu runs red (0) to blue (1); reversed halves put blue below the centre.
  const below = buildTable(diverging ? (t) => interpolateRdBu(1 - t / 2) : interpolateViridis);
  const above = diverging ? buildTable((t) => interpolateRdBu(0.5 - t / 2)) : below;

  const range = (value: number): PaletteRange => {
    if (!Number.isFinite(value)) return 'undefined';
    if (value < lo) return 'under';
    if (value > hi) return 'over';
    return 'inside';
  };

  const rgbInto = (value: number, out: Uint8ClampedArray | number[], offset: number): void => {
    const kind = range(value);
    if (kind === 'undefined') return copyInto(UNDEFINED_RGB, 0, out, offset);
    if (!diverging && kind === 'under') return copyInto(UNDER_RGB, 0, out, offset);
    if (!diverging && kind === 'over') return copyInto(OVER_RGB, 0, out, offset);
    const v = Math.min(hi, Math.max(lo, value));
    if (!diverging) return copyInto(below, tableOffset((v - lo) / (hi - lo)), out, offset);
    if (v < center) return copyInto(below, tableOffset((v - lo) / (center - lo)), out, offset);
    const t = center === hi ? 1 : (v - center) / (hi - center);
    return copyInto(above, tableOffset(t), out, offset);
  };

  const scratch = [0, 0, 0];
  return {
    domain: [lo, hi],
    diverging,
    center,
    css(value) {
      rgbInto(value, scratch, 0);
      return `rgb(${scratch[0]}, ${scratch[1]}, ${scratch[2]})`;
    },
    rgbInto,
    range,
  };
}

/**
 * Relative luminance (0 dark .. 1 light) of an `rgb(...)` or hex colour, for picking a
 * readable text colour over a cell.
 */
export function relativeLuminance(css: string): number {
  const c = parseColor(css)?.rgb();
  if (!c) return 1;
  const channel = (v: number): number => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

/** Samples `interpolate` (t in [0, 1] -> CSS colour) into LUT_SIZE rgb triples. */
function buildTable(interpolate: (t: number) => string): Uint8ClampedArray {
  const table = new Uint8ClampedArray(LUT_SIZE * 3);
  for (let k = 0; k < LUT_SIZE; k += 1) {
    const c = parseColor(interpolate(k / (LUT_SIZE - 1)))?.rgb();
    table[3 * k] = c?.r ?? 0;
    table[3 * k + 1] = c?.g ?? 0;
    table[3 * k + 2] = c?.b ?? 0;
  }
  return table;
}

/** Offset into a colour table of the entry nearest `t` (clamped to [0, 1]). */
function tableOffset(t: number): number {
  return 3 * Math.round(Math.min(1, Math.max(0, t)) * (LUT_SIZE - 1));
}

/** Copies the rgb triple at `from` in `source` to `out` at `offset`; mutates `out`. */
function copyInto(
  source: ArrayLike<number>,
  from: number,
  out: Uint8ClampedArray | number[],
  offset: number,
): void {
  out[offset] = source[from];
  out[offset + 1] = source[from + 1];
  out[offset + 2] = source[from + 2];
}
