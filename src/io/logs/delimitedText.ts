/**
 * A single-pass reader for CSV and TSV training logs. It walks the text by character code and
 * writes each cell straight into a Float64Array per column, so a million-row log never becomes
 * an array of row arrays or a million substrings. Quoted cells (W&B quotes every field) are
 * supported; a quoted cell must not hold the delimiter or a line break in the body.
 */

import { LabError } from '../errors';
import { parseNumberCell } from './numberCell';

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/** How much of a bad cell an error message quotes. */
const CELL_PREVIEW_CHARS = 40;

/** Reads the trimmed, unquoted, non-empty cell `text[start, end)`; null means "not a number". */
export type CellReader = (text: string, start: number, end: number) => number | null;

/** The first row of a delimited log and where its body begins. */
export interface DelimitedHeader {
  /** Column names, trimmed and unquoted; an empty name is kept as ''. */
  names: string[];
  /** The separator the header uses: ',' or '\t'. */
  delimiter: ',' | '\t';
  /** Offset in the text of the first character after the header line. */
  bodyStart: number;
  /** 1-based line number of the first body line, for error messages. */
  bodyLine: number;
}

/** The body of a delimited log as numeric columns. */
export interface DelimitedBody {
  /** How many data rows were read (blank lines are not rows). */
  rowCount: number;
  /** Per column, `rowCount` values; NaN where the cell was empty. Skipped columns have length 0. */
  values: Float64Array[];
  /** Per column, `rowCount` flags: 1 where the cell was empty. Skipped columns have length 0. */
  empty: Uint8Array[];
  /** Per column, how many cells were empty. */
  emptyCounts: number[];
  /** True when the last line had too few cells and no line break after it, and was dropped. */
  droppedCutLastRow: boolean;
}

/**
 * Reads the header row of `text` (a UTF-8 BOM and leading blank lines are skipped). The
 * delimiter is the one the header uses most; when it holds neither a comma nor a tab, a `.tsv`
 * `fileName` picks the tab. Throws LabError 'invalid_input' for an empty text, a header of
 * numbers, or a repeated column name.
 */
export function readDelimitedHeader(text: string, fileName: string): DelimitedHeader {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (pos < text.length && isBlankLineAt(text, pos)) {
    pos = nextLineStart(text, pos);
    line += 1;
  }
  if (pos >= text.length) {
    throw new LabError('invalid_input', `${fileName} is empty: a training log needs a header row such as "step,loss" and one row per step.`);
  }

  const lineEnd = lineEndAt(text, pos);
  const headerText = text.slice(pos, lineEnd);
  const delimiter = pickDelimiter(headerText, fileName);
  const names = splitHeader(headerText, delimiter);

  if (names.every((name) => name.length > 0 && parseNumberCell(name, 0, name.length) !== null)) {
    throw new LabError('invalid_input', `The first row of ${fileName} holds numbers (${headerText.slice(0, CELL_PREVIEW_CHARS)}), not column names. Add a header row such as "step,loss" and load the file again.`);
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (name.length > 0 && seen.has(name)) {
      throw new LabError('invalid_input', `The header of ${fileName} names the column "${name}" twice. Rename one of them so every series has its own name.`);
    }
    seen.add(name);
  }
  return { names, delimiter, bodyStart: nextLineStart(text, pos), bodyLine: line + 1 };
}

/**
 * Reads every row after the header into numeric columns. `readers[c]` parses column c
 * (undefined: parseNumberCell; null: the column is skipped and stays empty). Blank lines are
 * ignored and CRLF is accepted. Throws LabError 'invalid_input' naming the file, line and column
 * for a cell that is not a number or a row with the wrong number of cells; only a last line that
 * was cut short while the log was being written is dropped instead (see `droppedCutLastRow`).
 */
