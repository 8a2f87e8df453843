import { useEffect } from 'react';

import { markViewDrawn } from '../../app/viewMarks';
import { analysisKey } from '../../store/analysisSlice';
import { useLab } from '../../store/labStore';

/** A slider over the run's checkpoints; the arrow keys step through them from anywhere. */
export function ScrubberPanel() {
  const run = useLab((s) => s.run);
  const index = useLab((s) => s.currentIndex);
  const setIndex = useLab((s) => s.setCurrentIndex);
  const step = useLab((s) => s.stepCheckpoint);
  const options = useLab((s) => s.options);
  const status = useLab((s) => s.status);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      // Leave the arrow keys to text fields and to the slider itself (it handles them natively).
      const input = target instanceof HTMLInputElement ? target : null;
      const usesArrows = input ? !['checkbox', 'radio', 'button', 'submit', 'file'].includes(input.type) : target?.tagName === 'SELECT' || target?.tagName === 'TEXTAREA';
      if (usesArrows) return;
      if (event.key === 'ArrowRight') step(1);
      else if (event.key === 'ArrowLeft') step(-1);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [step]);

  useEffect(() => {
    if (run) markViewDrawn('scrubber');
  }, [run]);

  if (!run) return <section className="panel scrubber">Loading the run…</section>;
  const current = run.checkpoints[index];
  return (
    <section className="panel scrubber" aria-label="Checkpoint scrubber">
      <label htmlFor="checkpoint-slider">
        Checkpoint <strong data-testid="checkpoint-label">{index + 1} / {run.checkpoints.length}</strong>
        {Number.isFinite(current.step) ? (
          <>
            {' '}
            · step <strong data-testid="checkpoint-step">{current.step}</strong>
          </>
        ) : null}
        {Number.isFinite(current.epoch) ? ` · epoch ${Number.isInteger(current.epoch) ? current.epoch : current.epoch.toFixed(2)}` : ''} · <code>{current.file}</code>
      </label>
      <input
        id="checkpoint-slider"
        data-testid="checkpoint-slider"
        type="range"
        min={0}
        max={run.checkpoints.length - 1}
        step={1}
        value={index}
        onChange={(e) => setIndex(Number(e.target.value))}
      />
      <ol className="scrubber-ticks">
        {run.checkpoints.map((c) => {
          const state = status[analysisKey(run.id, c.index, options)] ?? 'pending';
          return (
            <li key={c.index} className={`tick ${c.index === index ? 'current' : ''} ${state}`}>
              <button type="button" onClick={() => setIndex(c.index)} title={`${tickLabel(c)}: ${state === 'done' ? 'computed' : state}`}>
                {tickLabel(c)}
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** A checkpoint's short name on the scrubber: its step, else its epoch, else its position. */
function tickLabel(c: { index: number; step: number; epoch: number }): string {
  if (Number.isFinite(c.step)) return String(c.step);
  if (Number.isFinite(c.epoch)) return `epoch ${c.epoch}`;
  return `#${c.index + 1}`;
}
