/**
 * Lists of names inside messages: quoted, comma-separated, and cut after a few so a message
 * about ten thousand files stays one readable line.
 */

/** How many names a message spells out before "and N more". */
export const NAMES_SHOWN = 5;

/** `names` as '"a", "b" and 3 more'; at most NAMES_SHOWN are spelled out. */
export function listNames(names: readonly string[]): string {
  return listPhrases(names.map((name) => `"${name}"`));
}

/** `phrases` joined as 'a, b and 3 more', unquoted; at most NAMES_SHOWN are spelled out. */
export function listPhrases(phrases: readonly string[]): string {
  const shown = phrases.slice(0, NAMES_SHOWN);
  const rest = phrases.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}

/** "1 file" or "3 files": `count` with the noun in the matching number. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
