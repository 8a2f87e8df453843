import { assertChart, lowerBound, upperBound } from './chartTypes';

/**
 * Most points one pixel column can emit: its first run's first/min/max/last (4), a gap (1),
 * the min and max of the runs between its first and last, each followed by a gap (4), the
 * last run's four points (4) and a trailing gap (1).
 */
const MAX_POINTS_PER_COLUMN = 14;
/** Below this many points per column the range is copied as is: decimating saves nothing. */
const COPY_POINTS_PER_COLUMN = 4;

/** Options for {@link decimateMinMax}. */
export interface DecimateOptions {
  /** Treat values <= 0 as gaps too (a log axis cannot draw them). Default false. */
  positiveOnly?: boolean;
}

/**
 * A decimated polyline: `steps[i], values[i]` for `i < length`, in ascending step order. A
 * NaN value is a gap (the line breaks there); no two gaps are adjacent.
 */
export interface DecimatedSeries {
  /** x values, ascending; length `length`. */
  steps: Float64Array;
  /** y values; NaN marks a gap; length `length`. */
  values: Float64Array;
  /** Number of points. */
  length: number;
}

/**
 * Min/max-per-pixel-column decimation of the points with step in `[x0, x1]`, plus the nearest
 * point outside on each side so the line reaches the plot edges. `steps` must be ascending
 * and finite; `values` the same length, where NaN/±inf (and with `positiveOnly`, values <= 0)
 * break the line. Each of `columns` equal-width columns keeps, per unbroken run, the first,
 * minimum, maximum and last point, so every column extreme and every gap survives, and the
 * output has at most `14 * columns + 2` points however long the input is.
 */
export function decimateMinMax(
  steps: ArrayLike<number>,
  values: ArrayLike<number>,
  x0: number,
  x1: number,
  columns: number,
  options: DecimateOptions = {},
): DecimatedSeries {
  assertChart(
    steps.length === values.length,
    () => `decimateMinMax: steps and values must have one length, got ${steps.length} and ${values.length}`,
  );
  assertChart(
    Number.isFinite(x0) && Number.isFinite(x1) && x1 >= x0,
    () => `decimateMinMax: need finite x0 <= x1, got [${x0}, ${x1}]`,
  );
  const columnCount = Math.max(1, Math.floor(columns));
  const positiveOnly = options.positiveOnly === true;

  const start = lowerBound(steps, x0);
  const end = upperBound(steps, x1);
  const inRange = Math.max(0, end - start);
  const copy = inRange <= columnCount * COPY_POINTS_PER_COLUMN;
  const out = createOutput(copy ? inRange + 2 : columnCount * MAX_POINTS_PER_COLUMN + 2);
  const usable = (i: number): boolean => {
    const v = values[i];
    return v === v && v !== Infinity && v !== -Infinity && (!positiveOnly || v > 0);
  };

  if (start > 0) out.point(steps[start - 1], usable(start - 1) ? values[start - 1] : NaN);
  if (copy) {
    for (let i = start; i < end; i += 1) out.point(steps[i], usable(i) ? values[i] : NaN);
  } else {
    decimateColumns(steps, values, start, end, x0, x1, columnCount, positiveOnly, out);
  }
  if (end < steps.length) out.point(steps[end], usable(end) ? values[end] : NaN);

  return out.finish();
}

interface Output {
  /** Appends a point; a NaN value is a gap and is dropped when the previous point is a gap. */
  point(step: number, value: number): void;
  finish(): DecimatedSeries;
}

interface Run {
  first: number;
  last: number;
  min: number;
  max: number;
}

function createOutput(capacity: number): Output {
  const steps = new Float64Array(capacity);
  const values = new Float64Array(capacity);
  let length = 0;
  return {
    point(step, value) {
      if (value !== value && length > 0 && values[length - 1] !== values[length - 1]) return;
      steps[length] = step;
      values[length] = value;
      length += 1;
    },
    finish() {
      return { steps: steps.subarray(0, length), values: values.subarray(0, length), length };
    },
  };
}

