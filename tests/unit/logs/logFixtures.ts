/** Loads the log fixtures in tests/fixtures/logs/ and builds small inputs for the log readers. */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { expect } from 'vitest';

import type { ParsedLog, ScalarSeries } from '../../../src/io/logs';

const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/logs/', import.meta.url));

/** The bytes of fixture `name`, as a fresh Uint8Array. */
export function logFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(`${FIXTURE_DIR}${name}`));
}

/** `text` as UTF-8 bytes. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** The series of `log` with id `id`; fails the test when there is none. */
export function seriesOf(log: ParsedLog, id: string): ScalarSeries {
  const found = log.series.find((s) => s.id === id);
  expect(found, `series "${id}" among ${log.series.map((s) => s.id).join(', ')}`).toBeDefined();
  return found!;
}

/** Asserts the steps and values of `series` exactly (NaN equals NaN, ±Infinity as written). */
export function expectPoints(series: ScalarSeries, steps: number[], values: number[]): void {
  expect(series.steps.length).toBe(steps.length);
  expect(Array.from(series.steps)).toEqual(steps);
  expect(Array.from(series.values)).toEqual(values);
}
