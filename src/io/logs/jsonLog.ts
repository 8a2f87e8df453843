/**
 * JSON training logs in the shapes researchers save them: records (`[{step, loss, ...}]`, JSON
 * Lines, HuggingFace's trainer_state.json `log_history`), columns (`{"steps": [...], "values":
 * [...]}`), pairs per metric (`{"loss": [[step, value], ...]}`), and TensorBoard's "Download
 * JSON" triples (`[[wall_time, step, value], ...]`).
 */

import { LabError } from '../errors';
import { readJsonLayout } from './jsonText';
import { parseNumberWord } from './numberCell';
import { buildSeries, fileStem, findStepColumn, LogWarnings, rowIndexSteps } from './seriesBuilder';

import type { SeriesInput } from './seriesBuilder';
import type { ParsedLog, ScalarSeries, StepLabel } from './types';

/** Keys that stand for "the metric" and so take the file's name as the series id. */
const ANONYMOUS_VALUE_KEYS = new Set(['value', 'values', 'y']);

/** What the lab can read, for the message about a JSON file of another shape. */
const SHAPES_HELP =
  'an array of {"step": ..., "loss": ...} objects (or one object per line), {"steps": [...], "values": [...]}, or {"loss": [[step, value], ...]}';

/** Series read from a JSON value and the axis their steps count. */
interface JsonSeries {
  series: ScalarSeries[];
  stepLabel: StepLabel;
}

/**
 * Parses a JSON or JSON Lines training log. Values may be numbers, null (NaN, counted as
 * missing), Python's NaN/Infinity or strings spelling them; a key that is absent from a record
 * is not a point. Keys holding only text are skipped with a note. Throws LabError
 * 'invalid_input' for a syntax error or a key mixing numbers and text, and 'unsupported_format'
 * for JSON of another shape.
 */
export function parseJsonLog(text: string, fileName: string): ParsedLog {
  const warnings = new LogWarnings();
  const layout = readJsonLayout(text, fileName);
  const root = layout.kind === 'lines' ? layout.values : layout.value;
  const { series, stepLabel } = fromValue(root, fileName, warnings);
  return { format: 'json', series, stepLabel, warnings: warnings.list() };
}

function fromValue(root: unknown, fileName: string, warnings: LogWarnings): JsonSeries {
  const stem = fileStem(fileName);
  if (Array.isArray(root)) {
    if (root.length === 0) throw unsupported(fileName, 'it is an empty array');
    if (root.every(isRecord)) return fromRecords(root, fileName, warnings);
    if (root.every(Array.isArray)) {
      return { series: [fromPairs(root, stem, fileName, warnings)], stepLabel: 'step' };
    }
    if (root.every(isScalarLike)) {
      warnings.add(`${fileName} is a bare array of numbers; they are numbered from step 0.`);
      const steps = rowIndexSteps(root.length);
      return { series: [seriesOf(stem, fileName, steps, root, warnings)], stepLabel: 'step' };
    }
    throw unsupported(fileName, 'its array mixes objects, arrays and numbers');
  }
  if (!isRecord(root)) throw unsupported(fileName, 'it holds a single value');

  const entries = Object.entries(root);
  const all = (test: (value: unknown) => boolean): boolean => entries.length > 0 && entries.every(([, v]) => test(v));
  if (Array.isArray(root.log_history) && root.log_history.every(isRecord)) {
    return fromRecords(root.log_history, fileName, warnings);
  }
  if (all((v) => Array.isArray(v) && v.every(isScalarLike))) {
    return fromColumns(entries as [string, unknown[]][], fileName, warnings);
  }
  if (all((v) => Array.isArray(v) && v.every(Array.isArray))) {
    const series = entries.map(([key, pairs]) => fromPairs(pairs as unknown[][], key, fileName, warnings));
    return { series, stepLabel: 'step' };
  }
  if (all((v) => !Array.isArray(v)) && findStepColumn(Object.keys(root)).index >= 0) {
    return fromRecords([root], fileName, warnings);
  }
  throw unsupported(fileName, 'its keys hold neither number arrays nor [step, value] pairs');
}

/** One object per step: every numeric key but the step key becomes a series. */
function fromRecords(records: Record<string, unknown>[], fileName: string, warnings: LogWarnings): JsonSeries {
  const keySet = new Set<string>();
  for (const record of records) for (const key in record) keySet.add(key);
  const keys = [...keySet];
  const { index, stepLabel } = findStepColumn(keys);
  const stepKey = index >= 0 ? keys[index] : null;
  if (stepKey === null) {
    warnings.add(`${fileName}: the records have no step key (step, iteration, iter, epoch); they are numbered from 0.`);
  }

  const steps =
    stepKey === null
      ? rowIndexSteps(records.length)
      : numbersOf(records.map((record) => record[stepKey]), fileName, stepKey);
  const series: ScalarSeries[] = [];
  const textKeys: string[] = [];
  for (const key of keys) {
    if (key === stepKey) continue;
    const cells = records.map((record) => record[key]);
    if (cells.every((cell) => cell === undefined || !isScalarLike(cell) || isText(cell))) textKeys.push(key);
    else series.push(seriesOf(idFor(key, fileName), fileName, steps, cells, warnings));
  }
  if (series.length === 0) throw unsupported(fileName, 'no key holds numbers');
  if (textKeys.length > 0) {
    warnings.add(`${fileName}: keys ${textKeys.map((k) => `"${k}"`).join(', ')} hold no numbers and were left out.`);
  }
  return { series, stepLabel };
}