/** Walks `[start, end)` column by column, emitting each column's runs into `out` (mutated). */
function decimateColumns(
  steps: ArrayLike<number>,
  values: ArrayLike<number>,
  start: number,
  end: number,
  x0: number,
  x1: number,
  columnCount: number,
  positiveOnly: boolean,
  out: Output,
): void {
  const perStep = x1 > x0 ? columnCount / (x1 - x0) : 0;
  const columnOf = (i: number): number =>
    Math.min(columnCount - 1, Math.max(0, Math.floor((steps[i] - x0) * perStep)));

  const emitRun = (run: Run): void => {
    const picks = [run.first, run.min, run.max, run.last].sort((a, b) => a - b);
    for (let k = 0; k < picks.length; k += 1) {
      if (k === 0 || picks[k] !== picks[k - 1]) out.point(steps[picks[k]], values[picks[k]]);
    }
  };

  // Per-column state. Only the first run is emitted as soon as it closes; later runs wait,
  // and all runs between the first and the last collapse to their overall min and max,
  // drawn as isolated points so no gap is bridged.
  let open: Run | null = null;
  let closedRuns = 0;
  let held: Run | null = null;
  let midMin = -1;
  let midMax = -1;
  let gapAfterHeld = false;

  const closeRun = (): void => {
    if (open === null) return;
    if (closedRuns === 0) emitRun(open);
    else {
      if (held !== null) {
        if (midMin < 0 || values[held.min] < values[midMin]) midMin = held.min;
        if (midMax < 0 || values[held.max] > values[midMax]) midMax = held.max;
      }
      held = open;
    }
    closedRuns += 1;
    open = null;
  };

  const flushColumn = (): void => {
    closeRun();
    if (held !== null) {
      let mids: number[] = [];
      if (midMin >= 0) mids = midMin === midMax ? [midMin] : [midMin, midMax].sort((a, b) => a - b);
      for (const i of mids) {
        out.point(steps[i], values[i]);
        out.point(steps[i], NaN);
      }
      emitRun(held);
      if (gapAfterHeld) out.point(steps[held.last], NaN);
    }
    closedRuns = 0;
    held = null;
    midMin = -1;
    midMax = -1;
    gapAfterHeld = false;
  };

  // Column boundaries come from a binary search plus a fix-up against `columnOf`, so the
  // inner loop touches each point once with no per-point division.
  const columnEnd = (c: number, from: number): number => {
    if (c >= columnCount - 1 || perStep === 0) return end;
    let lo = from;
    let hi = end;
    const threshold = x0 + (c + 1) / perStep;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (steps[mid] < threshold) lo = mid + 1;
      else hi = mid;
    }
    while (lo < end && columnOf(lo) <= c) lo += 1;
    while (lo > from && columnOf(lo - 1) > c) lo -= 1;
    return lo;
  };

  let i = start;
  for (let c = 0; c < columnCount && i < end; c += 1) {
    const stop = columnEnd(c, i);
    if (stop === i) continue;
    // The open run lives in locals (runs are contiguous, so it ends just before the gap).
    let runFirst = -1;
    let minAt = -1;
    let maxAt = -1;
    let minValue = 0;
    let maxValue = 0;
    for (; i < stop; i += 1) {
      const v = values[i];
      if (v === v && v !== Infinity && v !== -Infinity && (!positiveOnly || v > 0)) {
        if (runFirst < 0) {
          runFirst = minAt = maxAt = i;
          minValue = maxValue = v;
          gapAfterHeld = false;
        } else if (v < minValue) {
          minValue = v;
          minAt = i;
        } else if (v > maxValue) {
          maxValue = v;
          maxAt = i;
        }
        continue;
      }
      if (runFirst >= 0) {
        open = { first: runFirst, last: i - 1, min: minAt, max: maxAt };
        closeRun();
        runFirst = -1;
      }
      if (closedRuns <= 1) out.point(steps[i], NaN);
      else gapAfterHeld = true;
    }
    if (runFirst >= 0) open = { first: runFirst, last: stop - 1, min: minAt, max: maxAt };
    flushColumn();
  }
}
