import { LabError } from '../errors';

/** A bundled or imported training run, as its manifest.json describes it. */
export interface RunManifest {
  /** Display name. */
  name: string;
  /** What the run is, one paragraph. */
  description: string;
  /** Checkpoint files relative to the manifest, with their step and epoch (NaN when unknown). */
  checkpoints: { file: string; step: number; epoch: number }[];
  /** Per-step log CSV relative to the manifest, or null. */
  log: string | null;
  /** Training events. */
  events: { step: number; kind: string; label: string }[];
  /** Reference outputs from PyTorch (safetensors) relative to the manifest, or null. */
  reference: string | null;
  /** Input size and normalisation. */
  input: { height: number; width: number; channels: number; mean: number[]; std: number[] };
  /** Analysis images: raw uint8 [count, h, w, c], labels uint8 [count], meta JSON; relative paths. */
  dataset: { name: string; images: string; labels: string; meta: string } | null;
  /** SwAV settings, when the run recorded them. */
  swav: { nPrototypes: number | null; temperature: number | null; epsilon: number | null };
  /** Everything else the manifest holds, kept for display. */
  extra: Record<string, unknown>;
}

/**
 * Reads a run manifest tolerantly: unknown keys are kept in `extra`, missing optional ones get
 * defaults, checkpoints are ordered by step. Throws LabError 'invalid_input' only when nothing
 * usable is there (not JSON, or no checkpoints).
 */
export function normalizeRunManifest(json: unknown, source = 'manifest.json'): RunManifest {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new LabError('invalid_input', `${source} is not a JSON object; expected {"checkpoints": [...], ...}.`);
  }
  const m = json as Record<string, unknown>;
  const rawCheckpoints = Array.isArray(m.checkpoints) ? m.checkpoints : [];
  const checkpoints = rawCheckpoints
    .map((c) => (typeof c === 'string' ? { file: c } : (c as Record<string, unknown>)))
    .filter((c) => typeof c?.file === 'string')
    .map((c) => ({ file: String(c.file), step: toNumber(c.step), epoch: toNumber(c.epoch) }))
    .sort((a, b) => (Number.isNaN(a.step) || Number.isNaN(b.step) ? 0 : a.step - b.step));
  if (checkpoints.length === 0) throw new LabError('invalid_input', `${source} lists no checkpoints; add "checkpoints": [{"file": "...pth", "step": 0}].`);

  const input = (m.input ?? {}) as Record<string, unknown>;
  const dataset = (m.dataset ?? null) as Record<string, unknown> | null;
  const swav = (m.swav ?? {}) as Record<string, unknown>;
  const events = (Array.isArray(m.events) ? m.events : [])
    .map((e) => e as Record<string, unknown>)
    .filter((e) => Number.isFinite(toNumber(e.step)))
    .map((e) => ({ step: toNumber(e.step), kind: String(e.kind ?? 'event'), label: String(e.label ?? e.kind ?? 'event') }))
    .sort((a, b) => a.step - b.step);

  const known = new Set(['name', 'description', 'checkpoints', 'log', 'events', 'reference', 'input', 'dataset', 'swav']);
  return {
    name: String(m.name ?? 'unnamed run'),
    description: String(m.description ?? ''),
    checkpoints,
    log: typeof m.log === 'string' ? m.log : null,
    events,
    reference: typeof m.reference === 'string' ? m.reference : null,
    input: {
      height: toNumber(input.height) || 28,
      width: toNumber(input.width) || 28,
      channels: toNumber(input.channels) || 1,
      mean: numberList(input.mean, [0.485, 0.456, 0.406]),
      std: numberList(input.std, [0.229, 0.224, 0.225]),
    },
    dataset:
      dataset && typeof dataset.analysisImages === 'string'
        ? { name: String(dataset.name ?? 'dataset'), images: String(dataset.analysisImages), labels: String(dataset.analysisLabels ?? ''), meta: String(dataset.analysisMeta ?? '') }
        : null,
    swav: { nPrototypes: maybeNumber(swav.nPrototypes), temperature: maybeNumber(swav.temperature), epsilon: maybeNumber(swav.epsilon) },
    extra: Object.fromEntries(Object.entries(m).filter(([k]) => !known.has(k))),
  };
}

function toNumber(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
}

function maybeNumber(v: unknown): number | null {
  const n = toNumber(v);
  return Number.isFinite(n) ? n : null;
}

function numberList(v: unknown, fallback: number[]): number[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : fallback;
}
