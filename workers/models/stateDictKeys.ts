/**
 * Key handling shared by every architecture recogniser: wrapper prefixes that training code adds
 * (DataParallel's `module.`, torch.compile's `_orig_mod.`) are stripped before matching, and the
 * mismatch report reads like a strict `load_state_dict`.
 */

/** Prefixes that wrappers add to every key; stripped repeatedly, in any order. */
const WRAPPER_PREFIXES = ['module.', '_orig_mod.'];

/** A state dict reduced to what recognition needs: key -> shape. */
export type ShapeTable = Map<string, number[]>;

/** Missing, unexpected and mis-shaped keys, as PyTorch's strict load reports them. */
export interface StateDictReport {
  /** Keys the architecture needs that the file lacks. */
  missing: string[];
  /** Keys the file has that the architecture does not use. */
  unexpected: string[];
  /** Keys present on both sides with different shapes. */
  shapeMismatches: { key: string; expected: number[]; found: number[] }[];
}

/**
 * Returns `key` without wrapper prefixes, e.g. 'module._orig_mod.encoder.0.0.weight' ->
 * 'encoder.0.0.weight'. The prefixes are removed wherever a wrapper put them at the front.
 */
export function stripWrapperPrefixes(key: string): string {
  let out = key;
  let changed = true;
  while (changed) {
    changed = false;
    for (const prefix of WRAPPER_PREFIXES) {
      if (out.startsWith(prefix)) {
        out = out.slice(prefix.length);
        changed = true;
      }
    }
  }
  return out;
}

/**
 * Renames every key of `table` through `stripWrapperPrefixes`. Returns the new table and the
 * renaming (new key -> original key) so errors can name what the file really holds.
 */
export function normalizeKeys<T>(table: Map<string, T>): { table: Map<string, T>; original: Map<string, string> } {
  const out = new Map<string, T>();
  const original = new Map<string, string>();
  for (const [key, value] of table) {
    const stripped = stripWrapperPrefixes(key);
    out.set(stripped, value);
    original.set(stripped, key);
  }
  return { table: out, original };
}

/**
 * Compares the shapes an architecture expects with those a file has. Keys in `ignore` (such as
 * BatchNorm's num_batches_tracked counters) never count as unexpected.
 */
export function compareStateDict(expected: ShapeTable, found: ShapeTable, ignore: (key: string) => boolean): StateDictReport {
  const missing: string[] = [];
  const shapeMismatches: StateDictReport['shapeMismatches'] = [];
  for (const [key, shape] of expected) {
    const have = found.get(key);
    if (!have) missing.push(key);
    else if (!sameShape(shape, have)) shapeMismatches.push({ key, expected: shape, found: have });
  }
  const unexpected = [...found.keys()].filter((key) => !expected.has(key) && !ignore(key));
  return { missing, unexpected, shapeMismatches };
}

/** True when two shapes are equal, dimension by dimension. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** True for BatchNorm bookkeeping buffers that inference never reads. */
export function isBatchCounter(key: string): boolean {
  return key.endsWith('.num_batches_tracked');
}
