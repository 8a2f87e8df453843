import { useController } from '../app/controllerContext';

import type { ReactNode } from 'react';
import type { AnalysisStatus } from '../store/analysisSlice';

/** What a view shows while its checkpoint's analysis is not there: why, never a bare spinner. */
export function AnalysisGate({ status, error, children }: { status: AnalysisStatus; error: string | undefined; children: ReactNode }) {
  const controller = useController();
  switch (status) {
    case 'done':
      return <>{children}</>;
    case 'error':
      return (
        <p className="view-error" role="alert">
          This view could not be computed: {error ?? 'unknown error'}{' '}
          <button type="button" onClick={() => controller.retry()}>
            Try again
          </button>
        </p>
      );
    case 'cancelled':
      return (
        <p className="view-wait" data-testid="analysis-cancelled">
          Cancelled; nothing was computed for this checkpoint.{' '}
          <button type="button" onClick={() => controller.retry()} data-testid="analysis-retry">
            Compute
          </button>
        </p>
      );
    case 'running':
      return <p className="view-wait">Computing representations for this checkpoint (see the progress bar)…</p>;
    case 'pending':
      return <p className="view-wait">Waiting for the engine to reach this checkpoint…</p>;
    default: {
      const unreachable: never = status;
      throw new Error(`unsupported analysis status ${String(unreachable)}`);
    }
  }
}
