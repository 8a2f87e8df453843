/**
 * Splits delimited text into rows of cells the RFC 4180 way: cells may be quoted, a quoted cell
 * may hold the delimiter, line breaks and doubled quotes (""), and rows end in LF or CRLF.
 * A leading UTF-8 byte order mark is dropped. Knows nothing about columns.
 */

import { LabError } from '../errors';

/** One row of cells and the line it starts on, for messages. */
export interface CsvRow {
  /** Cell texts with quotes removed and "" turned into "; unquoted cells are not trimmed. */
  cells: string[];
  /** 1-based line of the file where the row starts. */
  line: number;
}

/** Delimiters tried on the header line, in order of preference when counts tie. */
const DELIMITERS = [',', ';', '\t'] as const;

/**
 * The rows of `text` split at `delimiter`; rows whose cells are all blank are skipped.
 * Throws LabError 'invalid_input' naming `source` and the line when a quoted cell is never
 * closed or text follows a closing quote. Example: parseCsvRows('a,"b,c"\r\n1,2', ',', 'x.csv') -> cells ['a', 'b,c'] and ['1', '2'].
 */
export function parseCsvRows(text: string, delimiter: string, source: string): CsvRow[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let rowLine = 1;
  let at = 0;

  const endRow = () => {
    cells.push(cell);
    if (cells.some((c) => c.trim().length > 0)) rows.push({ cells, line: rowLine });
    cells = [];
    cell = '';
  };

  while (at < body.length) {
    const char = body[at];
    if (char === '"' && cell.trim().length === 0) {
      const quoteLine = line;
      const close = readQuoted(body, at + 1);
      if (close === null) {
        throw new LabError('invalid_input', `Line ${quoteLine} of ${source} opens a quoted cell that is never closed. Add the closing quote, or double any quote inside a cell ("").`);
      }
      cell = close.value;
      line += countLineBreaks(close.value);
      at = close.next;
      const after = body[at];
      if (after !== undefined && after !== delimiter && after !== '\n' && after !== '\r') {
        throw new LabError('invalid_input', `Line ${line} of ${source} has text after the closing quote of a cell. Quote the whole cell, and double any quote inside it ("").`);
      }
    } else if (char === delimiter) {
      cells.push(cell);
      cell = '';
      at++;
    } else if (char === '\n' || char === '\r') {
      endRow();
      at += char === '\r' && body[at + 1] === '\n' ? 2 : 1;
      line++;
      rowLine = line;
    } else {
      cell += char;
      at++;
    }
  }
  if (cell.length > 0 || cells.length > 0) endRow();
  return rows;
}

/**
 * The delimiter of a table judged from its first line: whichever of comma, semicolon and tab
 * occurs most outside quotes, comma when none does (a one-column file).
 */
export function detectDelimiter(text: string): string {
  const firstLine = (text.startsWith('\uFEFF') ? text.slice(1) : text).split(/\r?\n/, 1)[0] ?? '';
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  let best: string = DELIMITERS[0];
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    const count = unquoted.split(delimiter).length - 1;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

/** The text of a quoted cell whose content starts at `start`, and the index after its closing quote. */
function readQuoted(body: string, start: number): { value: string; next: number } | null {
  let value = '';
  let at = start;
  while (at < body.length) {
    const quote = body.indexOf('"', at);
    if (quote < 0) return null;
    value += body.slice(at, quote);
    if (body[quote + 1] === '"') {
      value += '"';
      at = quote + 2;
    } else {
      return { value, next: quote + 1 };
    }
  }
  return null;
}

function countLineBreaks(value: string): number {
  return (value.match(/\r\n|\r|\n/g) ?? []).length;
}
