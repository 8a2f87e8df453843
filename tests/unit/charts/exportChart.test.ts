// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';

import { chartToPngBlob, chartToSvgString, resolveCssVariables } from '../../../src/charts/exportChart';
import { renderHistogram } from '../../../src/charts/histogram';

function histogram(): SVGSVGElement {
  const container = document.createElement('div');
  document.body.appendChild(container);
  const edges = Float64Array.from([0, 1, 2, 3]);
  const chart = renderHistogram(
    container,
    { series: [{ id: 'a', label: 'a', edges, counts: Float64Array.from([1, 3, 2]) }] },
    { width: 300, height: 160, title: 'Export me', xLabel: 'x', density: false },
  );
  return chart.svg() as SVGSVGElement;
}

afterEach(() => {
  vi.restoreAllMocks();
  document.documentElement.style.removeProperty('--lab-series-1');
  document.body.replaceChildren();
});

describe('exportChart', () => {
  it('resolveCssVariables uses a defined property, else the fallback, including nested ones', () => {
    const lookup = (name: string) => (name === '--known' ? '#123456' : '');
    expect(resolveCssVariables('var(--known, #fff)', lookup)).toBe('#123456');
    expect(resolveCssVariables('var(--unknown, rgb(1, 2, 3))', lookup)).toBe('rgb(1, 2, 3)');
    expect(resolveCssVariables('var(--a, var(--known, red))', lookup)).toBe('#123456');
  });

  it('chartToSvgString writes a standalone document with xmlns, size, title and no var()', () => {
    const svg = histogram();
    const text = chartToSvgString(svg);
    const parsed = new DOMParser().parseFromString(text, 'image/svg+xml');

    expect(parsed.querySelector('parsererror')).toBeNull();
    const root = parsed.documentElement;
    expect(root.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(root.getAttribute('width')).toBe('300');
    expect(root.getAttribute('height')).toBe('160');
    expect(root.querySelector('title')?.textContent).toBe('Export me');
    expect(text).not.toContain('var(');
    expect(text).toContain('fill: #0072b2');
    expect(parsed.querySelector('.lab-readout, .lab-hover-overlay')).toBeNull();
  });

  it('chartToSvgString leaves the live chart untouched', () => {
    const svg = histogram();
    const before = svg.outerHTML;
    chartToSvgString(svg);
    expect(svg.outerHTML).toBe(before);
  });

  it('chartToPngBlob rejects without a 2D canvas context, naming the way out', async () => {
    // jsdom has no canvas backend; stubbing getContext to null (what jsdom returns) keeps
    // its "not implemented" notice out of the test output.
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
    await expect(chartToPngBlob(histogram(), 2)).rejects.toThrow(/no 2D canvas context; export as SVG instead/);
  });

  it('chartToPngBlob rejects a non-positive scale with the scale in the message', async () => {
    await expect(chartToPngBlob(histogram(), 0)).rejects.toThrow(/scale must be finite and > 0, got 0/);
  });
});
