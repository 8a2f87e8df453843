import { useEffect, useState } from 'react';

import { useController } from '../../app/controllerContext';
import { useLab } from '../../store/labStore';

/** Image sizes offered for dropped images; larger costs time on a CPU-only machine. */
const SIZES = [32, 64, 96, 128, 160, 224];

/**
 * Normalisation (per channel, editable; ImageNet's by default for RGB checkpoints), the size
 * dropped images are resized to, and whether two sensors are stacked as one RGB+NIR input.
 */
export function PreprocessingControls() {
  const controller = useController();
  const run = useLab((s) => s.run);
  const [mean, setMean] = useState('');
  const [std, setStd] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!run) return;
    setMean(run.preprocessing.mean.map((v) => Number(v.toFixed(4))).join(', '));
    setStd(run.preprocessing.std.map((v) => Number(v.toFixed(4))).join(', '));
  }, [run]);

  if (!run) return null;
  const userData = run.kind === 'user' && run.dataName.includes('dropped');
  /** `normalisation`: 'fields' applies the text fields, 'default' resets, 'keep' leaves it. */
  const apply = async (change: Partial<{ size: number; stackSensors: boolean }>, normalisation: 'fields' | 'default' | 'keep' = 'keep') => {
    setError(null);
    try {
      await controller.setPreprocessing({
        ...(normalisation === 'fields' ? { mean: parseList(mean), std: parseList(std) } : normalisation === 'default' ? { mean: null, std: null } : {}),
        size: change.size ?? run.preprocessing.size,
        stackSensors: change.stackSensors ?? run.preprocessing.stackSensors,
      });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <div className="preprocessing" data-testid="preprocessing">
      <label>
        Mean <input value={mean} onChange={(e) => setMean(e.target.value)} size={22} data-testid="norm-mean" />
      </label>{' '}
      <label>
        Std <input value={std} onChange={(e) => setStd(e.target.value)} size={22} data-testid="norm-std" />
      </label>{' '}
      <button type="button" onClick={() => void apply({}, 'fields')} data-testid="norm-apply">
        Apply
      </button>{' '}
      <button type="button" onClick={() => void apply({}, 'default')} title="The checkpoint's own statistics, or ImageNet's for RGB">
        Default
      </button>
      {userData && (
        <>
          {' '}
          <label>
            Image size{' '}
            <select value={run.preprocessing.size} onChange={(e) => void apply({ size: Number(e.target.value) })} data-testid="image-size">
              {SIZES.map((s) => (
                <option key={s} value={s}>
                  {s} px
                </option>
              ))}
            </select>
          </label>{' '}
          {(run.pairing === 'sensors' || run.preprocessing.stackSensors) && (
            <label title="One 4-channel input (R, G, B and the NIR band of the _rgn image); a 3-channel checkpoint's first convolution gets the mean of its RGB filters for the new channel">
              <input type="checkbox" checked={run.preprocessing.stackSensors} onChange={(e) => void apply({ stackSensors: e.target.checked })} data-testid="stack-sensors" /> stack
              sensors as RGB+NIR
            </label>
          )}
        </>
      )}
      {error && (
        <p className="view-error" role="alert" data-testid="preprocessing-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** Numbers of a comma- or space-separated list; null when empty (the default). */
function parseList(text: string): number[] | null {
  const parts = text.split(/[\s,]+/).filter((p) => p.length > 0);
  return parts.length === 0 ? null : parts.map(Number);
}
