// @vitest-environment jsdom
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { ChartFrame } from '../../../src/charts/ChartFrame';

import type { ChartHandle, ChartSize } from '../../../src/charts/chartTypes';

interface FakeOptions extends ChartSize {
  title: string;
}

function fakeRenderer() {
  const calls = { render: [] as FakeOptions[], update: [] as Partial<FakeOptions>[], destroy: 0 };
  const render = vi.fn((container: HTMLElement, _data: number[], options: FakeOptions): ChartHandle<number[], FakeOptions> => {
    calls.render.push(options);
    container.textContent = 'chart';
    return {
      update: (_next, patch) => void calls.update.push(patch ?? {}),
      destroy: () => {
        calls.destroy += 1;
        container.replaceChildren();
      },
      svg: () => null,
    };
  });
  return { render, calls };
}

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});

afterEach(() => {
  document.body.replaceChildren();
});

describe('ChartFrame', () => {
  it('ChartFrame renders once, updates on new data or options, and destroys on unmount', async () => {
    const { render, calls } = fakeRenderer();
    const host = document.createElement('div');
    document.body.appendChild(host);
    const root = createRoot(host);
    const options = { width: 300, height: 100, title: 't' };

    await act(async () => root.render(createElement(ChartFrame<number[], FakeOptions>, { render, data: [1], options })));
    expect(calls.render).toEqual([{ width: 300, height: 100, title: 't' }]);
    expect(host.textContent).toBe('chart');

    await act(async () => root.render(createElement(ChartFrame<number[], FakeOptions>, { render, data: [1], options })));
    expect(calls.update.length).toBe(1);

    const data = [2];
    await act(async () => root.render(createElement(ChartFrame<number[], FakeOptions>, { render, data, options })));
    await act(async () => root.render(createElement(ChartFrame<number[], FakeOptions>, { render, data, options: { ...options, title: 'u' } })));
    expect(render).toHaveBeenCalledTimes(1);
    expect(calls.update.at(-1)).toEqual({ width: 300, height: 100, title: 'u' });

    await act(async () => root.unmount());
    expect(calls.destroy).toBe(1);
  });

  it('ChartFrame with width auto and no layout passes the 640 pixel fallback', async () => {
    const { render, calls } = fakeRenderer();
    const host = document.createElement('div');
    document.body.appendChild(host);
    const root = createRoot(host);

    await act(async () =>
      root.render(createElement(ChartFrame<number[], FakeOptions>, { render, data: [], options: { width: 'auto', height: 80, title: 'a' } })),
    );

    expect(calls.render).toEqual([{ width: 640, height: 80, title: 'a' }]);
    await act(async () => root.unmount());
  });

  it('ChartFrame with width auto renders at the observed width and updates when it changes', async () => {
    let notify: ((entries: { contentRect: { width: number } }[]) => void) | null = null;
    const disconnect = vi.fn();
    vi.stubGlobal(
      'ResizeObserver',
      class {
        constructor(callback: typeof notify) {
          notify = callback;
        }
        observe() {}
        disconnect = disconnect;
      },
    );
    const { render, calls } = fakeRenderer();
    const host = document.createElement('div');
    document.body.appendChild(host);
    const root = createRoot(host);
    const options = { width: 'auto' as const, height: 80, title: 'a' };

    await act(async () => root.render(createElement(ChartFrame<number[], FakeOptions>, { render, data: [], options })));
    expect(render).not.toHaveBeenCalled();

    await act(async () => notify?.([{ contentRect: { width: 512.6 } }]));
    expect(calls.render).toEqual([{ width: 512, height: 80, title: 'a' }]);

    await act(async () => notify?.([{ contentRect: { width: 400 } }]));
    expect(calls.update.at(-1)).toEqual({ width: 400, height: 80, title: 'a' });

    await act(async () => root.unmount());
    expect(disconnect).toHaveBeenCalled();
    vi.unstubAllGlobals();
  });
});
