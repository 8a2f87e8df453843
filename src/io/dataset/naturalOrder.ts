/**
 * Natural ordering of ids and paths: runs of digits compare by value, so "2" sorts before "10"
 * and "id_9" before "id_10". Text runs compare case-insensitively first, then by code unit, so
 * the order is the same on every platform and locale (listing order must never leak in).
 */

const CHUNKS = /\d+|\D+/g;

/**
 * Negative, zero or positive as `a` sorts before, with or after `b` in natural order; zero only
 * when the strings are equal. Example: ['10', '2', '1'].sort(compareNatural) -> ['1', '2', '10'].
 */
export function compareNatural(a: string, b: string): number {
  const left = a.match(CHUNKS) ?? [];
  const right = b.match(CHUNKS) ?? [];

  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const order = compareChunk(left[i], right[i]);
    if (order !== 0) return order;
  }
  if (left.length !== right.length) return left.length - right.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Digit runs by value (as strings, so ids longer than 2^53 still order), text runs folded. */
function compareChunk(a: string, b: string): number {
  const aDigits = isDigit(a);
  const bDigits = isDigit(b);
  if (aDigits && bDigits) {
    const aValue = a.replace(/^0+(?=\d)/, '');
    const bValue = b.replace(/^0+(?=\d)/, '');
    if (aValue.length !== bValue.length) return aValue.length - bValue.length;
    if (aValue !== bValue) return aValue < bValue ? -1 : 1;
    return 0;
  }
  if (aDigits !== bDigits) return aDigits ? -1 : 1; // numbers before text, as file managers do
  const aFolded = a.toLowerCase();
  const bFolded = b.toLowerCase();
  return aFolded < bFolded ? -1 : aFolded > bFolded ? 1 : 0;
}

function isDigit(chunk: string): boolean {
  const code = chunk.charCodeAt(0);
  return code >= 48 && code <= 57;
}
