/**
 * Reads one number out of a text log without allocating on the common path: digits go straight
 * to `Number`, and only cells that start with a letter or '#' are compared with the spellings
 * of NaN and infinity that Python, pandas, fastai and W&B write.
 */

/** Lower-cased spellings of a missing or undefined value; they all read as NaN. */
const NAN_SPELLINGS: ReadonlySet<string> = new Set([
  'nan',
  '-nan',
  '+nan',
  'null',
  'none',
  'na',
  'n/a',
  '#na#', // fastai's Recorder writes this for a valid_loss it did not compute
]);

/** Lower-cased spellings of infinity, with the sign they stand for. */
const INFINITY_SPELLINGS: ReadonlyMap<string, number> = new Map([
  ['inf', Infinity],
  ['+inf', Infinity],
  ['-inf', -Infinity],
  ['infinity', Infinity],
  ['+infinity', Infinity],
  ['-infinity', -Infinity],
]);

/** 15 decimal digits always fit below 2^53, so the digits read into an exact integer. */
const MAX_FAST_DIGITS = 15;

/** 10^0 .. 10^15 as literals, each an exact double. */
const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** No spelling above is longer than this, so longer text skips the lower-casing. */
const LONGEST_SPELLING = 9;

/**
 * Returns the number in `text[start, end)`, which the caller has trimmed and unquoted and which
 * is not empty: a decimal such as `-1.5e-3`, NaN for a NaN spelling (`nan`, `NaN`, `-nan`, `null`,
 * `None`, `#na#`), ±Infinity for `inf`, `-inf`, `Infinity`. Returns null for anything else
 * (text, hex, `1,5`), so the caller can say where the bad cell is.
 */
export function parseNumberCell(text: string, start: number, end: number): number | null {
  const fast = parseShortDecimal(text, start, end);
  if (fast !== null) return fast;

  let plainDecimal = true;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    // 0-9 . + - e E: the only characters of a decimal literal; anything else is a spelling or text.
    const isDecimalChar =
      (code >= 48 && code <= 57) || code === 46 || code === 43 || code === 45 || code === 101 || code === 69;
    if (!isDecimalChar) {
      plainDecimal = false;
      break;
    }
  }

  if (plainDecimal) {
    const value = Number(text.slice(start, end));
    return Number.isNaN(value) ? null : value;
  }
  return parseSpelling(text.slice(start, end));
}

/**
 * Returns the number `word` spells (see parseNumberCell), or null when it is not a number.
 * Used for JSON strings such as `"NaN"` and for cells that are already strings.
 */
export function parseNumberWord(word: string): number | null {
  const trimmed = word.trim();
  if (trimmed.length === 0) return null;
  return parseNumberCell(trimmed, 0, trimmed.length);
}

/**
 * Reads `[-+]digits[.digits]` with at most MAX_FAST_DIGITS digits without allocating, or returns
 * null to leave the cell to `Number`. Both the digits as an integer (< 2^53) and the power of
 * ten (<= 1e22) are exact doubles, so one division rounds correctly and the result equals
 * `Number(cell)` bit for bit (Clinger's fast path, "How to Read Floating Point Numbers
 * Accurately", PLDI 1990).
 */
function parseShortDecimal(text: string, start: number, end: number): number | null {
  let at = start;
  const first = text.charCodeAt(at);
  const negative = first === 45;
  if (negative || first === 43) at++;

  let mantissa = 0;
  let digits = 0;
  let fractionDigits = -1;
  for (; at < end; at++) {
    const code = text.charCodeAt(at);
    if (code >= 48 && code <= 57) {
      mantissa = mantissa * 10 + (code - 48);
      digits++;
      if (fractionDigits >= 0) fractionDigits++;
    } else if (code === 46 && fractionDigits < 0) fractionDigits = 0;
    else return null;
  }
  if (digits === 0 || digits > MAX_FAST_DIGITS) return null;

  const value = fractionDigits > 0 ? mantissa / POWERS_OF_TEN[fractionDigits] : mantissa;
  return negative ? -value : value;
}

function parseSpelling(cell: string): number | null {
  if (cell.length > LONGEST_SPELLING) return null;
  const lower = cell.toLowerCase();
  if (NAN_SPELLINGS.has(lower)) return Number.NaN;
  return INFINITY_SPELLINGS.get(lower) ?? null;
}
