/**
 * Helpers for a true base-10 logarithmic axis (CASES B24): ticks at powers of ten, no
 * linear region near zero, and a domain padded in log space rather than clamped.
 */

/** Fraction of a decade added below the smallest and above the largest value. */
const LOG_PAD_DECADES = 0.06;
/** Below this many whole decades in view, ticks also go at 2x and 5x each power. */
const MIN_DECADE_TICKS = 2;
/** Above this many decades, only every n-th power of ten is labelled, so labels never crowd. */
const MAX_DECADE_TICKS = 10;

/**
 * The power of ten 10^exponent as the correctly rounded double (parsing `1e<k>` avoids
 * the one-ulp errors of `10 ** k` for some negative k).
 */
export function powerOfTen(exponent: number): number {
  return Number(`1e${exponent}`);
}

/**
 * Tick values for a log10 axis over `[lo, hi]` (positive, either order): every power of ten
 * inside, thinned to at most 10; with fewer than two powers inside, 1-2-5 multiples instead.
 * Example: [8e-7, 0.12] -> [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1].
 */
export function logTickValues(domain: readonly [number, number]): number[] {
  const lo = Math.min(domain[0], domain[1]);
  const hi = Math.max(domain[0], domain[1]);
  if (!(lo > 0) || !Number.isFinite(hi)) return [];

  const first = Math.ceil(Math.log10(lo) - 1e-9);
  const last = Math.floor(Math.log10(hi) + 1e-9);
  const decades: number[] = [];
  for (let k = first; k <= last; k += 1) {
    const value = powerOfTen(k);
    if (value >= lo * (1 - 1e-12) && value <= hi * (1 + 1e-12)) decades.push(value);
  }
  if (decades.length >= MIN_DECADE_TICKS) {
    const stride = Math.ceil(decades.length / MAX_DECADE_TICKS);
    return decades.filter((_, i) => i % stride === 0);
  }

  const ticks: number[] = [];
  for (let k = first - 1; k <= last; k += 1) {
    for (const mantissa of [1, 2, 5]) {
      const value = Number(`${mantissa}e${k}`);
      if (value >= lo && value <= hi) ticks.push(value);
    }
  }
  return ticks.length >= 2 ? ticks : [lo, hi];
}

/**
 * A log-axis tick label: plain decimals for 1e-3..1e4 ("0.01", "100"), exponent form
 * ("1e-6", "2e+7") otherwise.
 */
export function formatLogTick(value: number): string {
  if (!(value > 0)) return String(value);
  const exponent = Math.floor(Math.log10(value) + 1e-9);
  if (exponent >= -3 && exponent <= 4) return String(Number(value.toPrecision(3)));
  const mantissa = Number((value / powerOfTen(exponent)).toPrecision(3));
  return `${mantissa}e${exponent}`;
}

/**
 * A log-axis domain enclosing the positive range `[min, max]`, padded by a small fraction of
 * a decade on each side; a single value gets half a decade either way. Returns null when
 * `min` is not positive or either bound is not finite.
 */
export function paddedLogDomain(min: number, max: number): [number, number] | null {
  if (!(min > 0) || !Number.isFinite(max) || !(max >= min)) return null;
  const logMin = Math.log10(min);
  const logMax = Math.log10(max);
  const pad = logMax - logMin < 1e-9 ? 0.5 : LOG_PAD_DECADES * Math.max(1, logMax - logMin);
  return [10 ** (logMin - pad), 10 ** (logMax + pad)];
}

/**
 * A linear domain enclosing `[min, max]` with 5 % padding; a single value gets ±1 (or ±10 %
 * of its magnitude). Returns null when either bound is not finite.
 */
export function paddedLinearDomain(min: number, max: number): [number, number] | null {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max < min) return null;
  if (max - min === 0) {
    const half = min === 0 ? 1 : Math.abs(min) * 0.1;
    return [min - half, max + half];
  }
  const pad = (max - min) * 0.05;
  return [min - pad, max + pad];
}
