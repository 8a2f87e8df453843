/**
 * Performance marks for "this view is drawn with real data": the benchmark and the end-to-end
 * tests read them to time the page from opening to all five views drawn.
 */

/** The five core views. */
export const CORE_VIEWS = ['loss', 'scrubber', 'pairs', 'similarity', 'spectra'] as const;

/** One of the five core views. */
export type CoreView = (typeof CORE_VIEWS)[number];

const drawn = new Set<CoreView>();

declare global {
  interface Window {
    /** Read by tests and the benchmark: views drawn so far and when all five were. */
    __lab?: { viewsDrawn: string[]; allViewsMs: number | null; longestTaskMs: number; longTasks: number };
    /** Present with `?bench=1`: the benchmark drives the engine through it. */
    __labBench?: { measureThroughput(images: number, batchSize: number): Promise<unknown> };
  }
}

/** Records that `view` has drawn real data; marks 'lab:all-views' when all five have. */
export function markViewDrawn(view: CoreView): void {
  if (drawn.has(view)) return;
  drawn.add(view);
  performance.mark(`lab:view:${view}`);
  const state = labWindowState();
  state.viewsDrawn = [...drawn];
  if (drawn.size === CORE_VIEWS.length && state.allViewsMs === null) {
    performance.mark('lab:all-views');
    state.allViewsMs = performance.now();
  }
}

function labWindowState(): NonNullable<Window['__lab']> {
  return (window.__lab ??= { viewsDrawn: [], allViewsMs: null, longestTaskMs: 0, longTasks: 0 });
}

/**
 * Records the main thread's long tasks (over 50 ms, as the browser reports them) so the
 * benchmark can show the longest one while the engine works. Browsers without the Long Tasks
 * API leave the counters at 0.
 */
export function observeLongTasks(): void {
  if (typeof PerformanceObserver === 'undefined' || !PerformanceObserver.supportedEntryTypes?.includes('longtask')) return;
  const state = labWindowState();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      state.longTasks += 1;
      state.longestTaskMs = Math.max(state.longestTaskMs, entry.duration);
    }
  }).observe({ type: 'longtask', buffered: true });
}
