import type { LoadedCheckpoint } from '../../src/io/checkpoint';
import type { RecognisedModel } from '../models/buildModel';
import type { LogSeries, TrainingEvent } from '../engineApi';
import type { Normalisation } from './embedder';

/**
 * Images the views analyse: the demo's Fashion-MNIST test images, or a dataset the user
 * dropped, decoded and resized in the worker.
 */
export interface AnalysisData {
  /** Display name, e.g. 'Fashion-MNIST test (2000)' or the dropped folder's name. */
  name: string;
  /** First (or only) image of each item, [count, height, width, channels] uint8. */
  images: Uint8Array;
  /** The paired second sensor (e.g. RGB-NIR) in the same layout, or null. */
  second: Uint8Array | null;
  /** Items. */
  count: number;
  /** Image size and channels. */
  height: number;
  width: number;
  channels: number;
  /** Class index of each item, -1 when unlabelled. */
  labels: Int32Array;
  /** Class names indexed by label. */
  classNames: string[];
  /** Item ids (file stems), for reports; empty for the demo. */
  ids: string[];
  /** How the two views of an item are made. */
  pairing: 'augmentations' | 'sensors';
}

/** A run as the engine analyses it: a timeline of checkpoints, a log, and the data. */
export interface RunSource {
  /** Changes whenever anything of the run changes, so caches keyed on it never go stale. */
  id: string;
  /** 'demo' for the bundled run, 'user' once the user brought any part of their own. */
  kind: 'demo' | 'user';
  /** Display name and description. */
  name: string;
  description: string;
  /** The timeline, in run order. */
  checkpoints: { file: string; step: number; epoch: number }[];
  /** Reads checkpoint `index` of the timeline. */
  loadCheckpoint(index: number): Promise<LoadedCheckpoint>;
  /** Builds checkpoint `index` itself when it is not a state dict (a tfjs LayersModel), else null. */
  loadModel?(index: number): Promise<RecognisedModel> | null;
  /** Training events. */
  events: TrainingEvent[];
  /** Log series at full resolution. */
  log: LogSeries[];
  /** URL of PyTorch's reference outputs, or null. */
  referenceUrl: string | null;
  /** The analysis images. */
  data: AnalysisData;
  /** Input normalisation the checkpoints expect, per channel of `data`. */
  normalisation: Normalisation;
  /** K from the run's records, when the checkpoints do not say. */
  nPrototypes: number | null;
}

let counter = 0;

/** A fresh run id. */
export function nextRunId(kind: RunSource['kind']): string {
  counter += 1;
  return `${kind}-${counter}`;
}

/** ImageNet statistics (RGB), the default normalisation of torchvision and fastai models. */
export const IMAGENET_NORMALISATION: Normalisation = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

/** A normalisation for `channels` inputs: ImageNet's for 3, their averages for other counts. */
export function defaultNormalisation(channels: number): Normalisation {
  if (channels === 3) return IMAGENET_NORMALISATION;
  if (channels === 4) {
    // RGB + NIR: ImageNet's statistics for the colour bands, their average for the extra band.
    const avg = defaultNormalisation(1);
    return { mean: [...IMAGENET_NORMALISATION.mean, ...avg.mean], std: [...IMAGENET_NORMALISATION.std, ...avg.std] };
  }
  const mean = IMAGENET_NORMALISATION.mean.reduce((a, b) => a + b, 0) / 3;
  const std = IMAGENET_NORMALISATION.std.reduce((a, b) => a + b, 0) / 3;
  return { mean: Array(channels).fill(mean), std: Array(channels).fill(std) };
}
