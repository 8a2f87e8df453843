/**
 * The top-level keys of a JSON object text in the order they are written, duplicates included.
 * `JSON.parse` cannot tell: it moves integer-like keys ("0", "12") to the front of the object
 * and keeps only the last of repeated keys.
 */

/**
 * Returns the keys of the top-level object in `json`, in order. `json` must already be known to
 * parse as an object (this scanner does not validate).
 */
export function topLevelKeys(json: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json[i];
    if (ch === '"') {
      const end = endOfString(json, i);
      if (depth === 1 && expectKey) keys.push(JSON.parse(json.slice(i, end + 1)) as string);
      expectKey = false;
      i = end;
    } else if (ch === '{' || ch === '[') {
      depth++;
      expectKey = ch === '{' && depth === 1;
    } else if (ch === '}' || ch === ']') {
      depth--;
    } else if (ch === ',') {
      expectKey = depth === 1;
    }
  }
  return keys;
}

/** Index of the quote closing the string that opens at `start`. */
function endOfString(json: string, start: number): number {
  let i = start + 1;
  while (i < json.length && json[i] !== '"') i += json[i] === '\\' ? 2 : 1;
  return i;
}
