/**
 * Plain CSV or TSV logs: a step column (step, global_step, iteration, iter or epoch, anywhere
 * in the header) or none, then one column per metric. pandas' unnamed index column and
 * TensorBoard's "Download CSV" layout (`Wall time,Step,Value`) are recognised.
 */

import { bodyNotes, readDelimitedBody } from './delimitedText';
import { buildSeries, countOf, fileStem, findStepColumn, LogWarnings, rowIndexSteps } from './seriesBuilder';

import type { DelimitedHeader } from './delimitedText';
import type { ParsedLog } from './types';

/** The header TensorBoard's scalar dashboard writes when a chart is downloaded as CSV. */
const TENSORBOARD_DOWNLOAD_HEADER = ['Wall time', 'Step', 'Value'];

/**
 * Parses the body of a plain CSV/TSV log whose header is `header`: one series per column other
 * than the step column, keyed on it (or on the row number 0, 1, ... when there is none). An
 * empty cell on a row where another metric has a value means "not logged here" (PyTorch
 * Lightning's metrics.csv puts train and validation metrics on separate rows) and is left out;
 * an empty cell on a row with no other value is a NaN point counted as missing.
 * Throws LabError 'invalid_input' naming the line and column of a cell that is not a number.
 */
export function parsePlainCsv(text: string, header: DelimitedHeader, fileName: string): ParsedLog {
  const warnings = new LogWarnings();
  const { names } = header;
  const isTensorBoardDownload = names.join('\u0000') === TENSORBOARD_DOWNLOAD_HEADER.join('\u0000');
  const found = findStepColumn(names);
  const pandasIndex = names[0] === '' ? 0 : -1;
  const stepIndex = found.index >= 0 ? found.index : pandasIndex;
  const unnamed = names.map((_, c) => c).filter((c) => names[c] === '' && c !== pandasIndex);
  const skipped = (c: number): boolean =>
    (isTensorBoardDownload && c === 0) || (c === pandasIndex && c !== stepIndex) || unnamed.includes(c);
  const readers = names.map((_, c) => (skipped(c) ? null : undefined));
  const body = readDelimitedBody(text, header, fileName, readers);

  for (const note of bodyNotes(body, fileName)) warnings.add(note);
  if (stepIndex < 0) warnings.add(`${fileName} has no step column (step, iteration, iter, epoch); rows are numbered from 0.`);
  else if (stepIndex === pandasIndex) warnings.add(`${fileName}: the unnamed first column (a pandas index) is used as the step.`);
  if (pandasIndex >= 0 && stepIndex !== pandasIndex) warnings.add(`${fileName}: the unnamed first column (a pandas index) was left out.`);
  if (unnamed.length > 0) {
    warnings.add(`${fileName}: left out ${countOf(unnamed.length, 'column')} with no name in the header (a trailing delimiter?).`);
  }

  const steps = stepIndex >= 0 ? body.values[stepIndex] : rowIndexSteps(body.rowCount);
  const metricColumns = names.map((_, c) => c).filter((c) => c !== stepIndex && !skipped(c));
  const filledPerRow = new Int32Array(body.rowCount);
  for (const c of metricColumns) {
    for (let r = 0; r < body.rowCount; r++) filledPerRow[r] += 1 - body.empty[c][r];
  }

  let notLoggedCells = 0;
  const notLoggedColumns: string[] = [];
  const series = metricColumns.map((c) => {
    const { present, notLogged } = loggedRows(body.empty[c], filledPerRow);
    notLoggedCells += notLogged;
    if (notLogged > 0) notLoggedColumns.push(`"${names[c]}"`);
    const id = isTensorBoardDownload ? fileStem(fileName) : names[c];
    const values = body.values[c];
    return buildSeries({ id, label: id, source: fileName, steps, values, present, missingFlags: body.empty[c] }, warnings);
  });
  if (notLoggedCells > 0) {
    warnings.add(`${fileName}: ${countOf(notLoggedCells, 'empty cell')} in ${notLoggedColumns.join(', ')} share a row with other metrics' values, so they were read as not logged there (no point, no NaN).`);
  }
  const stepLabel = stepIndex === found.index ? found.stepLabel : 'step';
  return { format: 'csv', series, stepLabel, warnings: warnings.list() };
}

/** Rows where the metric was logged: all but its empty cells on rows another metric filled. */
function loggedRows(empty: Uint8Array, filledPerRow: Int32Array): { present: Uint8Array; notLogged: number } {
  const present = new Uint8Array(empty.length);
  let notLogged = 0;
  for (let r = 0; r < empty.length; r++) {
    const absent = empty[r] === 1 && filledPerRow[r] > 0;
    present[r] = absent ? 0 : 1;
    if (absent) notLogged++;
  }
  return { present, notLogged };
}
