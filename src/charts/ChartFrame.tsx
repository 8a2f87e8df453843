import { useEffect, useRef, useState } from 'react';

import type { CSSProperties } from 'react';
import type { ChartHandle, ChartSize } from './chartTypes';

/** Width used for `'auto'` when the container cannot be measured (no layout, e.g. jsdom). */
const AUTO_WIDTH_FALLBACK_PX = 640;

/** A renderer's options with `width` in pixels or `'auto'` (the container's measured width). */
export type ChartFrameOptions<O extends ChartSize> = Omit<O, 'width'> & { width: number | 'auto' };

/** Props of {@link ChartFrame}. */
export interface ChartFrameProps<D, O extends ChartSize> {
  /** A chart renderer from src/charts; called once per mount (again if it changes). */
  render: (container: HTMLElement, data: D, options: O) => ChartHandle<D, O>;
  data: D;
  /** Passed to the renderer with `'auto'` replaced by the measured width in pixels. */
  options: ChartFrameOptions<O>;
  className?: string;
  /** Receives the live handle after each render and null on unmount (e.g. for export). */
  onHandle?(handle: ChartHandle<D, O> | null): void;
}

/**
 * Hosts a d3 chart: React owns the container div, the renderer owns its contents. Calls
 * `render` once in an effect, `update` when `data` or `options` (by identity) or the
 * measured width change, and `destroy` on unmount. With `width: 'auto'` a ResizeObserver
 * tracks the container's width in whole pixels.
 */
export function ChartFrame<D, O extends ChartSize>({
  render,
  data,
  options,
  className,
  onHandle,
}: ChartFrameProps<D, O>) {
  const containerRef = useRef<HTMLDivElement>(null);
  const handleRef = useRef<ChartHandle<D, O> | null>(null);
  const appliedRef = useRef<{ data: D; options: ChartFrameOptions<O>; width: number } | null>(null);
  const [measured, setMeasured] = useState<number | null>(null);
  const auto = options.width === 'auto';
  const width = auto ? measured : (options.width as number);
  const latest = useRef({ data, options, width, onHandle });
  latest.current = { data, options, width, onHandle };

  useEffect(() => {
    const node = containerRef.current;
    if (!auto || !node) return undefined;
    const measure = (pixels: number) => {
      const whole = Math.floor(pixels);
      if (whole > 0) setMeasured((previous) => (previous === whole ? previous : whole));
    };
    measure(node.clientWidth);
    if (typeof ResizeObserver === 'undefined') {
      if (!(node.clientWidth > 0)) setMeasured(AUTO_WIDTH_FALLBACK_PX);
      return undefined;
    }
    const observer = new ResizeObserver((entries) => {
      for (const entry of entries) measure(entry.contentRect.width);
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [auto]);

  const ready = width !== null;
  useEffect(() => {
    const node = containerRef.current;
    const current = latest.current;
    if (!ready || !node || current.width === null) return undefined;
    const handle = render(node, current.data, { ...current.options, width: current.width } as O);
    handleRef.current = handle;
    appliedRef.current = { data: current.data, options: current.options, width: current.width };
    current.onHandle?.(handle);
    return () => {
      handle.destroy();
      handleRef.current = null;
      appliedRef.current = null;
      latest.current.onHandle?.(null);
    };
  }, [render, ready]);

  useEffect(() => {
    const handle = handleRef.current;
    const applied = appliedRef.current;
    if (!handle || !applied || width === null) return;
    if (applied.data === data && applied.options === options && applied.width === width) return;
    handle.update(data, { ...options, width } as Partial<O>);
    appliedRef.current = { data, options, width };
  }, [data, options, width]);

  const style: CSSProperties = {
    position: 'relative',
    width: auto ? '100%' : undefined,
    minWidth: 0,
    overflow: 'hidden',
  };
  return <div ref={containerRef} className={className ?? 'lab-chart-frame'} style={style} />;
}
