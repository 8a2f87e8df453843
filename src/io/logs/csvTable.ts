import { LabError } from '../errors';

/** Spellings of missing and non-finite values that logging tools write into CSV cells. */
const NAN_SPELLINGS = new Set(['nan', '-nan', 'null', 'none', 'na', 'n/a']);

/** A numeric CSV table: one Float64Array per column, NaN for missing or non-finite cells. */
export interface NumericTable {
  /** Column names in file order, BOM and surrounding whitespace removed. */
  columns: string[];
  /** Values per column, all of the same length (the row count). */
  values: Map<string, Float64Array>;
  /** Per column: how many cells were NaN, inf or empty (all become NaN). */
  nonFinite: Map<string, number>;
}

/**
 * Parses a CSV whose first row names the columns and whose cells are numbers (a training log).
 * Handles a UTF-8 BOM, CRLF line ends and quoted header names; 'nan', 'inf', '-inf' in any case
 * and empty cells become NaN and are counted, never 0. Throws LabError 'invalid_input' when a
 * cell is text or a row has the wrong number of cells.
 */
export function parseNumericCsv(text: string, source = 'the log'): NumericTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line.trim().length > 0);
  if (lines.length === 0) throw new LabError('invalid_input', `${source} is empty: expected a header row such as "step,loss" and one row per step.`);

  const columns = splitRow(lines[0]).map((name) => name.trim().replace(/^"|"$/g, ''));
  const rows = lines.length - 1;
  const values = new Map(columns.map((c) => [c, new Float64Array(rows)]));
  const nonFinite = new Map(columns.map((c) => [c, 0]));

  for (let r = 0; r < rows; r++) {
    const cells = splitRow(lines[r + 1]);
    if (cells.length !== columns.length) {
      throw new LabError('invalid_input', `Row ${r + 2} of ${source} has ${cells.length} cells but the header names ${columns.length} columns. Check the delimiter and that no row was cut short.`);
    }
    for (let c = 0; c < columns.length; c++) {
      const value = parseCell(cells[c]);
      if (value === null) {
        throw new LabError('invalid_input', `Row ${r + 2}, column "${columns[c]}" of ${source} holds "${cells[c]}", which is not a number.`);
      }
      values.get(columns[c])![r] = value;
      if (!Number.isFinite(value)) nonFinite.set(columns[c], nonFinite.get(columns[c])! + 1);
    }
  }
  return { columns, values, nonFinite };
}

/** A cell as a number: NaN for missing or non-finite spellings, null for text. */
function parseCell(raw: string): number | null {
  const cell = raw.trim().replace(/^"|"$/g, '');
  const lower = cell.toLowerCase();
  if (cell.length === 0 || NAN_SPELLINGS.has(lower)) return Number.NaN;
  if (lower === 'true') return 1;
  if (lower === 'false') return 0;
  // inf is kept as NaN in the table: charts draw it as an explicit non-finite marker.
  if (/^[+-]?(inf|infinity)$/.test(lower)) return Number.NaN;
  const value = Number(cell);
  return Number.isNaN(value) ? null : value;
}

function splitRow(line: string): string[] {
  return line.split(',');
}
