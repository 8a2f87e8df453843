/**
 * Writes a key into a plain record as an own property. Keys come from files, and a plain
 * assignment of `__proto__` would change the record's prototype instead of storing a value.
 */

/** Stores `value` under `key` in `record` (mutated), whatever the key's name. */
export function setOwnEntry<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
