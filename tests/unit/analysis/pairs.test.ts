import { describe, expect, it } from 'vitest';

import { COSINE_NORM_EPS } from '../../../src/analysis/normalise';
import { cosineSimilarity, matchingPairStats } from '../../../src/analysis/pairs';
import { createRng, normalMatrix } from './random';

describe('cosineSimilarity', () => {
  it('cosineSimilarity is 1 for parallel vectors within 1e-15 and null for a zero vector', () => {
    expect(Math.abs((cosineSimilarity(new Float64Array([1, 2]), new Float64Array([3, 6])) ?? NaN) - 1)).toBeLessThanOrEqual(1e-15);
    expect(cosineSimilarity(new Float64Array([0, 0]), new Float64Array([3, 6]))).toBeNull();
  });

  it('cosineSimilarity excludes norms at or below COSINE_NORM_EPS = 1e-12 and keeps norms above it', () => {
    expect(COSINE_NORM_EPS).toBe(1e-12);
    expect(cosineSimilarity(new Float64Array([1e-13, 0]), new Float64Array([1, 0]))).toBeNull();
    expect(cosineSimilarity(new Float64Array([1e-11, 0]), new Float64Array([1, 0]))).toBe(1);
  });
});

describe('matchingPairStats', () => {
  // a0 = (1,0), a1 = (0,1), a2 = (1,1)/√2; b0 = (1,0), b1 = (0,1), b2 = (1,0).
  const viewA = new Float64Array([1, 0, 0, 1, 1, 1]);
  const viewB = new Float64Array([1, 0, 0, 1, 1, 0]);

  it('matchingPairStats counts a tie with the match as a top-1 miss in both directions', () => {
    const stats = matchingPairStats(viewA, viewB, 3, 2);
    // a0 ties b0 and b2 (miss), a1 hits, a2 ties all three (miss); b0, b1 hit, b2 prefers a0.
    expect(stats.top1).toBe(1 / 3);
    expect(stats.top1Reverse).toBe(2 / 3);
    expect(Array.from(stats.nearestAtoB)).toEqual([2, 1, 0]);
    expect(Array.from(stats.nearestBtoA)).toEqual([0, 1, 0]);
  });

  it('matchingPairStats returns matching and row-major non-matching cosines and their AUC, within 1e-15', () => {
    const stats = matchingPairStats(viewA, viewB, 3, 2);
    const r = Math.SQRT1_2;
    [1, 1, r].forEach((v, i) => expect(Math.abs(stats.matching[i] - v)).toBeLessThanOrEqual(1e-15));
    expect(stats.nonMatching.length).toBe(6);
    [0, 1, 0, 0, r, r].forEach((v, i) => expect(Math.abs(stats.nonMatching[i] - v)).toBeLessThanOrEqual(1e-15));
    // Positives 1, 1 beat five negatives and tie one (5.5 each); r beats three and ties two (4).
    expect(Math.abs(stats.auc - 15 / 18)).toBeLessThanOrEqual(1e-15);
    expect(stats.validCount).toBe(3);
    expect(Array.from(stats.invalidIds)).toEqual([]);
  });

  it('matchingPairStats reports a zero embedding by index and keeps every statistic finite over the 199 valid pairs (B19)', () => {
    const [n, d] = [200, 16];
    const rng = createRng(19);
    const a = normalMatrix(rng, n, d);
    const b = a.map((v) => v + 0.8 * (rng() - 0.5));
    a.fill(0, 17 * d, 18 * d); // item 17's image is blank and embeds to zero
    const stats = matchingPairStats(Float32Array.from(a), Float32Array.from(b), n, d);

    expect(Array.from(stats.invalidIds)).toEqual([17]);
    expect(stats.invalid).toEqual([{ index: 17, view: 'a', reason: 'zero_norm' }]);
    expect(stats.validCount).toBe(199);
    expect(stats.matching.length).toBe(199);
    expect(stats.nonMatching.length).toBe(199 * 198);
    expect(stats.matching.every(Number.isFinite) && stats.nonMatching.every(Number.isFinite)).toBe(true);
    for (const value of [stats.auc, stats.top1, stats.top1Reverse, stats.meanMatching, stats.meanNonMatching]) {
      expect(Number.isFinite(value)).toBe(true);
    }
    expect(stats.auc).toBeGreaterThan(0.9);
    expect(stats.nearestAtoB[17]).toBe(-1);
    expect(Array.from(stats.nearestAtoB).includes(17) || Array.from(stats.nearestBtoA).includes(17)).toBe(false);
  });

  it('matchingPairStats keeps every cosine inside [-1, 1], so a histogram over that domain drops none', () => {
    const rng = createRng(20);
    const a = normalMatrix(rng, 50, 7).map((v) => v * 1e3 + 1e-3);
    const stats = matchingPairStats(a, a.map((v) => v * 3), 50, 7);
    const all = [...stats.matching, ...stats.nonMatching];
    expect(all.every((v) => v >= -1 && v <= 1)).toBe(true);
    expect(stats.matching.every((v) => Math.abs(v - 1) <= 1e-15)).toBe(true);
  });

  it('matchingPairStats names the view and reason of each excluded item, NaN included', () => {
    const a = new Float64Array([1, 0, 0, 0, 1, 1, NaN, 1]);
    const b = new Float64Array([1, 1, 0, 0, 0, 0, 1, 1]);
    const stats = matchingPairStats(a, b, 4, 2);
    expect(stats.invalid).toEqual([
      { index: 1, view: 'both', reason: 'zero_norm' },
      { index: 2, view: 'b', reason: 'zero_norm' },
      { index: 3, view: 'a', reason: 'non_finite' },
    ]);
    expect(stats.validCount).toBe(1);
    expect(stats.nonMatching.length).toBe(0);
    expect(stats.auc).toBeNaN();
    expect(stats.top1).toBe(1);
  });

  it('matchingPairStats with no valid item returns NaN summaries, the missing value, and empty arrays', () => {
    const stats = matchingPairStats(new Float64Array(4), new Float64Array(4), 2, 2);
    expect(stats.validCount).toBe(0);
    expect(stats.matching.length + stats.nonMatching.length).toBe(0);
    expect([stats.auc, stats.top1, stats.meanMatching]).toEqual([NaN, NaN, NaN]);
  });

  it('matchingPairStats rejects views whose length does not match [n, d]', () => {
    expect(() => matchingPairStats(new Float64Array(6), new Float64Array(5), 3, 2)).toThrow(
      /matchingPairStats \(viewB\): expected a \[3, 2\] matrix of length 6, got length 5/,
    );
  });
});
