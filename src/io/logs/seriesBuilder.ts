/**
 * Turns parallel step and value columns into the ScalarSeries every log reader returns: rows the
 * log never wrote are left out, rows without a usable step are dropped and reported, the steps
 * are sorted, and non-finite values are counted.
 */

import type { ScalarSeries, StepLabel } from './types';

/**
 * Names of a step column, most specific first; compared case-insensitively. A log with both
 * `step` and `epoch` (PyTorch Lightning's metrics.csv) is keyed on `step`.
 */
const STEP_NAMES: readonly string[] = ['step', 'global_step', '_step', 'iteration', 'iter', 'epoch'];

/** One metric's raw columns before cleaning; all arrays have the same length. */
export interface SeriesInput {
  /** Becomes ScalarSeries.id. */
  id: string;
  /** Becomes ScalarSeries.label. */
  label: string;
  /** The file name, for ScalarSeries.source and for warnings. */
  source: string;
  /** The x value of each row; NaN or ±Infinity rows are dropped. */
  steps: Float64Array;
  /** The metric at each row. */
  values: Float64Array;
  /** 1 where the row belongs to this series; omitted means every row does. */
  present?: Uint8Array;
  /** 1 where the value is NaN because the cell was empty or null (counted as `missing`). */
  missingFlags?: Uint8Array;
  /** Optional band columns, copied along with `values`. */
  lower?: Float64Array;
  upper?: Float64Array;
}

/** Collects warnings for one file; a repeated message is kept once with its count. */
export class LogWarnings {
  private readonly counts = new Map<string, number>();

  /** Records `message`; the same text twice is listed once with "(2 times)". */
  add(message: string): void {
    this.counts.set(message, (this.counts.get(message) ?? 0) + 1);
  }

  /** Records `message` unless it is already there: for notes about the whole file. */
  once(message: string): void {
    if (!this.counts.has(message)) this.counts.set(message, 1);
  }

  /** The messages in the order first seen. */
  list(): string[] {
    return [...this.counts].map(([message, count]) => (count === 1 ? message : `${message} (${count} times)`));
  }
}

/**
 * Returns the index of the step column in `names` (see STEP_NAMES), or -1 when there is none,
 * with the axis label it implies: 'epoch' only when the chosen column is named epoch.
 */
export function findStepColumn(names: readonly string[]): { index: number; stepLabel: StepLabel } {
  const lower = names.map((name) => name.toLowerCase());
  for (const candidate of STEP_NAMES) {
    const index = lower.indexOf(candidate);
    if (index >= 0) return { index, stepLabel: candidate === 'epoch' ? 'epoch' : 'step' };
  }
  return { index: -1, stepLabel: 'step' };
}

/** Returns "1 row" or "3 rows": `count` with `noun`, plural unless count is 1. */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Returns 0, 1, 2, ... as steps for a log that has no step column. */
export function rowIndexSteps(rowCount: number): Float64Array {
  const steps = new Float64Array(rowCount);
  for (let i = 0; i < rowCount; i++) steps[i] = i;
  return steps;
}

/**
 * Returns the file name without folders and extension, the id of a series whose log does not
 * name its metric: `runs/a-tag-train_loss.csv` gives `a-tag-train_loss`.
 */
export function fileStem(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** Returns 1 where `empty` is 0 and 0 where it is 1: the rows a metric was logged on. */
export function filledRows(empty: Uint8Array): Uint8Array {
  const present = new Uint8Array(empty.length);
  for (let i = 0; i < empty.length; i++) present[i] = empty[i] === 1 ? 0 : 1;
  return present;
}

/**
 * Builds one ScalarSeries from `input`: keeps the rows marked present that have a finite step,
 * sorts them by step (stable, so repeated steps stay in file order) and counts non-finite and
 * missing values. Dropped rows, sorting and repeated steps are reported into `warnings`.
 */
export function buildSeries(input: SeriesInput, warnings: LogWarnings): ScalarSeries {
  const { steps, values, present, missingFlags, lower, upper } = input;

  let keptCount = 0;
  let badSteps = 0;
  for (let i = 0; i < steps.length; i++) {
    if (present !== undefined && present[i] === 0) continue;
    if (Number.isFinite(steps[i])) keptCount++;
    else badSteps++;
  }
  if (badSteps > 0) {
    warnings.add(`${input.source}: dropped ${countOf(badSteps, 'row')} of "${input.id}" with no usable step (empty, nan or inf).`);
  }

  const kept = new Int32Array(keptCount);
  let k = 0;
  let ascending = true;
  let repeated = false;
  for (let i = 0; i < steps.length; i++) {
    if ((present !== undefined && present[i] === 0) || !Number.isFinite(steps[i])) continue;
    if (k > 0) {
      const previous = steps[kept[k - 1]];
      if (steps[i] < previous) ascending = false;
      else if (steps[i] === previous) repeated = true;
    }
    kept[k++] = i;
  }
  const order = ascending ? kept : sortByStep(kept, steps);
  if (!ascending) warnings.once(`${input.source}: steps are not in ascending order; the series were sorted by step.`);
  if (repeated || (!ascending && hasRepeats(order, steps))) {
    warnings.once(`${input.source}: some steps appear more than once (a resumed run, or several rows per step); every point is kept, in file order.`);
  }

  const series: ScalarSeries = {
    id: input.id,
    label: input.label,
    steps: gather(steps, order),
    values: gather(values, order),
    nonFinite: 0,
    missing: 0,
    source: input.source,
  };
  for (let j = 0; j < order.length; j++) {
    if (!Number.isFinite(series.values[j])) series.nonFinite++;
    if (missingFlags !== undefined && missingFlags[order[j]] === 1) series.missing++;
  }
  if (lower !== undefined) series.lower = gather(lower, order);
  if (upper !== undefined) series.upper = gather(upper, order);
  return series;
}

function gather(source: Float64Array, order: Int32Array): Float64Array {
  const out = new Float64Array(order.length);
  for (let j = 0; j < order.length; j++) out[j] = source[order[j]];
  return out;
}

function sortByStep(rows: Int32Array, steps: Float64Array): Int32Array {
  // Array.prototype.sort is stable (ES2019), so equal steps keep their file order.
  const sorted = Array.from(rows).sort((a, b) => steps[a] - steps[b]);
  return Int32Array.from(sorted);
}

function hasRepeats(order: Int32Array, steps: Float64Array): boolean {
  for (let j = 1; j < order.length; j++) if (steps[order[j]] === steps[order[j - 1]]) return true;
  return false;
}
