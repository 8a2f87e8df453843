/**
 * The labels table of the Zindi rice-disease layout: a header row naming `Image_id` and
 * `Label` (any case, other columns ignored), then one row per image. Ids may carry the image
 * extension or not; they are returned without it so they match file stems.
 */

import { LabError } from '../errors';
import { detectDelimiter, parseCsvRows } from './csvRows';
import { stripImageExtension } from './datasetPath';
import { countOf, listNames, listPhrases } from './nameList';

import type { LabelsTable } from './types';

const ID_COLUMN = 'image_id';
const LABEL_COLUMN = 'label';

/**
 * The ids and labels of the CSV `text`, in file order; `source` names the file in messages.
 * Handles a UTF-8 BOM, CRLF, quoted cells and comma, semicolon or tab delimiters. Throws
 * LabError 'invalid_input' when the header lacks either column (a table without a header
 * would shift every label by a row), a row has the wrong number of cells, an id or label is
 * empty, or an id appears twice (the message names the duplicates).
 * Example: 'Image_id,Label\r\nid_a.jpg,blast' -> { ids: ['id_a'], labels: ['blast'], ... }.
 */
export function parseLabelsCsv(text: string, source: string): LabelsTable {
  const rows = parseCsvRows(text, detectDelimiter(text), source);
  if (rows.length === 0) {
    throw new LabError('invalid_input', `${source} is empty: expected a header row "Image_id,Label" and then one row per image.`);
  }

  const header = rows[0].cells.map((cell) => cell.trim());
  const idIndex = findColumn(header, ID_COLUMN, source);
  const labelIndex = findColumn(header, LABEL_COLUMN, source);
  const ids: string[] = [];
  const labels: string[] = [];
  const firstLine = new Map<string, number>();
  const duplicates: string[] = [];

  for (const row of rows.slice(1)) {
    if (row.cells.length !== header.length) {
      throw new LabError('invalid_input', `Line ${row.line} of ${source} has ${row.cells.length} cells but the header names ${header.length} columns. Check for a missing or extra delimiter, or an unquoted comma inside a cell.`);
    }
    const id = stripImageExtension(row.cells[idIndex].trim());
    const label = row.cells[labelIndex].trim();
    if (id.length === 0) {
      throw new LabError('invalid_input', `Line ${row.line} of ${source} has an empty ${header[idIndex]}. Fill in the image id or delete the row.`);
    }
    if (label.length === 0) {
      throw new LabError('invalid_input', `Line ${row.line} of ${source} has an empty ${header[labelIndex]} for image "${id}". Fill in the label or delete the row.`);
    }
    const seen = firstLine.get(id);
    if (seen !== undefined) duplicates.push(`"${id}" (lines ${seen} and ${row.line})`);
    else firstLine.set(id, row.line);
    ids.push(id);
    labels.push(label);
  }

  if (duplicates.length > 0) {
    throw new LabError(
      'invalid_input',
      `${source} lists ${countOf(duplicates.length, 'image id')} more than once: ${listPhrases(duplicates)}. An id with and without its extension is the same image. Keep one row per image.`,
      { details: { duplicates } },
    );
  }
  return { ids, labels, idColumn: header[idIndex], labelColumn: header[labelIndex] };
}

/** Index of the header cell equal to `wanted` ignoring case; throws when absent or repeated. */
function findColumn(header: string[], wanted: string, source: string): number {
  const matches = header.flatMap((name, index) => (name.toLowerCase() === wanted ? [index] : []));
  if (matches.length === 1) return matches[0];
  const pretty = wanted === ID_COLUMN ? 'Image_id' : 'Label';
  if (matches.length > 1) {
    throw new LabError('invalid_input', `The header of ${source} names the column ${pretty} ${matches.length} times. Rename or delete the extra columns.`);
  }
  const looksLikeData = header.some((cell) => stripImageExtension(cell) !== cell);
  throw new LabError(
    'invalid_input',
    looksLikeData
      ? `${source} has no header row: its first row (${listNames(header)}) looks like data. Add the header "Image_id,Label" as the first line; without it every label would shift by one row.`
      : `${source} has no ${pretty} column: its header names ${listNames(header)}. The labels file needs the columns Image_id and Label (any case).`,
  );
}
