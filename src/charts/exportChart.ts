import { assertChart } from './chartTypes';

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
/** Background painted behind an exported chart when the page defines none. */
const EXPORT_BACKGROUND_FALLBACK = '#ffffff';
/** A local SVG decodes in milliseconds; past this something is wrong (not a browser page). */
const IMAGE_LOAD_TIMEOUT_MS = 10_000;
/** Style properties that change how an SVG chart looks; only these are inlined. */
const INLINED_PROPERTIES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'display',
  'visibility',
  'image-rendering',
  'color',
] as const;
/** Of {@link INLINED_PROPERTIES}, the ones a child does not inherit from its parent. */
const NON_INHERITED = new Set<string>(['opacity', 'display']);
/** Elements that draw nothing themselves; their styles are not written. */
const UNRENDERED_TAGS = new Set(['title', 'desc', 'metadata', 'defs', 'clipPath']);
/** Nodes that only make sense live (hover read-outs, guides): left out of exports. */
const LIVE_ONLY_SELECTOR = [
  '.lab-readout',
  '.lab-no-export',
  '.lab-hover-rule',
  '.lab-cell-highlight',
  '.lab-hover-overlay',
  '.lab-zoom-overlay',
].join(', ');
/** `var(--name)` or `var(--name, fallback)`; the fallback may hold one level of parentheses. */
const CSS_VAR_PATTERN = /var\(\s*(--[A-Za-z0-9_-]+)\s*(?:,\s*((?:[^()]|\([^()]*\))*))?\)/g;

/**
 * A standalone SVG document for `svg`: a deep copy with the xmlns declarations, explicit
 * pixel width/height, a background, the styles that matter inlined from the computed style
 * (custom properties resolved, `var()` fallbacks used where the page defines none), and
 * hover-only nodes removed. `svg` itself is not modified.
 */
