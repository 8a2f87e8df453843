import { CHART_COLORS } from './chartTypes';

import type { Selection } from 'd3';

/** Half-diagonal in pixels of a checkpoint diamond. */
const DIAMOND_HALF_PX = 5;
/** Vertical position in pixels of the diamonds, above the plot area's top edge. */
const DIAMOND_Y_PX = -8;

/** A checkpoint on the loss curve's step axis. */
export interface CheckpointMark {
  /** x position in steps. */
  step: number;
  /** Tooltip and aria-label text. */
  label: string;
}

/**
 * Draws a clickable, focusable diamond above the plot for each checkpoint inside `domain`
 * into `layer`. `x` maps steps to pixels; `onSelect` receives the index into `checkpoints`
 * on click, Enter or Space.
 */
export function drawCheckpoints(
  layer: Selection<SVGGElement, unknown, null, undefined>,
  checkpoints: readonly CheckpointMark[],
  x: (step: number) => number,
  domain: readonly [number, number],
  onSelect: (index: number) => void,
): void {
  const indexed = checkpoints
    .map((mark, index) => ({ mark, index }))
    .filter(({ mark }) => mark.step >= domain[0] && mark.step <= domain[1]);
  const h = DIAMOND_HALF_PX;

  layer
    .selectAll<SVGPathElement, (typeof indexed)[number]>('path.lab-checkpoint')
    .data(indexed, (d) => String(d.index))
    .join((enter) =>
      enter
        .append('path')
        .attr('class', 'lab-checkpoint')
        .attr('d', `M0,${-h}L${h},0L0,${h}L${-h},0Z`)
        .attr('role', 'button')
        .attr('tabindex', 0)
        .style('cursor', 'pointer')
        .style('fill', CHART_COLORS.checkpoint)
        .style('stroke', CHART_COLORS.background)
        .call((path) => path.append('title')),
    )
    .attr('transform', (d) => `translate(${Math.round(x(d.mark.step) * 10) / 10},${DIAMOND_Y_PX})`)
    .attr('data-index', (d) => d.index)
    .attr('aria-label', (d) => `checkpoint ${d.mark.label} at step ${d.mark.step}`)
    .on('click', (_event: MouseEvent, d) => onSelect(d.index))
    .on('keydown', (event: KeyboardEvent, d) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      onSelect(d.index);
    })
    .select('title')
    .text((d) => `${d.mark.label} (step ${d.mark.step})`);
}
