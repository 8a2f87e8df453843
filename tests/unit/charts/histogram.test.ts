// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';

import { histogramDensity, renderHistogram } from '../../../src/charts/histogram';

import type { HistogramOptions } from '../../../src/charts/histogram';

const OPTIONS: HistogramOptions = {
  width: 480,
  height: 220,
  title: 'Cosine similarity of pairs',
  xLabel: 'cosine similarity',
  density: true,
  markers: [{ value: 0.8, label: 'mean matching' }],
};

function uniformEdges(bins: number, lo: number, hi: number): Float64Array {
  return Float64Array.from({ length: bins + 1 }, (_, b) => lo + ((hi - lo) * b) / bins);
}

/** 2,000 items and 4 million items over the same bins, shaped differently. */
function twoSeries() {
  const edges = uniformEdges(40, -1, 1);
  const small = Float64Array.from({ length: 40 }, (_, b) => (b >= 30 ? 200 : 0));
  const large = Float64Array.from({ length: 40 }, () => 100_000);
  return {
    series: [
      { id: 'matching', label: 'matching (2000)', edges, counts: small },
      { id: 'non-matching', label: 'non-matching (4000000)', edges, counts: large },
    ],
  };
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('histogramDensity', () => {
  it('histogramDensity integrates to 1 over bins of unequal width', () => {
    const edges = Float64Array.from([0, 0.1, 0.5, 0.6, 2]);
    const counts = Float64Array.from([3, 17, 0, 4_000_000]);
    const density = histogramDensity(edges, counts);

    expect(density.length).toBe(4);
    const area = density.reduce((sum, d, b) => sum + d * (edges[b + 1] - edges[b]), 0);
    expect(area).toBeCloseTo(1, 12);
    expect(histogramDensity(Float64Array.from([0, 1, 3]), Float64Array.from([2, 2]))).toEqual(Float64Array.from([0.5, 0.25]));
  });

  it('histogramDensity gives zeros for an empty series instead of NaN', () => {
    expect(Array.from(histogramDensity(uniformEdges(3, 0, 1), new Float64Array(3)))).toEqual([0, 0, 0]);
  });

  it('histogramDensity rejects counts that do not match the edges, naming both lengths', () => {
    expect(() => histogramDensity(new Float64Array(4), new Float64Array(4))).toThrow(/got 4 edges for 4 counts/);
  });
});

describe('renderHistogram', () => {
  it('density mode puts a 2,000-item and a 4-million-item series on one scale', () => {
    const container = document.createElement('div');
    document.body.appendChild(container);
    renderHistogram(container, twoSeries(), OPTIONS);
    const ticks = Array.from(container.querySelectorAll('.lab-axis-y .tick'), (t) => (t as unknown as { __data__: number }).__data__);

    // matching: 2000 items over 10 bins of width 0.05 -> density 2; non-matching: uniform 0.5.
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...ticks)).toBeLessThan(3);
    expect(container.querySelectorAll('.lab-series').length).toBe(2);
    expect(container.querySelector('.lab-axis-label:last-of-type')?.textContent).toBe('density');
  });

  it('renderHistogram draws step outlines, translucent fills, a legend and the markers', () => {
    const container = document.createElement('div');
    document.body.appendChild(container);
    renderHistogram(container, twoSeries(), OPTIONS);

    const outline = container.querySelector('.lab-hist-outline')?.getAttribute('d') ?? '';
    expect(outline.startsWith('M')).toBe(true);
    expect(outline.match(/H/g)?.length).toBe(40);
    expect((container.querySelector('.lab-hist-fill') as SVGPathElement).style.fillOpacity).toBe('0.18');
    expect(Array.from(container.querySelectorAll('.lab-legend-item text'), (t) => t.textContent)).toEqual([
      'matching (2000)',
      'non-matching (4000000)',
    ]);
    expect(container.querySelector('.lab-marker text')?.textContent).toBe('mean matching');
    expect(container.querySelector('svg')?.getAttribute('aria-label')).toBe('Cosine similarity of pairs');
  });

  it('count mode shows raw counts and update switches modes in place', () => {
    const container = document.createElement('div');
    document.body.appendChild(container);
    const chart = renderHistogram(container, twoSeries(), { ...OPTIONS, density: false });
    const svg = chart.svg();
    const top = () => Math.max(...Array.from(container.querySelectorAll('.lab-axis-y .tick'), (t) => (t as unknown as { __data__: number }).__data__));
    expect(top()).toBeGreaterThanOrEqual(100_000);

    chart.update(twoSeries(), { density: true });
    expect(top()).toBeLessThan(3);
    expect(chart.svg()).toBe(svg);

    chart.destroy();
    expect(container.childNodes.length).toBe(0);
  });
});
