import { readCheckpoint, writeSafetensors } from '../../src/io/checkpoint';
import { LabError } from '../../src/io/errors';
import { loadLayersNetwork } from '../models/layersModelNetwork';
import { defaultNormalisation, nextRunId } from './runSource';

import type { HostTensor, LoadedCheckpoint } from '../../src/io/checkpoint';
import type { DatasetFile } from '../../src/io/dataset';
import type { RecognisedModel } from '../models/buildModel';
import type { LayersModelFiles } from '../models/layersModelNetwork';
import type { LogSeries } from '../engineApi';
import type { AnalysisData, RunSource } from './runSource';
import type { UserCheckpoint } from './userImport';

/** What the user brought so far; each part replaces the demo's part of the same kind. */
export interface UserParts {
  /** The user's timeline, in run order, or null for the demo's. */
  checkpoints: UserCheckpoint[] | null;
  /** The user's log series, or null for the demo's (none when the checkpoints are the user's). */
  logs: LogSeries[] | null;
  /** The user's analysis images, or null for the demo's. */
  data: AnalysisData | null;
  /** The dataset's files, to decode again at another size or stacking. */
  dataFiles: DatasetFile[] | null;
  /** The log files, for the stored workspace. */
  logFiles: { path: string; bytes: Uint8Array }[] | null;
}

/** Nothing brought yet: the demo as it is. */
export const NO_USER_PARTS: UserParts = { checkpoints: null, logs: null, data: null, dataFiles: null, logFiles: null };

/** The files that back the user's parts now: what the stored workspace should hold. */
export function filesOfParts(user: UserParts): { path: string; bytes: Uint8Array }[] {
  const files: { path: string; bytes: Uint8Array }[] = [];
  for (const c of user.checkpoints ?? []) {
    if (c.layers) files.push({ path: c.layers.jsonPath, bytes: c.layers.json }, ...[...c.layers.weights].map(([path, bytes]) => ({ path, bytes })));
    else files.push({ path: c.file, bytes: c.bytes });
  }
  files.push(...(user.logFiles ?? []), ...(user.dataFiles ?? []));
  return files;
}

/**
 * The run made of the user's parts, the demo filling in what the user has not brought. The
 * demo's log, events and PyTorch references stay only while its checkpoints do.
 */
export function composeUserRun(base: RunSource, user: UserParts): RunSource {
  if (!user.checkpoints && !user.logs && !user.data) return base;
  const own = user.checkpoints;
  return {
    ...base,
    id: nextRunId('user'),
    kind: 'user',
    name: own ? 'Your run' : `${base.name} on your data`,
    description: own ? `${own.length} checkpoint${own.length === 1 ? '' : 's'} you loaded.` : base.description,
    checkpoints: own ? own.map((c) => ({ file: c.file, step: c.step, epoch: c.epoch })) : base.checkpoints,
    loadCheckpoint: own ? async (i) => loadUserCheckpoint(own[i]) : base.loadCheckpoint,
    loadModel: own ? (i) => (own[i].layers ? loadLayersModel(own[i].layers!) : null) : undefined,
    // The demo's events belong to the demo's log: gone once either part is the user's.
    events: own || user.logs ? [] : base.events,
    log: user.logs ?? (own ? [] : base.log),
    referenceUrl: own ? null : base.referenceUrl,
    data: user.data ?? base.data,
    normalisation: own ? defaultNormalisation(3) : base.normalisation,
    nPrototypes: own ? null : base.nPrototypes,
  };
}

async function loadUserCheckpoint(c: UserCheckpoint): Promise<LoadedCheckpoint> {
  if (c.layers) throw new LabError('invalid_input', `${c.file} is a tfjs LayersModel, not a state dict.`);
  return readCheckpoint(c.bytes, c.file);
}

async function loadLayersModel(files: LayersModelFiles): Promise<RecognisedModel> {
  const { network, tensors, architecture } = await loadLayersNetwork(files);
  return { network, tensors, architecture, unusedKeys: [], family: 'tfjs-layers', classifier: null };
}

/**
 * Weights as safetensors under the names given, so a state dict's export loads back with
 * `model.load_state_dict(safetensors.torch.load_file(path))`. Floats are written as float32,
 * integer buffers (BatchNorm counters) as int64.
 */
export function exportSafetensors(weights: Map<string, HostTensor>): Uint8Array {
  const tensors = new Map<string, { dtype: 'F32' | 'F16' | 'I64'; shape: number[]; values: ArrayLike<number> }>();
  for (const [key, t] of weights) {
    const integer = t.sourceDtype === 'int64' || t.sourceDtype === 'int32' || t.sourceDtype === 'int16' || t.sourceDtype === 'int8' || t.sourceDtype === 'uint8' || t.sourceDtype === 'bool';
    tensors.set(key, { dtype: integer ? 'I64' : 'F32', shape: t.shape, values: t.values });
  }
  return writeSafetensors(tensors, { format: 'pt', exported_by: 'swav-interpretability-lab' });
}
