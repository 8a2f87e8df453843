/**
 * Orders the checkpoints of a run by the training step or epoch their file names (or the
 * scalars saved beside the weights) carry: `swav_epc447.pth`, `model_step_12000.pt`,
 * `checkpoint-epoch=3.ckpt`, `ckpt_0042.pth`.
 */

/** Where a checkpoint's position in the run came from. */
export type StepSource = 'metadata' | 'name-step' | 'name-epoch' | 'name-number' | 'none';

/** A checkpoint's position in the run. */
export interface CheckpointPosition {
  /** Optimiser step, NaN when unknown. */
  step: number;
  /** Epoch, NaN when unknown. */
  epoch: number;
  /** What the numbers were read from. */
  source: StepSource;
}

/** Names of saved scalars that hold the step or the epoch, as training scripts write them. */
const STEP_KEYS = ['global_step', 'step', 'iteration', 'iter', 'n_iter'];
const EPOCH_KEYS = ['epoch', 'epochs', 'ep'];

const STEP_PATTERN = /(?:^|[^a-z])(?:step|iter|iteration|it|global_step)[_=-]?(\d+)/i;
const EPOCH_PATTERN = /(?:^|[^a-z])(?:epc|epoch|ep|e)[_=-]?(\d+)/i;
/** A bare number at the end of the stem after a separator or 'ckpt' ('ckpt_0042', 'ckpt10', 'model-5'); 'resnet18' or 'r18_half' name an architecture, not a step. */
const NUMBER_PATTERN = /(?:^|[_\-. ]|ckpt|checkpoint)(\d+)$/i;

/**
 * Reads a checkpoint's step and epoch: saved scalars first (e.g. {"epoch": 3}), then the file
 * name, where a step beats an epoch and a bare trailing number counts as a step.
 */
export function checkpointPosition(fileName: string, extras: Record<string, unknown> = {}): CheckpointPosition {
  const step = firstNumber(extras, STEP_KEYS);
  const epoch = firstNumber(extras, EPOCH_KEYS);
  if (Number.isFinite(step) || Number.isFinite(epoch)) return { step, epoch, source: 'metadata' };

  const stem = fileName.replace(/^.*\//, '').replace(/\.(pth|pt|ckpt|bin|safetensors|tar|json)(\.tar)?$/i, '');
  const stepMatch = STEP_PATTERN.exec(stem);
  if (stepMatch) return { step: Number(stepMatch[1]), epoch: Number.NaN, source: 'name-step' };
  const epochMatch = EPOCH_PATTERN.exec(stem);
  if (epochMatch) return { step: Number.NaN, epoch: Number(epochMatch[1]), source: 'name-epoch' };
  const numberMatch = NUMBER_PATTERN.exec(stem);
  if (numberMatch) return { step: Number(numberMatch[1]), epoch: Number.NaN, source: 'name-number' };
  return { step: Number.NaN, epoch: Number.NaN, source: 'none' };
}

/**
 * Returns the indices of `items` in run order: those with a step by step, then those with only
 * an epoch by epoch, then the rest by name in natural order (ckpt2 before ckpt10); ties keep
 * their input order.
 */
export function orderCheckpoints(items: { name: string; position: CheckpointPosition }[]): number[] {
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  const rank = (p: CheckpointPosition): [number, number] =>
    Number.isFinite(p.step) ? [0, p.step] : Number.isFinite(p.epoch) ? [1, p.epoch] : [2, 0];
  return items
    .map((item, index) => ({ item, index, rank: rank(item.position) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || collator.compare(a.item.name, b.item.name) || a.index - b.index)
    .map(({ index }) => index);
}

function firstNumber(extras: Record<string, unknown>, keys: string[]): number {
  for (const k of keys) {
    const v = extras[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return Number.NaN;
}
