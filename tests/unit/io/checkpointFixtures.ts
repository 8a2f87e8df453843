/** Loads the fixtures of tests/fixtures/make_checkpoint_fixtures.py and their expected values. */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { expect } from 'vitest';

import type { CheckpointExtra, HostTensor, SourceDType } from '../../../src/io/checkpoint';

const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/checkpoints/', import.meta.url));

/** A tensor as the fixture script describes it; non-finite values are spelled as strings. */
export interface ExpectedTensor {
  dtype: SourceDType;
  shape: number[];
  values: (number | 'NaN' | 'Infinity' | '-Infinity')[];
}

/** What the fixture script expects `readCheckpoint` to return for one file. */
export interface ExpectedCheckpoint {
  format: string;
  wrapperKey: string | null;
  extras: Record<string, CheckpointExtra>;
  placeholders: string[];
  keys: string[];
  tensors: Record<string, ExpectedTensor>;
  metadata?: Record<string, string>;
}

/** Expected results keyed by fixture file name. */
export const EXPECTED: Record<string, ExpectedCheckpoint> = JSON.parse(
  readFileSync(`${FIXTURE_DIR}expected.json`, 'utf8'),
) as Record<string, ExpectedCheckpoint>;

/** The bytes of fixture `name`, as a fresh Uint8Array. */
export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(`${FIXTURE_DIR}${name}`));
}

/** Asserts dtype and shape, then every value exactly (tolerance 0; NaN equals NaN, -0 is not 0). */
export function expectTensor(
  actual: HostTensor | undefined,
  expected: ExpectedTensor,
  name: string,
): void {
  expect(actual, name).toBeDefined();
  const tensor = actual as HostTensor;
  expect(tensor.sourceDtype, name).toBe(expected.dtype);
  expect(tensor.shape, name).toEqual(expected.shape);
  const wide = !['float32', 'float16', 'bfloat16'].includes(expected.dtype);
  expect(tensor.values, name).toBeInstanceOf(wide ? Float64Array : Float32Array);
  expect(Array.from(tensor.values), name).toEqual(expected.values.map(toNumber));
}

/** Asserts that every tensor of fixture `file` was read exactly, in file order. */
export function expectAllTensors(tensors: Map<string, HostTensor>, file: string): void {
  const expected = EXPECTED[file];
  expect([...tensors.keys()]).toEqual(expected.keys);
  for (const name of expected.keys) {
    expectTensor(tensors.get(name), expected.tensors[name], `${file} ${name}`);
  }
}

function toNumber(value: number | string): number {
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return value as number;
}
