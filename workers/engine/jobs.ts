import { LabError } from '../../src/io/errors';

import type { JobProgress, ProgressListener } from '../engineApi';
import type { JobHooks } from './embedder';

/** The smallest gap between progress messages, so reports never flood the UI thread. */
const PROGRESS_INTERVAL_MS = 100;

/** Job ids the user asked to stop; checked between batches. */
const cancelled = new Set<string>();

/** Marks a job cancelled; it stops at its next batch. */
export function cancelJob(jobId: string): void {
  cancelled.add(jobId);
}

/** Throws LabError 'cancelled' when the job was cancelled. */
export function assertNotCancelled(jobId: string): void {
  if (cancelled.has(jobId)) throw new LabError('cancelled', 'The job was cancelled; what it had computed was not kept.');
}

/**
 * A progress tracker over `total` units that forwards throttled reports to `listener` and
 * answers cancellation. Call `finish` in a finally block to forget the job id.
 */
export function createJob(jobId: string, total: number, listener: ProgressListener | null) {
  const started = performance.now();
  let lastSent = -Infinity;
  let done = 0;
  let phase = 'starting';
  let detail = '';

  const send = (force: boolean): void => {
    const now = performance.now();
    if (!listener || (!force && now - lastSent < PROGRESS_INTERVAL_MS)) return;
    lastSent = now;
    const progress: JobProgress = { jobId, phase, detail, done, total, elapsedMs: now - started };
    // A listener on the UI side that has gone away must not break the job.
    Promise.resolve(listener(progress)).catch(() => undefined);
  };

  return {
    /** Names the current phase and reports at once. */
    phase(name: string, count = ''): void {
      phase = name;
      detail = count;
      send(true);
    },
    /** Hooks for one batched step that covers units [offset, offset + n) of `size` images. */
    hooks(offset: number, size?: number): JobHooks {
      return {
        onBatch: (n: number) => {
          done = offset + n;
          if (size !== undefined) detail = `${n} / ${size} images`;
          send(false);
        },
        isCancelled: () => cancelled.has(jobId),
      };
    },
    /** Adds units done outside batched steps. */
    advance(units: number): void {
      done += units;
      send(false);
    },
    /** Reports completion and forgets the job. */
    finish(): void {
      done = total;
      send(true);
      cancelled.delete(jobId);
    },
    /** Forgets the job without a final report (after an error). */
    abandon(): void {
      cancelled.delete(jobId);
    },
    check(): void {
      assertNotCancelled(jobId);
    },
  };
}