export function chartToSvgString(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const copies = [clone, ...Array.from(clone.querySelectorAll('*'))];
  const view = svg.ownerDocument.defaultView;
  const lookup = (name: string): string =>
    view ? view.getComputedStyle(svg).getPropertyValue(name).trim() : '';

  const resolved = new Map<Element, Map<string, string>>();
  for (let k = 0; k < originals.length; k += 1) {
    const parent = k === 0 ? undefined : resolved.get(originals[k].parentElement as Element);
    resolved.set(originals[k], inlineStyles(originals[k], copies[k], parent, view, lookup));
  }
  for (const node of Array.from(clone.querySelectorAll(LIVE_ONLY_SELECTOR))) node.remove();
  for (const image of Array.from(clone.querySelectorAll('image'))) {
    const href = image.getAttribute('href');
    if (href) image.setAttributeNS(XLINK_NS, 'xlink:href', href);
  }

  const width = svg.getAttribute('width') ?? '';
  const height = svg.getAttribute('height') ?? '';
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('xmlns:xlink', XLINK_NS);
  clone.setAttribute('version', '1.1');
  if (width) clone.setAttribute('width', width);
  if (height) clone.setAttribute('height', height);
  const background = svg.ownerDocument.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  const fill = resolveCssVariables(`var(--lab-chart-bg, ${EXPORT_BACKGROUND_FALLBACK})`, lookup);
  background.setAttribute('fill', fill);
  const title = clone.querySelector(':scope > title');
  clone.insertBefore(background, title ? title.nextSibling : clone.firstChild);

  const text = new (view?.XMLSerializer ?? XMLSerializer)().serializeToString(clone);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${text}`;
}

/**
 * Renders `svg` to a PNG at `scale` device pixels per CSS pixel (default 2) by drawing its
 * serialized form onto a canvas. Browser only: rejects when there is no document, Image,
 * object URL support or 2D canvas context.
 */
export async function chartToPngBlob(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  assertChart(
    Number.isFinite(scale) && scale > 0,
    () => `chartToPngBlob: scale must be finite and > 0, got ${scale}`,
  );
  const browser =
    typeof document !== 'undefined' &&
    typeof Image !== 'undefined' &&
    typeof URL.createObjectURL === 'function';
  if (!browser) {
    throw new Error('chartToPngBlob: needs a browser page (document, Image and URL.createObjectURL); export as SVG instead');
  }
  const width = Number(svg.getAttribute('width'));
  const height = Number(svg.getAttribute('height'));
  assertChart(
    width > 0 && height > 0,
    () => `chartToPngBlob: the svg needs pixel width and height attributes, got ${width} x ${height}`,
  );

  // Ask for the context before loading anything: without one (jsdom, some workers) there is
  // nothing to draw on, and such environments may also never fire the image's load events.
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const context = canvas.getContext('2d');
  if (!context) {
    throw new Error('chartToPngBlob: this browser gave no 2D canvas context; export as SVG instead');
  }

  const blob = new Blob([chartToSvgString(svg)], { type: 'image/svg+xml;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  try {
    const image = await loadImage(url);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => {
      canvas.toBlob((png) => {
        if (png) resolve(png);
        else reject(new Error('chartToPngBlob: the canvas produced no PNG'));
      }, 'image/png');
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * Replaces each `var(--name, fallback)` in `text` with the custom property's value from
 * `lookup`, or its fallback when the property is not defined (recursively, for nested
 * fallbacks). Example: "var(--x, #fff)" with no --x -> "#fff".
 */
export function resolveCssVariables(text: string, lookup: (name: string) => string): string {
  let result = text;
  for (let depth = 0; depth < 4 && result.includes('var('); depth += 1) {
    result = result.replace(CSS_VAR_PATTERN, (_, name: string, fallback: string | undefined) => {
      const defined = lookup(name);
      return defined !== '' ? defined : (fallback ?? '').trim();
    });
  }
  return result;
}

/**
 * Copies the visual style of `original` onto `copy` (mutated) as one inline style and returns
 * the resolved values. Inherited properties equal to the parent's resolved value are left
 * to inheritance, which keeps the export small.
 */
function inlineStyles(
  original: Element,
  copy: Element,
  parent: Map<string, string> | undefined,
  view: (Window & typeof globalThis) | null,
  lookup: (name: string) => string,
): Map<string, string> {
  const inline = (original as SVGElement).style;
  const computed = view ? view.getComputedStyle(original) : null;
  const values = new Map<string, string>();
  const declarations: string[] = [];
  for (const property of INLINED_PROPERTIES) {
    let value = computed?.getPropertyValue(property).trim() ?? '';
    // jsdom leaves var() unresolved in computed values, or gives nothing for some
    // properties; fall back to the inline declaration, then to the parent's value.
    if (value === '' || value.includes('var(')) {
      value = inline?.getPropertyValue(property).trim() ?? '';
    }
    value = value === '' ? '' : resolveCssVariables(value, lookup);
    const inherited = !NON_INHERITED.has(property);
    if (value === '') {
      if (inherited && parent?.has(property)) values.set(property, parent.get(property) as string);
      continue;
    }
    values.set(property, value);
    if (property === 'display' && value !== 'none') continue;
    if (property === 'opacity' && value === '1') continue;
    if (inherited && parent?.get(property) === value) continue;
    declarations.push(`${property}: ${value}`);
  }
  if (declarations.length > 0 && !UNRENDERED_TAGS.has(original.localName)) {
    copy.setAttribute('style', declarations.join('; '));
  } else {
    copy.removeAttribute('style');
  }
  return values;
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    const timer = setTimeout(() => {
      image.onload = null;
      image.onerror = null;
      reject(new Error(`chartToPngBlob: the serialized SVG did not load within ${IMAGE_LOAD_TIMEOUT_MS} ms`));
    }, IMAGE_LOAD_TIMEOUT_MS);
    image.onload = () => {
      clearTimeout(timer);
      resolve(image);
    };
    image.onerror = () => {
      clearTimeout(timer);
      reject(new Error('chartToPngBlob: the browser could not decode the serialized SVG'));
    };
    image.src = url;
  });
}
