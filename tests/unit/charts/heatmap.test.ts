// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';

import { renderHeatmap } from '../../../src/charts/heatmap';
import { createHeatmapPalette, UNDEFINED_RGB } from '../../../src/charts/heatmapPalette';

import type { HeatmapData, HeatmapOptions } from '../../../src/charts/heatmap';

const OPTIONS: HeatmapOptions = {
  width: 420,
  height: 360,
  title: 'Linear CKA between stages',
  domain: [-1, 1],
  diverging: true,
  format: (v) => v.toFixed(2),
  showValues: true,
};

/** 3 x 3 CKA-like matrix: one undefined cell, one negative estimate, one exact zero. */
function smallMatrix(): HeatmapData {
  return {
    rowLabels: ['stem', 'stage1', 'stage2'],
    colLabels: ['stem', 'stage1', 'stage2'],
    values: Float64Array.from([1, 0, Number.NaN, 0, 1, -0.04, Number.NaN, -0.04, 1]),
    cellNotes: [null, null, 'n too small', null, null, null, 'n too small', null, null],
  };
}

function mount(): HTMLElement {
  const container = document.createElement('div');
  document.body.appendChild(container);
  return container;
}

function cellFill(container: HTMLElement, row: number, col: number): string {
  const rect = container.querySelector(`.lab-cell[data-row="${row}"][data-col="${col}"] rect`) as SVGRectElement;
  return rect.style.fill;
}

afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

describe('renderHeatmap', () => {
  it('renderHeatmap draws NaN cells hatched as undefined, with their note', () => {
    const container = mount();
    renderHeatmap(container, smallMatrix(), OPTIONS);
    const undefinedCells = container.querySelectorAll('.lab-cell-undefined');

    expect(undefinedCells.length).toBe(2);
    expect(cellFill(container, 0, 2)).toMatch(/^url\("?#lab-heatmap-\d+-hatch"?\)$/);
    expect(undefinedCells[0].querySelector('title')?.textContent).toBe('stem \u00d7 stage2: undefined: n too small');
    expect(undefinedCells[0].querySelector('text')?.textContent).toBe('\u2013');
    expect(container.querySelector('.lab-legend-extra text')?.textContent).toBe('undefined');
  });

  it('hovering an undefined cell shows the note in the read-out and reports the cell', () => {
    const onHover = vi.fn();
    const container = mount();
    renderHeatmap(container, smallMatrix(), { ...OPTIONS, onHover });
    const overlay = container.querySelector('.lab-hover-overlay') as SVGRectElement;
    const cell = Number(overlay.getAttribute('width')) / 3;

    overlay.dispatchEvent(new MouseEvent('pointermove', { clientX: 2.5 * cell, clientY: 0.5 * cell }));

    expect(onHover).toHaveBeenLastCalledWith(0, 2, Number.NaN);
    const lines = Array.from(container.querySelectorAll('.lab-readout-line text')).map((t) => t.textContent);
    expect(lines).toEqual(['stem \u00d7 stage2', 'undefined: n too small']);
  });

  it('a negative value is drawn in a colour different from zero in both palettes', () => {
    const diverging = mount();
    renderHeatmap(diverging, smallMatrix(), OPTIONS);
    expect(cellFill(diverging, 1, 2)).not.toBe(cellFill(diverging, 0, 1));

    const sequential = mount();
    renderHeatmap(sequential, smallMatrix(), { ...OPTIONS, domain: [0, 1], diverging: false });
    expect(cellFill(sequential, 1, 2)).not.toBe(cellFill(sequential, 0, 1));
    expect(Array.from(sequential.querySelectorAll('.lab-legend-extra text'), (t) => t.textContent)).toEqual(['undefined', '< 0.00 (2)']);
  });

  it('a small negative value near white also gets a corner mark in the negative colour', () => {
    const container = mount();
    renderHeatmap(container, smallMatrix(), OPTIONS);
    const cues = container.querySelectorAll('.lab-negative-cue');

    expect(Array.from(cues, (c) => (c.parentNode as Element).getAttribute('data-row'))).toEqual(['1', '2']);
    expect(container.querySelectorAll('.lab-cell[data-row="0"][data-col="1"] .lab-negative-cue').length).toBe(0);
    expect(Array.from(container.querySelectorAll('.lab-legend-extra text'), (t) => t.textContent)).toEqual(['undefined', 'corner: < 0']);
  });

  it('the diverging palette is centred on zero: negatives blue, zero near white, positives red', () => {
    const palette = createHeatmapPalette([-0.2, 1], true);
    const rgb = (v: number) => {
      const out = [0, 0, 0];
      palette.rgbInto(v, out, 0);
      return out;
    };

    expect(palette.center).toBe(0);
    expect(rgb(-0.04)[2]).toBeGreaterThan(rgb(-0.04)[0]);
    expect(Math.min(...rgb(0))).toBeGreaterThan(235);
    expect(rgb(0.5)[0]).toBeGreaterThan(rgb(0.5)[2]);
    expect(rgb(Number.NaN)).toEqual([...UNDEFINED_RGB]);
  });

  it('a matrix larger than 24 x 24 skips drawing when the canvas has no 2D context', () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
    const n = 30;
    const container = mount();
    renderHeatmap(
      container,
      { rowLabels: Array.from({ length: n }, (_, i) => `s${i}`), colLabels: Array.from({ length: n }, (_, i) => `s${i}`), values: new Float64Array(n * n) },
      OPTIONS,
    );

    expect(container.querySelectorAll('.lab-cell').length).toBe(0);
    expect(container.querySelector('.lab-cells')?.getAttribute('data-raster')).toBe('unavailable');
  });

  it('a large matrix is painted as image pixels with NaN grey and a negative unlike zero', () => {
    const painted: ImageData[] = [];
    const fakeContext = {
      createImageData: (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }),
      putImageData: (image: ImageData) => painted.push(image),
    };
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(fakeContext as never);
    vi.spyOn(HTMLCanvasElement.prototype, 'toDataURL').mockReturnValue('data:image/png;base64,AAAA');
    const n = 40;
    const values = new Float64Array(n * n);
    values[0] = Number.NaN;
    values[1] = -0.5;
    const container = mount();
    renderHeatmap(container, { rowLabels: Array(n).fill('r'), colLabels: Array(n).fill('c'), values }, { ...OPTIONS, width: 900, height: 900 });

    expect(painted.length).toBe(1);
    const image = painted[0];
    const side = image.width / n;
    const pixel = (i: number, j: number) => Array.from(image.data.slice(((i * side) * image.width + j * side) * 4, ((i * side) * image.width + j * side) * 4 + 3));
    expect(pixel(0, 0)).toEqual([...UNDEFINED_RGB]);
    expect(pixel(0, 1)).not.toEqual(pixel(0, 2));
    expect(container.querySelector('.lab-cells image')?.getAttribute('href')).toBe('data:image/png;base64,AAAA');
  });

  it('renderHeatmap rejects values whose length is not rows * cols, naming both', () => {
    expect(() =>
      renderHeatmap(mount(), { rowLabels: ['a', 'b'], colLabels: ['a', 'b'], values: new Float64Array(3) }, OPTIONS),
    ).toThrow(/rows \* cols = 2 \* 2 = 4 entries, got 3/);
  });

  it('destroy removes the heatmap from its container', () => {
    const container = mount();
    const chart = renderHeatmap(container, smallMatrix(), OPTIONS);
    expect(chart.svg()?.getAttribute('aria-label')).toBe('Linear CKA between stages');

    chart.destroy();
    expect(container.childNodes.length).toBe(0);
  });
});
