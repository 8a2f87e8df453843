/** The shapes every training-log parser returns, whatever the file format. */

/** Which reader understood the file; `csv` covers plain CSV and TSV. */
export type LogFormat = 'fastai-csv' | 'wandb-csv' | 'tensorboard' | 'csv' | 'json';

/** What the x axis of every series in one log counts. */
export type StepLabel = 'step' | 'epoch';

/**
 * One scalar metric over training, e.g. `train/loss` against the global step. All arrays have
 * the same length; a row the log never wrote for this metric is absent, not NaN.
 */
export interface ScalarSeries {
  /** Unique within its ParsedLog: the column name, JSON key or TensorBoard tag as written. */
  id: string;
  /** What a chart legend shows; usually `id`; fastai's `time` reads "time (s)". */
  label: string;
  /** The x value of each point, non-decreasing (repeated steps are kept, in file order). */
  steps: Float64Array;
  /** The metric at each step: NaN for nan/null/empty spellings, ±Infinity kept as written. */
  values: Float64Array;
  /** How many entries of `values` are NaN or ±Infinity, so a chart can badge them (B24). */
  nonFinite: number;
  /** How many of the NaN entries came from an empty cell or a JSON null; at most `nonFinite`. */
  missing: number;
  /** The file the series was read from, as named by the caller. */
  source: string;
  /** Per-step lower band, same length as `values` (W&B `__MIN` companion columns). */
  lower?: Float64Array;
  /** Per-step upper band, same length as `values` (W&B `__MAX` companion columns). */
  upper?: Float64Array;
}

/** A training log turned into scalar series, with what the reader had to drop or assume. */
export interface ParsedLog {
  /** The format the content was recognised as. */
  format: LogFormat;
  /** One entry per metric, in file order (column order, or first appearance of a tag). */
  series: ScalarSeries[];
  /** What `steps` counts in every series of this log. */
  stepLabel: StepLabel;
  /** Readable notes on dropped rows, columns and records; each distinct note appears once. */
  warnings: string[];
}
