import { assert } from '../io/errors';

import type { FloatArray } from './types';

/**
 * Asserts that `values` holds a `[rows, cols]` row-major matrix: both sizes are positive integers
 * and the length is exactly rows * cols. `op` names the caller in the message.
 */
export function assertMatrix(op: string, values: FloatArray, rows: number, cols: number): void {
  assert(
    Number.isInteger(rows) && rows > 0 && Number.isInteger(cols) && cols > 0,
    () => `${op}: sizes must be positive integers, got rows = ${rows}, cols = ${cols}`,
  );
  assert(
    values.length === rows * cols,
    () => `${op}: expected a [${rows}, ${cols}] matrix of length ${rows * cols}, got length ${values.length}`,
  );
}

/** Asserts that `value` is an integer of at least `min`; `name` and `op` go into the message. */
export function assertCount(op: string, name: string, value: number, min: number): void {
  assert(
    Number.isInteger(value) && value >= min,
    () => `${op}: ${name} must be an integer >= ${min}, got ${value}`,
  );
}
