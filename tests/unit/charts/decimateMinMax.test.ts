// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';

import { decimateMinMax } from '../../../src/charts/decimateMinMax';

/** Deterministic uniform [0, 1) generator (mulberry32), so failures reproduce. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function noisySeries(n: number, nanEvery: number, seed: number) {
  const rng = seededRandom(seed);
  const steps = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    steps[i] = i;
    values[i] = nanEvery > 0 && rng() < 1 / nanEvery ? Number.NaN : Math.sin(i / 50) + rng() - 0.5;
  }
  return { steps, values };
}

function columnOf(step: number, x0: number, x1: number, columns: number): number {
  return Math.min(columns - 1, Math.max(0, Math.floor(((step - x0) * columns) / (x1 - x0))));
}

describe('decimateMinMax', () => {
  it('decimateMinMax keeps every column minimum and maximum of the visible range', () => {
    const { steps, values } = noisySeries(20_000, 0, 7);
    const columns = 100;
    const out = decimateMinMax(steps, values, 0, 19_999, columns);

    const kept = new Set<string>();
    for (let i = 0; i < out.length; i += 1) kept.add(`${out.steps[i]}:${out.values[i]}`);
    const min = new Array<number>(columns).fill(Infinity);
    const max = new Array<number>(columns).fill(-Infinity);
    const minAt = new Array<number>(columns).fill(-1);
    const maxAt = new Array<number>(columns).fill(-1);
    for (let i = 0; i < steps.length; i += 1) {
      const c = columnOf(steps[i], 0, 19_999, columns);
      if (values[i] < min[c]) [min[c], minAt[c]] = [values[i], i];
      if (values[i] > max[c]) [max[c], maxAt[c]] = [values[i], i];
    }
    for (let c = 0; c < columns; c += 1) {
      expect(kept.has(`${steps[minAt[c]]}:${min[c]}`)).toBe(true);
      expect(kept.has(`${steps[maxAt[c]]}:${max[c]}`)).toBe(true);
    }
    expect(out.length).toBeLessThanOrEqual(4 * columns + 2);
  });

  it('decimateMinMax keeps extremes and a gap in every column that holds a NaN', () => {
    const { steps, values } = noisySeries(50_000, 40, 11);
    const columns = 64;
    const [x0, x1] = [1_000, 40_000];
    const out = decimateMinMax(steps, values, x0, x1, columns);

    const gapColumns = new Set<number>();
    const extremes = new Map<number, { min: number; max: number }>();
    for (let i = 0; i < out.length; i += 1) {
      if (out.steps[i] < x0 || out.steps[i] > x1) continue;
      const c = columnOf(out.steps[i], x0, x1, columns);
      if (Number.isNaN(out.values[i])) gapColumns.add(c);
      else {
        const e = extremes.get(c) ?? { min: Infinity, max: -Infinity };
        extremes.set(c, { min: Math.min(e.min, out.values[i]), max: Math.max(e.max, out.values[i]) });
      }
      if (i > 0) expect(out.steps[i]).toBeGreaterThanOrEqual(out.steps[i - 1]);
      if (i > 0) expect(Number.isNaN(out.values[i]) && Number.isNaN(out.values[i - 1])).toBe(false);
    }
    for (let c = 0; c < columns; c += 1) {
      let hasNaN = false;
      let min = Infinity;
      let max = -Infinity;
      for (let i = x0; i <= x1; i += 1) {
        if (columnOf(i, x0, x1, columns) !== c) continue;
        if (Number.isNaN(values[i])) hasNaN = true;
        else [min, max] = [Math.min(min, values[i]), Math.max(max, values[i])];
      }
      expect(gapColumns.has(c)).toBe(hasNaN);
      expect(extremes.get(c)).toEqual({ min, max });
    }
  });

  it('decimateMinMax never bridges a NaN between two finite points', () => {
    const steps = Float64Array.from({ length: 9 }, (_, i) => i);
    const values = Float64Array.from([1, 2, Number.NaN, 3, Number.NaN, 4, Infinity, 5, 6]);
    const out = decimateMinMax(steps, values, 0, 8, 1);

    expect(out.length).toBe(9);
    for (let i = 1; i < out.length; i += 1) expect(out.steps[i]).toBeGreaterThanOrEqual(out.steps[i - 1]);
    expect(Array.from(out.values).map((v) => (Number.isNaN(v) ? 'gap' : v))).toEqual([
      1, 2, 'gap', 3, 'gap', 4, 'gap', 5, 6,
    ]);
  });

  it('decimateMinMax treats values <= 0 as gaps when positiveOnly is set', () => {
    const steps = Float64Array.from([0, 1, 2, 3, 4]);
    const values = Float64Array.from([0.1, 0, -0.5, 1e-6, 1e-3]);
    const out = decimateMinMax(steps, values, 0, 4, 100, { positiveOnly: true });

    expect(Array.from(out.values).map((v) => (Number.isNaN(v) ? 'gap' : v))).toEqual([0.1, 'gap', 1e-6, 1e-3]);
  });

  it('decimateMinMax bounds the vertex count for a million points with NaNs', () => {
    const { steps, values } = noisySeries(1_000_000, 500, 3);
    const columns = 1_200;
    const started = performance.now();
    const out = decimateMinMax(steps, values, 0, 999_999, columns);
    const elapsedMs = performance.now() - started;

    expect(out.length).toBeGreaterThan(columns);
    expect(out.length).toBeLessThanOrEqual(14 * columns + 2);
    expect(elapsedMs).toBeLessThan(2_000);
  });

  it('decimateMinMax adds the nearest point outside the range on each side', () => {
    const steps = Float64Array.from([0, 10, 20, 30, 40]);
    const values = Float64Array.from([1, 2, 3, 4, 5]);
    const out = decimateMinMax(steps, values, 15, 25, 10);

    expect(Array.from(out.steps)).toEqual([10, 20, 30]);
  });

  it('decimateMinMax rejects steps and values of different lengths with both lengths named', () => {
    expect(() => decimateMinMax(new Float64Array(3), new Float64Array(2), 0, 1, 10)).toThrow(
      /one length, got 3 and 2/,
    );
  });
});
