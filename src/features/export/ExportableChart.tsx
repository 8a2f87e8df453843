import { useRef } from 'react';

import { ChartFrame } from '../../charts/ChartFrame';
import { ExportButtons } from './ExportButtons';

import type { ChartFrameProps } from '../../charts/ChartFrame';
import type { ChartHandle, ChartSize } from '../../charts/chartTypes';

/** A chart with SVG, PNG and (when `csv` is given) CSV download buttons above it. */
export function ExportableChart<D, O extends ChartSize>({ name, csv, ...frame }: ChartFrameProps<D, O> & { name: string; csv?: () => string }) {
  const handle = useRef<ChartHandle<D, O> | null>(null);
  return (
    <div className="exportable">
      <ExportButtons name={name} svg={() => handle.current?.svg() ?? null} csv={csv} />
      <ChartFrame
        {...frame}
        onHandle={(h) => {
          handle.current = h;
        }}
      />
    </div>
  );
}
