/**
 * Helpers for the dataset tests: the tiny images written by
 * tests/fixtures/dataset/make_dataset_fixtures.py, files built from text, and a seeded shuffle
 * so "listing order never matters" is checked on fixed, repeatable orders.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { DatasetFile } from '../../../src/io/dataset';

const IMAGES_DIR = fileURLToPath(new URL('../../fixtures/dataset/images/', import.meta.url));

/** The bytes of a fixture image, e.g. imageBytes('baseline.jpg'): a 5 x 3 RGB JPEG. */
export function imageBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(IMAGES_DIR + name));
}

/** A dataset file holding the fixture image `fixture` under `path`. */
export function imageFile(path: string, fixture: string): DatasetFile {
  return { path, bytes: imageBytes(fixture) };
}

/** A dataset file holding `text` as UTF-8. */
export function textFile(path: string, text: string): DatasetFile {
  return { path, bytes: new TextEncoder().encode(text) };
}

/** A copy of `items` in an order fixed by `seed` (Fisher-Yates with a small LCG). */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
