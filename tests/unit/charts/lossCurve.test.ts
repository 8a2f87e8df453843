// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';

import { logTickValues } from '../../../src/charts/logAxis';
import { renderLossCurve } from '../../../src/charts/lossCurve';
import { countLossExclusions } from '../../../src/charts/lossCurveMarks';

import type { LossCurveData, LossCurveOptions } from '../../../src/charts/lossCurve';

const OPTIONS: LossCurveOptions = {
  width: 640,
  height: 320,
  logY: true,
  showRaw: true,
  title: 'SwAV loss',
  yLabel: 'loss',
};

/** The CASES B24 recipe: 1e-1 down to 1e-6 with 0, -0.5, NaN, inf and an isolated point. */
function b24Data(): LossCurveData {
  const values = [1e-1, 5e-2, 1e-2, 0, 5e-3, 1e-3, -0.5, 5e-4, Number.NaN, 1e-4, Number.NaN, Infinity, 1e-5, 5e-6, 1e-6];
  return {
    series: [
      {
        id: 'loss',
        label: 'loss',
        steps: Float64Array.from(values, (_, i) => i * 10),
        values: Float64Array.from(values),
      },
    ],
    events: [{ step: 40, label: 'lr drop', kind: 'lr' }],
    checkpoints: [
      { step: 0, label: 'ckpt-0' },
      { step: 70, label: 'ckpt-70' },
    ],
    currentStep: 70,
    referenceLines: [{ value: 0.05, label: 'ln K' }],
  };
}