export function readDelimitedBody(
  text: string,
  header: DelimitedHeader,
  fileName: string,
  readers: ReadonlyArray<CellReader | null | undefined> = [],
): DelimitedBody {
  const columnCount = header.names.length;
  const delimiter = header.delimiter.charCodeAt(0);
  const capacity = countLineBreaks(text, header.bodyStart) + 1;
  const parse = header.names.map((_, c) => (readers[c] === undefined ? parseNumberCell : readers[c]));
  const values = parse.map((reader) => new Float64Array(reader === null ? 0 : capacity));
  const empty = parse.map((reader) => new Uint8Array(reader === null ? 0 : capacity));
  const emptyCounts = new Array<number>(columnCount).fill(0);

  const length = text.length;
  let pos = header.bodyStart;
  let line = header.bodyLine;
  let row = 0;
  let droppedCutLastRow = false;

  while (pos < length) {
    if (isBlankLineAt(text, pos)) {
      pos = nextLineStart(text, pos);
      line += 1;
      continue;
    }

    const rowStart = pos;
    let column = 0;
    for (;;) {
      let start = pos;
      while (start < length && isPadding(text.charCodeAt(start), delimiter)) start++;
      let end: number;
      let after: number;
      if (text.charCodeAt(start) === QUOTE) {
        end = closingQuote(text, start, fileName, line);
        start += 1;
        after = end + 1;
        while (after < length && isPadding(text.charCodeAt(after), delimiter)) after++;
      } else {
        after = start;
        while (after < length) {
          const code = text.charCodeAt(after);
          if (code === delimiter || code === LF || code === CR) break;
          after++;
        }
        end = after;
        while (end > start && isPadding(text.charCodeAt(end - 1), delimiter)) end--;
      }

      if (column >= columnCount) throw wrongCellCount(text, rowStart, line, header, fileName);
      const reader = parse[column];
      if (reader !== null) {
        if (start === end) {
          values[column][row] = Number.NaN;
          empty[column][row] = 1;
          emptyCounts[column] += 1;
        } else {
          const value = reader(text, start, end);
          if (value === null) {
            throw textCell(text.slice(start, end), header.names[column], line, fileName);
          }
          values[column][row] = value;
        }
      }
      column += 1;

      const stop = text.charCodeAt(after);
      if (stop === delimiter) {
        pos = after + 1;
        continue;
      }
      if (after < length && stop !== CR && stop !== LF) {
        throw junkAfterQuote(line, header.names[column - 1], fileName);
      }
      pos = nextLineStart(text, after);
      break;
    }

    if (column !== columnCount) {
      const isLastLine = pos >= length && !endsWithLineBreak(text);
      if (isLastLine && column < columnCount) {
        droppedCutLastRow = true;
        break;
      }
      throw wrongCellCount(text, rowStart, line, header, fileName);
    }
    row += 1;
    line += 1;
  }

  return {
    rowCount: row,
    values: values.map((column) => column.subarray(0, Math.min(row, column.length))),
    empty: empty.map((column) => column.subarray(0, Math.min(row, column.length))),
    emptyCounts,
    droppedCutLastRow,
  };
}

/**
 * Returns the notes a reader should pass on about `body`: a last line dropped because it was
 * cut short, or a header with no rows under it yet.
 */
export function bodyNotes(body: DelimitedBody, fileName: string): string[] {
  const notes: string[] = [];
  if (body.droppedCutLastRow) notes.push(`${fileName}: the last line was cut short (the run may still be writing) and was dropped.`);
  if (body.rowCount === 0) notes.push(`${fileName} has a header but no rows yet, so every series is empty.`);
  return notes;
}

function pickDelimiter(headerText: string, fileName: string): ',' | '\t' {
  let commas = 0;
  let tabs = 0;
  let quoted = false;
  for (let i = 0; i < headerText.length; i++) {
    const code = headerText.charCodeAt(i);
    if (code === QUOTE) quoted = !quoted;
    else if (!quoted && code === 44) commas++;
    else if (!quoted && code === TAB) tabs++;
  }
  if (tabs !== commas) return tabs > commas ? '\t' : ',';
  // A tie (usually a single-column file): only then does the name decide.
  return /\.tsv$/i.test(fileName) ? '\t' : ',';
}

