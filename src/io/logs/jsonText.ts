/**
 * JSON as Python writes it. `json.dump` spells non-finite floats as bare `NaN`, `Infinity` and
 * `-Infinity`, which `JSON.parse` rejects, and many trainers append one JSON object per line
 * (DINO's log.txt, detectron2's metrics.json). `JSON.parse` runs first; the slower reader here
 * only takes over for the Python spellings, and it names the line and column of a syntax error.
 */

import { LabError } from '../errors';

/** Nesting deeper than this is not a training log and would only risk the stack. */
const MAX_DEPTH = 64;

/** The number grammar of RFC 8259, checked once per number literal. */
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/;

/** How a JSON log's text was laid out. */
export type JsonLayout =
  | { kind: 'document'; value: unknown }
  | { kind: 'lines'; values: unknown[]; lines: number[] };

/**
 * Reads `text` (BOM already removed) as one JSON document or, when its first line is a whole
 * object and another object follows on a later line, as JSON Lines. Blank lines between records
 * are skipped. Throws LabError 'invalid_input' naming `fileName`, the line and column.
 */
export function readJsonLayout(text: string, fileName: string): JsonLayout {
  const firstBreak = text.indexOf('\n', text.search(/\S/));
  const firstLine = firstBreak < 0 ? '' : text.slice(0, firstBreak).trim();
  const rest = firstBreak < 0 ? '' : text.slice(firstBreak).trimStart();
  if (firstLine.startsWith('{') && rest.startsWith('{') && isWholeValue(firstLine)) {
    return readJsonLines(text, fileName);
  }
  return { kind: 'document', value: parsePythonJson(text, fileName, 1) };
}

/**
 * Parses one JSON value that may use Python's `NaN`, `Infinity` and `-Infinity`. `firstLine`
 * is the file line `text` starts on, for messages. Throws LabError 'invalid_input' at a syntax
 * error, naming the line and column.
 */
export function parsePythonJson(text: string, fileName: string, firstLine: number): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Fall through: the slow reader accepts the Python spellings and locates real errors.
  }
  const reader = new JsonReader(text, fileName, firstLine);
  const value = reader.value(0);
  reader.expectEnd();
  return value;
}

function readJsonLines(text: string, fileName: string): JsonLayout {
  const values: unknown[] = [];
  const lines: number[] = [];
  let start = 0;
  let line = 1;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    // Untrimmed, so that error columns match the file; JSON allows the surrounding whitespace.
    const record = text.slice(start, end);
    if (record.trim().length > 0) {
      values.push(parsePythonJson(record, fileName, line));
      lines.push(line);
    }
    start = end + 1;
    line += 1;
  }
  return { kind: 'lines', values, lines };
}

function isWholeValue(candidate: string): boolean {
  try {
    JSON.parse(candidate);
    return true;
  } catch {
    return /\b(NaN|Infinity)\b/.test(candidate);
  }
}

/** A recursive-descent JSON reader over `text`, extended with Python's non-finite spellings. */
class JsonReader {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly fileName: string,
    private readonly firstLine: number,
  ) {}

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
    this.skipSpace();
    const char = this.text[this.pos];
    if (char === '{') return this.object(depth);
    if (char === '[') return this.array(depth);
    if (char === '"') return this.string();
    if (this.word('NaN')) return Number.NaN;
    if (this.word('Infinity')) return Infinity;
    if (this.word('-Infinity')) return -Infinity;
    if (this.word('true')) return true;
    if (this.word('false')) return false;
    if (this.word('null')) return null;
    return this.number();
  }

  expectEnd(): void {
    this.skipSpace();
    if (this.pos < this.text.length) this.fail('unexpected text after the end of the JSON value');
  }

  private object(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('expected a key in double quotes');
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail('expected ":" after a key');
      this.pos++;
      out[key] = this.value(depth + 1);
      this.skipSpace();
      const next = this.text[this.pos++];
      if (next === '}') return out;
      if (next !== ',') this.fail('expected "," or "}" in an object', this.pos - 1);
    }
  }

  private array(depth: number): unknown[] {
    const out: unknown[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.skipSpace();
      const next = this.text[this.pos++];
      if (next === ']') return out;
      if (next !== ',') this.fail('expected "," or "]" in an array', this.pos - 1);
    }
  }

  private string(): string {
    const start = this.pos;
    let at = start + 1;
    for (;;) {
      const code = this.text.charCodeAt(at);
      if (at >= this.text.length || code === 10) this.fail('expected a closing double quote', start);
      if (code === 92) at += 2;
      else if (code === 34) break;
      else at++;
    }
    this.pos = at + 1;
    try {
      return JSON.parse(this.text.slice(start, at + 1)) as string;
    } catch {
      return this.fail('expected a valid string escape', start);
    }
  }

  private number(): number {
    const start = this.pos;
    while (this.pos < this.text.length && isNumberChar(this.text.charCodeAt(this.pos))) this.pos++;
    const literal = this.text.slice(start, this.pos);
    if (literal.length === 0 || !JSON_NUMBER.test(literal)) {
      this.fail('expected a value (number, string, object, array, true, false, null, NaN or Infinity)', start);
    }
    return Number(literal);
  }

  private word(word: string): boolean {
    if (!this.text.startsWith(word, this.pos)) return false;
    this.pos += word.length;
    return true;
  }

  private skipSpace(): void {
    for (;;) {
      const code = this.text.charCodeAt(this.pos);
      if (code !== 32 && code !== 10 && code !== 13 && code !== 9) return;
      this.pos++;
    }
  }

  /** Throws at `at` with `problem`, e.g. "expected a key in double quotes". */
  private fail(problem: string, at = this.pos): never {
    const before = this.text.slice(0, at);
    const line = this.firstLine + (before.match(/\n/g)?.length ?? 0);
    const column = at - before.lastIndexOf('\n');
    throw new LabError('invalid_input', `${this.fileName} is not valid JSON: ${problem} at line ${line}, column ${column}. Fix the file there, or export the log again.`, { details: { fileName: this.fileName, line, column } });
  }
}

/** 0-9 . + - e E: the characters a JSON number literal can contain. */
function isNumberChar(code: number): boolean {
  return (code >= 48 && code <= 57) || code === 46 || code === 43 || code === 45 || code === 101 || code === 69;
}
