import type { ReactNode } from 'react';

import type { AnalysisStatus } from '../store/analysisSlice';

/** What a view shows while its checkpoint's analysis is not there: why, never a bare spinner. */
export function AnalysisGate({ status, error, children }: { status: AnalysisStatus; error: string | undefined; children: ReactNode }) {
  if (status === 'done') return <>{children}</>;
  if (status === 'error') return <p className="view-error" role="alert">This view could not be computed: {error ?? 'unknown error'}</p>;
  if (status === 'running') return <p className="view-wait">Computing representations for this checkpoint (see the progress bar)…</p>;
  return <p className="view-wait">Waiting for the engine to reach this checkpoint…</p>;
}
