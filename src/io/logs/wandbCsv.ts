/**
 * Weights & Biases CSV exports. A chart panel's "Export CSV" writes a `Step` column and, per run
 * and metric, `<run> - <metric>` with `__MIN` and `__MAX` companions (the band of the points
 * W&B merged into one); a history export writes `_step`, `_runtime`, `_timestamp` and one column
 * per metric. An empty cell means the metric was not logged at that step, so the row is left
 * out of that series; a written `NaN` is a real NaN and stays.
 */

import { bodyNotes, readDelimitedBody } from './delimitedText';
import { buildSeries, filledRows, LogWarnings } from './seriesBuilder';

import type { DelimitedHeader } from './delimitedText';
import type { ParsedLog, ScalarSeries } from './types';

/** W&B's suffixes for the band columns of a sampled metric. */
const MIN_SUFFIX = '__MIN';
const MAX_SUFFIX = '__MAX';

/** The separator W&B puts between the run name and the metric in export column names. */
const RUN_SEPARATOR = ' - ';

/**
 * True when `names` is a W&B export header: a `_step` column, or a `Step` column next to
 * `<run> - <metric>` or `__MIN`/`__MAX` columns.
 */
export function isWandbHeader(names: readonly string[]): boolean {
  if (names.includes('_step')) return true;
  if (!names.includes('Step')) return false;
  return names.some(
    (name) => name.includes(RUN_SEPARATOR) || name.endsWith(MIN_SUFFIX) || name.endsWith(MAX_SUFFIX),
  );
}

/**
 * Parses the body of a W&B CSV export whose header is `header`: one series per metric column
 * keyed on `Step` (or `_step`), with `lower`/`upper` from its `__MIN`/`__MAX` columns. W&B system
 * columns such as `_runtime` and `_timestamp` are dropped with a note. Throws LabError
 * 'invalid_input' naming the line and column of a cell that is not a number.
 */
export function parseWandbCsv(text: string, header: DelimitedHeader, fileName: string): ParsedLog {
  const warnings = new LogWarnings();
  const { names } = header;
  const stepIndex = names.includes('Step') ? names.indexOf('Step') : names.indexOf('_step');
  const systemColumns = names.filter((name, c) => c !== stepIndex && name.startsWith('_'));
  const readers = names.map((name, c) => (c !== stepIndex && name.startsWith('_') ? null : undefined));
  const body = readDelimitedBody(text, header, fileName, readers);

  for (const note of bodyNotes(body, fileName)) warnings.add(note);
  if (systemColumns.length > 0) {
    warnings.add(`${fileName}: W&B system columns ${systemColumns.map((n) => `"${n}"`).join(', ')} are not metrics and were left out.`);
  }

  const steps = body.values[stepIndex];
  const series: ScalarSeries[] = [];
  names.forEach((name, c) => {
    if (c === stepIndex || name.startsWith('_') || isCompanion(name, names)) return;
    const lowerIndex = names.indexOf(`${name}${MIN_SUFFIX}`);
    const upperIndex = names.indexOf(`${name}${MAX_SUFFIX}`);
    series.push(
      buildSeries(
        {
          id: name,
          label: name,
          source: fileName,
          steps,
          values: body.values[c],
          present: filledRows(body.empty[c]),
          lower: lowerIndex >= 0 ? body.values[lowerIndex] : undefined,
          upper: upperIndex >= 0 ? body.values[upperIndex] : undefined,
        },
        warnings,
      ),
    );
  });
  return { format: 'wandb-csv', series, stepLabel: 'step', warnings: warnings.list() };
}

/** True for a `__MIN`/`__MAX` column whose main column is also in the header. */
function isCompanion(name: string, names: readonly string[]): boolean {
  for (const suffix of [MIN_SUFFIX, MAX_SUFFIX]) {
    if (name.endsWith(suffix) && names.includes(name.slice(0, -suffix.length))) return true;
  }
  return false;
}
