/**
 * fastai's CSVLogger callback writes one row per epoch,
 * `epoch,train_loss,valid_loss,<metrics>,time`, with `#na#` where a loss was not computed (no
 * validation set) and the epoch's duration as `mm:ss`, or `h:mm:ss` past an hour. The time
 * column is kept as a series in seconds.
 */

import { bodyNotes, readDelimitedBody } from './delimitedText';
import { parseNumberCell } from './numberCell';
import { buildSeries, LogWarnings } from './seriesBuilder';

import type { CellReader, DelimitedHeader } from './delimitedText';
import type { ParsedLog } from './types';

const COLON = 58;

/** The id of the epoch-duration series. */
export const FASTAI_TIME_ID = 'time';

/**
 * True when `names` is a fastai CSVLogger header: `epoch` then `train_loss` (a trailing `time`
 * column is optional, fastai drops it with `add_time=False`).
 */
export function isFastaiHeader(names: readonly string[]): boolean {
  return names.length >= 2 && names[0] === 'epoch' && names[1] === 'train_loss';
}

/**
 * Parses the body of a fastai CSVLogger file whose header is `header` into one series per
 * column, keyed on epoch; `time` becomes seconds per epoch (label "time (s)"). Throws LabError
 * 'invalid_input' naming the line and column of a cell that is not a number or a duration.
 */
export function parseFastaiCsv(text: string, header: DelimitedHeader, fileName: string): ParsedLog {
  const warnings = new LogWarnings();
  const readers = header.names.map((name) => (name === FASTAI_TIME_ID ? readDuration : undefined));
  const body = readDelimitedBody(text, header, fileName, readers);
  for (const note of bodyNotes(body, fileName)) warnings.add(note);

  const epochs = body.values[0];
  const series = header.names.slice(1).map((name, offset) => {
    const column = offset + 1;
    return buildSeries(
      {
        id: name,
        label: name === FASTAI_TIME_ID ? 'time (s)' : name,
        source: fileName,
        steps: epochs,
        values: body.values[column],
        missingFlags: body.empty[column],
      },
      warnings,
    );
  });
  return { format: 'fastai-csv', series, stepLabel: 'epoch', warnings: warnings.list() };
}

/**
 * Reads fastai's `format_time` output as seconds: `00:12` is 12, `1:02:03` is 3723. Plain
 * numbers and NaN spellings read as in parseNumberCell; other text returns null so the caller
 * can report the cell.
 */
export const readDuration: CellReader = (text, start, end) => {
  let seconds = 0;
  let part = 0;
  let digits = 0;
  let colons = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === COLON) {
      if (digits === 0 || colons === 2) return null;
      seconds = seconds * 60 + part;
      part = 0;
      digits = 0;
      colons++;
    } else if (code >= 48 && code <= 57) {
      part = part * 10 + (code - 48);
      digits++;
    } else if (colons === 0) {
      return parseNumberCell(text, start, end);
    } else return null;
  }
  if (digits === 0) return null;
  return seconds * 60 + part;
};
