import { CHART_COLORS } from './chartTypes';

import type { Selection } from 'd3';

/** Estimated advance of one 11px system-font character in pixels (no layout in tests). */
const CHAR_WIDTH_PX = 6.3;
/** Height of one read-out line in pixels. */
const LINE_HEIGHT_PX = 14;
/** Inner padding of the read-out box in pixels. */
const PADDING_PX = 5;

/** One line of a hover read-out; `color` draws a swatch before the text. */
export interface ReadoutLine {
  /** One line of plain text. */
  text: string;
  /** CSS colour of the swatch; no swatch when absent. */
  color?: string;
}

/** A hover read-out drawn as an SVG group inside the chart; hidden until `show`. */
export interface Readout {
  /**
   * Shows `lines` next to the point (x, y) in the parent's pixel space, flipped to stay
   * inside a `width` x `height` pixel box.
   */
  show(x: number, y: number, lines: readonly ReadoutLine[], width: number, height: number): void;
  hide(): void;
  /** The read-out's `<g>`; carries class `lab-readout` so export leaves it out. */
  node(): SVGGElement;
}

/** Creates a read-out group as the last child of `parent` (so it paints above the marks). */
export function createReadout(parent: Selection<SVGGElement, unknown, null, undefined>): Readout {
  const group = parent
    .append('g')
    .attr('class', 'lab-readout')
    .attr('pointer-events', 'none')
    .style('display', 'none');
  const box = group
    .append('rect')
    .attr('rx', 3)
    .style('fill', CHART_COLORS.background)
    .style('fill-opacity', '0.94')
    .style('stroke', CHART_COLORS.grid);
  const body = group.append('g');

  return {
    show(x, y, lines, width, height) {
      const longest = lines.reduce(
        (m, line) => Math.max(m, line.text.length + (line.color ? 2 : 0)),
        0,
      );
      const boxWidth = Math.ceil(longest * CHAR_WIDTH_PX + 2 * PADDING_PX);
      const boxHeight = lines.length * LINE_HEIGHT_PX + 2 * PADDING_PX;
      const left = x + 12 + boxWidth > width ? Math.max(0, x - 12 - boxWidth) : x + 12;
      const top = Math.min(Math.max(0, y - boxHeight / 2), Math.max(0, height - boxHeight));

      group.style('display', null).attr('transform', `translate(${left},${top})`);
      box.attr('width', boxWidth).attr('height', boxHeight);
      const rows = body
        .selectAll<SVGGElement, ReadoutLine>('g.lab-readout-line')
        .data(lines)
        .join((enter) => {
          const row = enter.append('g').attr('class', 'lab-readout-line');
          row.append('rect').attr('width', 8).attr('height', 8).attr('y', -7);
          row.append('text').style('fill', CHART_COLORS.text);
          return row;
        })
        .attr('transform', (_, i) => {
          const baseline = PADDING_PX + (i + 1) * LINE_HEIGHT_PX - 3;
          return `translate(${PADDING_PX},${baseline})`;
        });
      rows
        .select('rect')
        .style('display', (line) => (line.color ? null : 'none'))
        .style('fill', (line) => line.color ?? 'none');
      rows
        .select('text')
        .attr('x', (line) => (line.color ? 12 : 0))
        .text((line) => line.text);
    },
    hide() {
      group.style('display', 'none');
    },
    node() {
      return group.node() as SVGGElement;
    },
  };
}
