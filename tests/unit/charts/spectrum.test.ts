// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';

import { renderSpectrum, spectrumPoints } from '../../../src/charts/spectrum';

import type { SpectrumOptions } from '../../../src/charts/spectrum';

const OPTIONS: SpectrumOptions = {
  width: 480,
  height: 240,
  title: 'Eigenvalues of the embedding covariance',
  logY: true,
  yLabel: 'eigenvalue',
  annotations: ['encoder: effective rank 3.2 of 6'],
};

function data() {
  return {
    series: [
      { id: 'encoder', label: 'encoder', values: Float64Array.from([10, 1, 0.1, 1e-4, 0, 0]) },
      { id: 'projector', label: 'projector', values: Float64Array.from([5, 2, 0]) },
    ],
  };
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('spectrumPoints', () => {
  it('spectrumPoints omits zeros on a log axis, counts them, and keeps 1-based ranks', () => {
    const points = spectrumPoints(Float64Array.from([4, 1, 0, 0]), true);

    expect(Array.from(points.rank)).toEqual([1, 2]);
    expect(Array.from(points.values)).toEqual([4, 1]);
    expect(points.zeroCount).toBe(2);
    expect(points.negativeCount).toBe(0);
  });

  it('spectrumPoints keeps zeros on a linear axis and always omits NaN and negatives only on log', () => {
    const values = Float64Array.from([3, -1e-9, 0, Number.NaN]);
    expect(spectrumPoints(values, false)).toMatchObject({ zeroCount: 0, negativeCount: 0, nonFiniteCount: 1 });
    expect(Array.from(spectrumPoints(values, false).values)).toEqual([3, -1e-9, 0]);
    expect(spectrumPoints(values, true)).toMatchObject({ zeroCount: 1, negativeCount: 1, nonFiniteCount: 1 });
  });
});

describe('renderSpectrum', () => {
  it('renderSpectrum omits zeros from the log plot, counts them in a note, and writes no NaN', () => {
    const container = document.createElement('div');
    document.body.appendChild(container);
    renderSpectrum(container, data(), OPTIONS);
    const note = container.querySelector('.lab-omitted-note') as SVGTextElement;

    expect(note.getAttribute('data-zero-count')).toBe('3');
    expect(note.textContent).toBe('3 zero values omitted (log axis)');
    expect(Array.from(container.querySelectorAll('.lab-series'), (g) => g.getAttribute('data-points'))).toEqual(['4', '2']);
    expect(container.innerHTML).not.toMatch(/NaN|Infinity/);
  });

  it('the spectrum log axis ticks are powers of ten and the annotations are drawn', () => {
    const container = document.createElement('div');
    document.body.appendChild(container);
    renderSpectrum(container, data(), OPTIONS);
    const ticks = Array.from(container.querySelectorAll('.lab-axis-y .tick'), (t) => (t as unknown as { __data__: number }).__data__);

    expect(ticks).toEqual([1e-4, 1e-3, 1e-2, 1e-1, 1, 10]);
    expect(container.querySelector('.lab-annotation')?.textContent).toBe('encoder: effective rank 3.2 of 6');
    expect(container.querySelector('.lab-spectrum-dots')?.getAttribute('d')?.match(/M/g)?.length).toBe(4);
  });

  it('a linear spectrum keeps zeros and shows no omission note', () => {
    const container = document.createElement('div');
    document.body.appendChild(container);
    const chart = renderSpectrum(container, data(), { ...OPTIONS, logY: false });

    expect(container.querySelector('.lab-omitted-note')?.textContent).toBe('');
    expect(container.querySelector('.lab-series')?.getAttribute('data-points')).toBe('6');
    chart.destroy();
    expect(container.childNodes.length).toBe(0);
  });
});