function mount(): HTMLElement {
  const container = document.createElement('div');
  document.body.appendChild(container);
  return container;
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('renderLossCurve', () => {
  it('countLossExclusions counts NaN/inf and finite non-positive values separately', () => {
    expect(countLossExclusions(b24Data().series[0].values)).toEqual({ nonFinite: 3, nonPositive: 2 });
  });

  it('the badge counts NaN/inf points and, on a log axis only, excluded non-positive points', () => {
    const container = mount();
    const chart = renderLossCurve(container, b24Data(), OPTIONS);
    const badge = () => container.querySelector('.lab-badge') as SVGGElement;

    expect(badge().getAttribute('data-non-finite')).toBe('3');
    expect(badge().getAttribute('data-non-positive')).toBe('2');
    expect(badge().textContent).toBe('3 NaN/inf \u00b7 2 \u2264 0 excluded (log axis)');

    chart.update(b24Data(), { logY: false });
    expect(badge().getAttribute('data-non-positive')).toBe('0');
    expect(badge().textContent).toBe('3 NaN/inf');
  });

  it('the log axis is a true log10 axis with ticks at the powers of ten 1e-6..1e-1', () => {
    const container = mount();
    const chart = renderLossCurve(container, b24Data(), OPTIONS);
    const ticks = Array.from(container.querySelectorAll('.lab-axis-y .tick')).map(
      (t) => (t as unknown as { __data__: number }).__data__,
    );

    expect(ticks).toEqual([1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1]);
    expect(chart.yDomain()[0]).toBeGreaterThan(0);
    expect(chart.yDomain()[0]).toBeLessThan(1e-6);
    expect(logTickValues([8e-7, 0.12])).toEqual([1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1]);
  });

  it('an isolated finite point between two NaNs is drawn as a dot', () => {
    const container = mount();
    renderLossCurve(container, b24Data(), { ...OPTIONS, logY: false });
    const dots = container.querySelector('.lab-isolated-strong') as SVGPathElement;

    expect(dots.getAttribute('data-count')).toBe('1');
    const plotWidth = 640 - 58 - 16;
    const expectedX = (90 / 140) * plotWidth;
    const firstMove = /^M([\d.]+),/.exec(dots.getAttribute('d') ?? '');
    expect(firstMove).not.toBeNull();
    expect(Number(firstMove?.[1]) + 2.5).toBeCloseTo(expectedX, 0);
  });

  it('NaN and +inf steps are marked along the bottom of the plot', () => {
    const container = mount();
    renderLossCurve(container, b24Data(), OPTIONS);

    const nan = container.querySelector('.lab-marker-nan') as SVGPathElement;
    const posInf = container.querySelector('.lab-marker-posinf') as SVGPathElement;
    expect(nan.getAttribute('data-count')).toBe('2');
    expect((nan.getAttribute('d') ?? '').match(/M/g)?.length).toBe(4);
    expect(posInf.getAttribute('data-count')).toBe('1');
    expect(posInf.getAttribute('d')).not.toBe('');
  });

  it('a million-point series renders paths of a few thousand vertices at most', () => {
    const n = 1_000_000;
    const steps = Float64Array.from({ length: n }, (_, i) => i);
    const values = Float64Array.from({ length: n }, (_, i) => 8 * Math.exp(-i / 2e5) + Math.sin(i) * 0.1 + 0.2);
    const smoothed = Float64Array.from({ length: n }, (_, i) => 8 * Math.exp(-i / 2e5) + 0.2);
    const container = mount();
    const chart = renderLossCurve(
      container,
      { ...b24Data(), series: [{ id: 'big', label: 'big', steps, values, smoothed }] },
      { ...OPTIONS, width: 1200 },
    );

    for (const path of container.querySelectorAll('.lab-series path[data-vertices]')) {
      expect(Number(path.getAttribute('data-vertices'))).toBeLessThanOrEqual(5_000);
      expect((path.getAttribute('d') ?? '').split(/[ML]/).length).toBeLessThanOrEqual(5_001);
    }
    chart.zoomTo([100_000, 100_500]);
    expect(chart.xDomain()[0]).toBeCloseTo(100_000, 3);
    expect(chart.xDomain()[1]).toBeCloseTo(100_500, 3);
  });

  it('zooming x rescales y to the values in the visible range', () => {
    const steps = Float64Array.from({ length: 1000 }, (_, i) => i);
    const values = Float64Array.from(steps, (s) => (s < 500 ? 10 : 1 + s / 1000));
    const container = mount();
    const chart = renderLossCurve(
      container,
      { ...b24Data(), series: [{ id: 'a', label: 'a', steps, values }], referenceLines: [] },
      { ...OPTIONS, logY: false },
    );
    expect(chart.yDomain()[1]).toBeGreaterThan(10);

    chart.zoomTo([600, 900]);
    const [lo, hi] = chart.yDomain();
    expect(lo).toBeGreaterThan(1.5);
    expect(hi).toBeLessThan(2);

    chart.zoomTo(null);
    expect(chart.xDomain()).toEqual([0, 999]);
  });

  it('updating only currentStep moves the current marker without redrawing the lines', () => {
    const container = mount();
    const data = b24Data();
    const chart = renderLossCurve(container, data, OPTIONS);
    const lines = container.querySelector('.lab-lines') as SVGGElement;
    const marker = container.querySelector('.lab-current-marker') as SVGLineElement;
    const before = Number(marker.getAttribute('x1'));
    const observer = new MutationObserver(() => undefined);
    observer.observe(lines, { attributes: true, subtree: true, childList: true });

    // A rebuilt data object with the same arrays counts as unchanged (panels rebuild it).
    chart.update({ ...data, series: [...data.series], events: data.events.map((e) => ({ ...e })), currentStep: 0 });

    expect(observer.takeRecords()).toEqual([]);
    expect(container.querySelector('.lab-current-marker')).toBe(marker);
    expect(Number(marker.getAttribute('x1'))).toBe(0);
    expect(before).toBeGreaterThan(0);

    chart.update({ ...data, currentStep: 0 }, { logY: false });
    expect(observer.takeRecords().length).toBeGreaterThan(0);
    observer.disconnect();
  });

  it('clicking a checkpoint diamond reports its index', () => {
    const onCheckpointClick = vi.fn();
    const container = mount();
    renderLossCurve(container, b24Data(), { ...OPTIONS, onCheckpointClick });
    const diamonds = container.querySelectorAll('.lab-checkpoint');

    expect(diamonds.length).toBe(2);
    diamonds[1].dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(onCheckpointClick).toHaveBeenCalledWith(1);
  });

  it('hovering reports the nearest step and each series value, and leaving clears it', () => {
    const onHover = vi.fn();
    const container = mount();
    renderLossCurve(container, b24Data(), { ...OPTIONS, onHover });
    const overlay = container.querySelector('.lab-zoom-overlay') as SVGRectElement;
    const plotWidth = 640 - 58 - 16;

    overlay.dispatchEvent(new MouseEvent('pointermove', { clientX: (52 / 140) * plotWidth, clientY: 50 }));
    expect(onHover).toHaveBeenLastCalledWith(50, [{ id: 'loss', label: 'loss', step: 50, value: 1e-3, smoothed: null }]);
    expect((container.querySelector('.lab-readout') as SVGGElement).style.display).toBe('');

    overlay.dispatchEvent(new MouseEvent('pointerleave'));
    expect(onHover).toHaveBeenLastCalledWith(null, []);
  });

  it('events, reference lines and the accessible title are drawn', () => {
    const container = mount();
    renderLossCurve(container, b24Data(), OPTIONS);
    const svg = container.querySelector('svg') as SVGSVGElement;

    expect(svg.getAttribute('aria-label')).toBe('SwAV loss');
    expect(svg.querySelector('title')?.textContent).toBe('SwAV loss');
    expect(container.querySelector('.lab-event-lr text')?.textContent).toBe('lr drop');
    expect(container.querySelector('.lab-reference text')?.textContent).toBe('ln K');
  });

  it('rendering again replaces the contents and destroy removes every node', () => {
    const container = mount();
    renderLossCurve(container, b24Data(), OPTIONS);
    const chart = renderLossCurve(container, b24Data(), OPTIONS);
    expect(container.querySelectorAll('svg').length).toBe(1);

    chart.destroy();
    expect(container.childNodes.length).toBe(0);
    expect(chart.svg()).toBeNull();
  });
});
