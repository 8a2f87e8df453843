import type { HeatmapPalette } from './heatmapPalette';

/** Largest image painted, in pixels; beyond it each cell gets one pixel. */
const MAX_RASTER_PIXELS = 4_000_000;
/** Most image pixels per cell side; enough to hatch undefined cells. */
const MAX_PIXELS_PER_CELL = 4;
/** Dark stripe of the hatch painted into undefined cells (rgb). */
const HATCH_DARK: readonly [number, number, number] = [110, 110, 110];

/**
 * Image pixels per cell side for a `rows` x `cols` matrix drawn with cells of `cellPx`
 * screen pixels: 1 to 4, and 1 whenever the image would pass 4 million pixels.
 */
export function rasterPixelsPerCell(rows: number, cols: number, cellPx: number): number {
  const side = Math.max(1, Math.min(MAX_PIXELS_PER_CELL, Math.floor(cellPx)));
  return rows * cols * side * side > MAX_RASTER_PIXELS ? 1 : side;
}

/**
 * Fills `pixels` (RGBA, `(cols * side) x (rows * side)` pixels, mutated) with the matrix
 * `values` (row-major `[rows, cols]`), `side` pixels per cell. Undefined cells are grey, with
 * a diagonal stripe when `side` >= 3 so they read as hatched.
 */
export function fillHeatmapPixels(
  pixels: Uint8ClampedArray,
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  palette: HeatmapPalette,
  side: number,
): void {
  const width = cols * side;
  const rgb = new Uint8ClampedArray(3);
  for (let i = 0; i < rows; i += 1) {
    for (let j = 0; j < cols; j += 1) {
      const value = values[i * cols + j];
      palette.rgbInto(value, rgb, 0);
      const hatched = side >= 3 && value !== value;
      for (let dy = 0; dy < side; dy += 1) {
        let offset = ((i * side + dy) * width + j * side) * 4;
        for (let dx = 0; dx < side; dx += 1) {
          const stripe = hatched && (dx + dy) % side === side - 1;
          pixels[offset] = stripe ? HATCH_DARK[0] : rgb[0];
          pixels[offset + 1] = stripe ? HATCH_DARK[1] : rgb[1];
          pixels[offset + 2] = stripe ? HATCH_DARK[2] : rgb[2];
          pixels[offset + 3] = 255;
          offset += 4;
        }
      }
    }
  }
}

/**
 * Paints the matrix onto a detached canvas and returns it as a PNG data URL for an SVG
 * `<image>` (so export keeps it), or null when the environment has no 2D canvas context
 * (jsdom, some workers). `cellPx` is the on-screen cell side in pixels.
 */
export function paintHeatmapRaster(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  palette: HeatmapPalette,
  cellPx: number,
): string | null {
  if (typeof document === 'undefined' || rows === 0 || cols === 0) return null;
  const side = rasterPixelsPerCell(rows, cols, cellPx);
  const canvas = document.createElement('canvas');
  canvas.width = cols * side;
  canvas.height = rows * side;
  const context = canvas.getContext('2d');
  if (!context) return null;

  const image = context.createImageData(canvas.width, canvas.height);
  fillHeatmapPixels(image.data, values, rows, cols, palette, side);
  context.putImageData(image, 0, 0);
  return canvas.toDataURL('image/png');
}