/** `{"steps": [...], "loss": [...]}`: equal-length arrays, one of them the step. */
function fromColumns(entries: [string, unknown[]][], fileName: string, warnings: LogWarnings): JsonSeries {
  // Plural keys ("steps", "epochs") name the step column as often as singular ones.
  const { index, stepLabel } = findStepColumn(entries.map(([key]) => key.replace(/s$/i, '')));
  const [firstKey, firstColumn] = entries[0];
  const uneven = entries.find(([, column]) => column.length !== firstColumn.length);
  if (uneven !== undefined) {
    throw new LabError('invalid_input', `${fileName}: "${uneven[0]}" has ${uneven[1].length} entries but "${firstKey}" has ${firstColumn.length}. Every array must have one entry per step.`, { details: { fileName } });
  }
  if (index < 0) warnings.add(`${fileName} has no steps array (steps, iterations, epochs); entries are numbered from 0.`);

  const steps = index < 0 ? rowIndexSteps(firstColumn.length) : numbersOf(entries[index][1], fileName, entries[index][0]);
  const series = entries
    .filter((_, e) => e !== index)
    .map(([key, cells]) => seriesOf(idFor(key, fileName), fileName, steps, cells, warnings));
  return { series, stepLabel };
}

/** `[[step, value], ...]`, or `[[wall_time, step, value], ...]` as TensorBoard downloads it. */
function fromPairs(pairs: unknown[][], id: string, fileName: string, warnings: LogWarnings): ScalarSeries {
  const width = pairs[0]?.length ?? 2;
  const bad = pairs.findIndex((pair) => pair.length !== width || (width !== 2 && width !== 3));
  if (bad >= 0) {
    throw new LabError('invalid_input', `${fileName}: entry ${bad} of "${id}" has ${pairs[bad].length} numbers; expected [step, value] or [wall_time, step, value] in every entry.`, { details: { fileName, entry: bad } });
  }
  const stepAt = width - 2;
  const steps = numbersOf(pairs.map((pair) => pair[stepAt]), fileName, id);
  return seriesOf(id, fileName, steps, pairs.map((pair) => pair[stepAt + 1]), warnings);
}

/** Builds a series from JSON cells: absent cells are not points, null ones are missing NaNs. */
function seriesOf(id: string, fileName: string, steps: Float64Array, cells: readonly unknown[], warnings: LogWarnings): ScalarSeries {
  const input: SeriesInput = {
    id,
    label: id,
    source: fileName,
    steps,
    values: numbersOf(cells, fileName, id),
    present: Uint8Array.from(cells, (v) => (v === undefined ? 0 : 1)),
    missingFlags: Uint8Array.from(cells, (v) => (v === null ? 1 : 0)),
  };
  return buildSeries(input, warnings);
}

function numbersOf(cells: readonly unknown[], fileName: string, key: string): Float64Array {
  return Float64Array.from(cells, (cell, i) => toNumber(cell, fileName, key, i) ?? Number.NaN);
}

/** A JSON cell as a number: NaN for null and NaN spellings, undefined when absent. */
function toNumber(value: unknown, fileName: string, key: string, index: number): number | undefined {
  if (value === undefined) return undefined;
  if (value === null) return Number.NaN;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const parsed = parseNumberWord(value);
    if (parsed !== null) return parsed;
  }
  const shown = JSON.stringify(value)?.slice(0, 40) ?? String(value);
  throw new LabError('invalid_input', `${fileName}, entry ${index}, key "${key}": ${shown} is not a number. A metric must hold numbers (null and "NaN" are fine) in every entry; remove the text or rename the key.`, { details: { fileName, entry: index, key } });
}

function idFor(key: string, fileName: string): string {
  return ANONYMOUS_VALUE_KEYS.has(key.toLowerCase()) ? fileStem(fileName) : key;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalarLike(value: unknown): boolean {
  const type = typeof value;
  return value === null || type === 'undefined' || type === 'number' || type === 'string' || type === 'boolean';
}

/** True for a string that does not spell a number, or a boolean (a flag, not a metric). */
function isText(value: unknown): boolean {
  return (typeof value === 'string' && parseNumberWord(value) === null) || typeof value === 'boolean';
}

function unsupported(fileName: string, why: string): LabError {
  return new LabError('unsupported_format', `${fileName} is JSON but not a training log the lab reads (${why}). Expected ${SHAPES_HELP}.`, { details: { fileName } });
}