function splitHeader(headerText: string, delimiter: string): string[] {
  const names: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < headerText.length; i++) {
    const char = headerText[i];
    if (char === '"') {
      if (quoted && headerText[i + 1] === '"') {
        current += '"';
        i++;
      } else quoted = !quoted;
    } else if (char === delimiter && !quoted) {
      names.push(current.trim());
      current = '';
    } else current += char;
  }
  names.push(current.trim());
  return names;
}

function closingQuote(text: string, open: number, fileName: string, line: number): number {
  let at = open + 1;
  for (;;) {
    at = text.indexOf('"', at);
    if (at < 0) {
      throw new LabError('invalid_input', `${fileName}, line ${line}: a quoted cell is never closed. Check that the file was saved completely and that quotes are doubled inside cells.`);
    }
    if (text.charCodeAt(at + 1) !== QUOTE) return at;
    at += 2;
  }
}

function isPadding(code: number, delimiter: number): boolean {
  return code === SPACE || (code === TAB && delimiter !== TAB);
}

function isBlankLineAt(text: string, pos: number): boolean {
  let at = pos;
  while (at < text.length && text.charCodeAt(at) === SPACE) at++;
  const code = text.charCodeAt(at);
  return at >= text.length || code === LF || code === CR;
}

function lineEndAt(text: string, pos: number): number {
  let at = pos;
  while (at < text.length && text.charCodeAt(at) !== LF && text.charCodeAt(at) !== CR) at++;
  return at;
}

/** The start of the line after the one holding `pos`, past an LF, CR or CRLF. */
function nextLineStart(text: string, pos: number): number {
  let at = lineEndAt(text, pos);
  if (text.charCodeAt(at) === CR) at++;
  if (text.charCodeAt(at) === LF) at++;
  return at;
}

function endsWithLineBreak(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  return last === LF || last === CR;
}

function countLineBreaks(text: string, from: number): number {
  let count = 0;
  let at = text.indexOf('\n', from);
  while (at >= 0) {
    count++;
    at = text.indexOf('\n', at + 1);
  }
  // A file with bare CR line ends (old Mac exports) has no LF at all.
  if (count === 0) for (let i = from; i < text.length; i++) if (text.charCodeAt(i) === CR) count++;
  return count;
}

function textCell(cell: string, column: string, line: number, fileName: string): LabError {
  const preview = cell.length > CELL_PREVIEW_CHARS ? `${cell.slice(0, CELL_PREVIEW_CHARS)}...` : cell;
  return new LabError('invalid_input', `${fileName}, line ${line}, column "${column}": "${preview}" is not a number. Value columns must hold numbers (nan, inf and empty cells are fine); remove text columns from the log or export it again with numbers only.`, { details: { fileName, line, column } });
}

function junkAfterQuote(line: number, column: string, fileName: string): LabError {
  return new LabError('invalid_input', `${fileName}, line ${line}, column "${column}": text follows the closing quote of a cell. Quote whole cells only, or save the file again from a spreadsheet or pandas.`, { details: { fileName, line, column } });
}

function wrongCellCount(
  text: string,
  lineStart: number,
  line: number,
  header: DelimitedHeader,
  fileName: string,
): LabError {
  const lineText = text.slice(lineStart, lineEndAt(text, lineStart));
  const cells = lineText.split(header.delimiter).length;
  const delimiterName = header.delimiter === '\t' ? 'tab' : 'comma';
  return new LabError('invalid_input', `${fileName}, line ${line} has ${cells} cells but the header names ${header.names.length} columns. Check that every row uses the ${delimiterName} delimiter of the header and that no row was cut short.`, { details: { fileName, line } });
}
