import { useLab } from '../../store/labStore';

import type { LabController } from '../../app/labController';

/**
 * The running job: its phase, how far it is (in image-equivalents of work, embedding and the
 * similarity analysis together), the estimated time left and a cancel button.
 */
export function ProgressBar({ controller }: { controller: LabController }) {
  const progress = useLab((s) => s.progress);
  if (!progress || progress.total === 0) return <div className="progress idle" data-testid="progress" />;
  const fraction = Math.min(1, progress.done / progress.total);
  const left = fraction > 0.02 ? (progress.elapsedMs * (1 - fraction)) / fraction : Number.NaN;
  return (
    <div className="progress" data-testid="progress" role="status">
      <progress max={progress.total} value={progress.done} />
      <span className="progress-text">
        {progress.phase}
        {progress.detail ? ` (${progress.detail})` : ''} · {Math.floor(fraction * 100)}%{Number.isFinite(left) ? ` · about ${formatDuration(left)} left` : ''}
      </span>
      <button type="button" onClick={() => controller.cancelRunning()}>
        Cancel
      </button>
    </div>
  );
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
