/**
 * The UI's only console access. Messages carry a tag; warnings are de-duplicated and counted so
 * tests can assert on them.
 */
const warned = new Map<string, number>();

/** Logs a warning once per distinct message and counts repeats. */
export function warn(tag: string, message: string): void {
  const key = `[lab:${tag}] ${message}`;
  const seen = warned.get(key) ?? 0;
  warned.set(key, seen + 1);
  if (seen === 0) console.warn(key);
}

/** Logs an error with its context, once. */
export function logError(tag: string, message: string, error: unknown): void {
  console.error(`[lab:${tag}] ${message}`, error);
}

/** Debug lines, in development builds only. */
export function debug(tag: string, message: string): void {
  if (import.meta.env.DEV) console.debug(`[lab:${tag}] ${message}`);
}

/** Warning counts by message, for tests. */
export function warningCounts(): ReadonlyMap<string, number> {
  return warned;
}
