/**
 * Parsers for the text forms of protocol 0 opcodes (INT, LONG, FLOAT, STRING, UNICODE, GET/PUT
 * indices) and for little-endian LONG1/LONG4 payloads. Each returns null when its input is
 * malformed, so the unpickler can report the offset and opcode.
 */

/** Decimal integers longer than this are refused (Python's own limit is 4300 digits). */
const MAX_DECIMAL_DIGITS = 4300;

const DECIMAL = /^[+-]?\d+$/;
const FLOAT_TEXT = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)$/i;
const OCTAL_DIGIT = /^[0-7]$/;
const HEX = /^[0-9a-fA-F]+$/;
const ESCAPES: Readonly<Record<string, number>> = {
  '\\': 0x5c, "'": 0x27, '"': 0x22, a: 0x07, b: 0x08, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b,
};

/** A Python int as the unpickler keeps it: a number when exactly representable, else a bigint. */
export function toPyInt(value: bigint): number | bigint {
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : value;
}

/** Parses a decimal integer line (LONG may end in 'L'); null when malformed or too long. */
export function parseDecimal(text: string): number | bigint | null {
  const digits = text.endsWith('L') ? text.slice(0, -1) : text;
  if (digits.length > MAX_DECIMAL_DIGITS || !DECIMAL.test(digits)) return null;
  return toPyInt(BigInt(digits));
}

/** Parses a FLOAT line as Python's repr writes it, including inf and nan; null when malformed. */
export function parseFloatText(text: string): number | null {
  const trimmed = text.trim();
  if (!FLOAT_TEXT.test(trimmed)) return null;
  const lower = trimmed.toLowerCase().replace(/^\+/, '');
  if (lower.endsWith('nan')) return NaN;
  if (lower.endsWith('inf') || lower.endsWith('infinity')) {
    return lower.startsWith('-') ? -Infinity : Infinity;
  }
  return Number(trimmed);
}

/** Decodes a little-endian two's complement integer (LONG1, LONG4; empty means 0). */
export function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  if (bytes[bytes.length - 1] & 0x80) value -= 1n << BigInt(8 * bytes.length);
  return toPyInt(value);
}

/**
 * Decodes a STRING opcode's quoted, backslash-escaped Python 2 repr (e.g. `'a\x00b'`) into its
 * bytes; null when the quotes do not match or an escape is cut short.
 */
export function unquoteString(line: Uint8Array): Uint8Array | null {
  const text = latin1(line);
  const quote = text[0];
  const quoted = (quote === "'" || quote === '"') && text[text.length - 1] === quote;
  if (text.length < 2 || !quoted) return null;

  const body = text.slice(1, -1);
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      out.push(ch.charCodeAt(0));
      continue;
    }
    const next = body[++i];
    if (next === undefined) return null;
    if (next === '\n') continue;
    if (Object.hasOwn(ESCAPES, next)) {
      out.push(ESCAPES[next]);
    } else if (next === 'x') {
      const hex = body.slice(i + 1, i + 3);
      if (hex.length !== 2 || !HEX.test(hex)) return null;
      out.push(parseInt(hex, 16));
      i += 2;
    } else if (OCTAL_DIGIT.test(next)) {
      let digits = next;
      while (digits.length < 3 && OCTAL_DIGIT.test(body[i + 1] ?? '')) digits += body[++i];
      out.push(parseInt(digits, 8) & 0xff);
    } else {
      out.push(0x5c, next.charCodeAt(0)); // Python keeps unknown escapes as written
    }
  }
  return Uint8Array.from(out);
}

/**
 * Decodes a UNICODE opcode's raw-unicode-escape line: bytes are latin-1 characters, except
 * `\uXXXX` and `\UXXXXXXXX`. Null when an escape is malformed or past U+10FFFF.
 */
export function decodeRawUnicodeEscape(line: Uint8Array): string | null {
  const text = latin1(line);
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const width = text[i] === '\\' ? { u: 4, U: 8 }[text[i + 1] ?? ''] : undefined;
    if (width === undefined) {
      out += text[i];
      continue;
    }
    const hex = text.slice(i + 2, i + 2 + width);
    const code = hex.length === width && HEX.test(hex) ? parseInt(hex, 16) : -1;
    if (code < 0 || code > 0x10ffff) return null;
    out += String.fromCodePoint(code);
    i += 1 + width;
  }
  return out;
}

/** Bytes as latin-1 text, one character per byte. */
export function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x2000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x2000));
  }
  return text;
}
