/** Reads the storage class out of a `('storage', class, ...)` persistent id. */

import { PyGlobal, describePyValue } from './pyValues';

import type { PyValue } from './pyValues';
import type { SourceDType } from './types';

/** The storage class named in a persistent id. */
export interface StorageClassInfo {
  /** Qualified name, e.g. `torch.FloatStorage`. */
  name: string;
  /** False when the class is an inert placeholder (not in the global table). */
  known: boolean;
  /** The element dtype; null when unknown or known but not decodable. */
  dtype: SourceDType | null;
}

/**
 * Reads the storage class of a persistent id: a global bound to a torch storage, or a
 * placeholder (refused later, only if a tensor needs it). Anything else goes to `fail`.
 */
export function parseStorageClass(
  value: PyValue | undefined,
  fail: (what: string) => never,
): StorageClassInfo {
  if (!(value instanceof PyGlobal)) {
    const what = value === undefined ? 'nothing' : describePyValue(value);
    return fail(`a storage id names ${what} as its storage class`);
  }
  const name = value.qualifiedName;
  if (value.binding.kind === 'storage') return { name, known: true, dtype: value.binding.dtype };
  if (value.binding.kind === 'placeholder') return { name, known: false, dtype: null };
  return fail(`a storage id names ${name}, which is not a storage class`);
}
