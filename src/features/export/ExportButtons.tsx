import { chartToPngBlob, chartToSvgString } from '../../charts/exportChart';
import { saveBlob } from '../workspace/WorkspacePanel';

/** Download buttons for one chart (SVG, PNG) and, when given, its numbers (CSV). */
export function ExportButtons({ name, svg, csv }: { name: string; svg: () => SVGSVGElement | null; csv?: () => string }) {
  const file = name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
  const asSvg = () => {
    const node = svg();
    if (node) saveBlob(new Blob([chartToSvgString(node)], { type: 'image/svg+xml' }), `${file}.svg`);
  };
  const asPng = async () => {
    const node = svg();
    if (node) saveBlob(await chartToPngBlob(node, 2), `${file}.png`);
  };
  return (
    <span className="export-buttons" data-testid={`export-${file}`}>
      <button type="button" onClick={asSvg} title="Download this chart as SVG">
        SVG
      </button>
      <button type="button" onClick={() => void asPng()} title="Download this chart as PNG">
        PNG
      </button>
      {csv && (
        <button type="button" onClick={() => saveBlob(new Blob([csv()], { type: 'text/csv' }), `${file}.csv`)} title="Download the numbers as CSV">
          CSV
        </button>
      )}
    </span>
  );
}
