import { readCheckpoint } from '../../src/io/checkpoint';
import { expandZip, indexDataset, probeImage } from '../../src/io/dataset';
import { LabError, isLabError } from '../../src/io/errors';
import { parseTrainingLog } from '../../src/io/logs';
import { checkpointPosition } from '../../src/io/run/checkpointOrder';
import { recogniseStateDict } from '../models/buildModel';
import { isLayersModelJson, layersModelWeightPaths, loadLayersNetwork } from '../models/layersModelNetwork';

import type { DatasetFile } from '../../src/io/dataset';
import type { LayersModelFiles } from '../models/layersModelNetwork';
import type { ImportReport, LogSeries } from '../engineApi';
import type { AnalysisData } from './runSource';

/**
 * Side length, in pixels, that dropped images are resized to (shorter side, then centre crop).
 * 64 keeps two views of a few hundred images within seconds on a CPU-only laptop.
 */
export const USER_IMAGE_SIZE = 64;

/** Extensions that are checkpoints whatever their bytes look like. */
const CHECKPOINT_NAME = /\.(pth|pt|ckpt|bin|safetensors|pth\.tar)$/i;
/** Extensions of training logs (a labels CSV is told apart by its Image_id column). */
const LOG_NAME = /(\.(csv|tsv|json|jsonl|txt)$)|tfevents/i;

/** A checkpoint the user brought, recognised and kept as bytes (parsed again when analysed). */
export interface UserCheckpoint {
  /** Set for a tfjs LayersModel: model.json and its weight files. */
  layers?: LayersModelFiles;
  file: string;
  step: number;
  epoch: number;
  stepSource: string;
  bytes: Uint8Array;
  architecture: string;
  placeholders: string[];
  unusedKeys: string[];
}

/** Decodes one image file into RGB pixels of size x size (the worker's createImageBitmap). */
export type ImageDecoder = (bytes: Uint8Array, size: number) => Promise<Uint8Array>;

/** How dropped images become encoder inputs. */
export interface DatasetPreprocessing {
  /** Side length in pixels after resizing the shorter side and centre-cropping. */
  size: number;
  /** Stack the two sensors as one 4-channel image (R, G, B from the first, NIR from the second). */
  stackSensors: boolean;
}

/** The default: USER_IMAGE_SIZE, sensors as the two views of each item. */
export const DEFAULT_PREPROCESSING: DatasetPreprocessing = { size: USER_IMAGE_SIZE, stackSensors: false };

/**
 * Throws LabError 'invalid_input' with the reason when a preprocessing change cannot apply: an
 * image size outside 16..512 px, a mean without a std (or lists of unequal length), a std that
 * is not positive, a mean that is not a number. Absent mean and std mean "keep".
 */
export function assertPreprocessingChange(change: { mean?: number[] | null; std?: number[] | null; size: number }): void {
  if (!Number.isInteger(change.size) || change.size < 16 || change.size > 512) {
    throw new LabError('invalid_input', `The image size must be a whole number of pixels between 16 and 512; got ${change.size}.`);
  }
  if (change.mean === undefined && change.std === undefined) return;
  if ((change.mean == null) !== (change.std == null) || (change.mean && change.std && change.mean.length !== change.std.length)) {
    throw new LabError('invalid_input', 'Give a mean and a standard deviation for every channel, or neither to use the default.');
  }
  if (change.std?.some((v) => !(v > 0))) throw new LabError('invalid_input', 'Every standard deviation must be a positive number.');
  if (change.mean?.some((v) => !Number.isFinite(v))) throw new LabError('invalid_input', 'Every mean must be a number, e.g. 0.485, 0.456, 0.406.');
}

/** Everything one import produced: parts to merge into the run, and the report. */
export interface ImportResult {
  checkpoints: UserCheckpoint[];
  logs: LogSeries[];
  data: AnalysisData | null;
  /** The dataset's files, kept so a new size or stacking can decode them again. */
  dataFiles: DatasetFile[];
  /** The log files read, kept so the stored workspace can hold them. */
  logFiles: { path: string; bytes: Uint8Array }[];
  report: ImportReport;
}

/**
 * Sorts files into checkpoints, logs and dataset images by their content (the extension only
 * breaks ties), reads each, and collects a per-file error instead of stopping at the first bad
 * file. Images are decoded with `decode`.
 */
export async function importFiles(files: { path: string; bytes: Uint8Array }[], decode: ImageDecoder, preprocessing: DatasetPreprocessing = DEFAULT_PREPROCESSING): Promise<ImportResult> {
  const report: ImportReport = { checkpoints: [], logs: [], dataset: null, errors: [] };
  const checkpoints: UserCheckpoint[] = [];
  const logs: LogSeries[] = [];
  const logFiles: { path: string; bytes: Uint8Array }[] = [];
  const datasetFiles: DatasetFile[] = [];

  // A tfjs LayersModel is model.json plus the weight files it names: they travel together.
  const consumed = new Set<string>();
  for (const file of files) {
    if (!/\.json$/i.test(file.path) || !isLayersModelJson(file.bytes)) continue;
    consumed.add(file.path);
    try {
      const layers = gatherLayersModel(file, files);
      layers.weights.forEach((_, path) => consumed.add(path));
      const loaded = await loadLayersNetwork(layers);
      loaded.network.dispose();
      const position = checkpointPosition(file.path.replace(/\/?model\.json$/i, '') || file.path);
      checkpoints.push({ layers, file: file.path, step: position.step, epoch: position.epoch, stepSource: position.source, bytes: file.bytes, architecture: loaded.architecture.description, placeholders: [], unusedKeys: [] });
    } catch (error) {
      report.errors.push(describeError(file.path, error));
    }
  }

  for (const file of files) {
    if (consumed.has(file.path)) continue;
    try {
      const kind = classify(file);
      if (kind === 'checkpoint') {
        const ckpt = readCheckpoint(file.bytes, file.path);
        const recognised = recogniseStateDict(ckpt.tensors);
        const position = checkpointPosition(file.path, ckpt.extras);
        checkpoints.push({
          file: file.path,
          step: position.step,
          epoch: position.epoch,
          stepSource: position.source,
          bytes: file.bytes,
          architecture: recognised.architecture.description,
          placeholders: ckpt.placeholders,
          unusedKeys: recognised.unusedKeys,
        });
      } else if (kind === 'zip') {
        datasetFiles.push(...expandZip(file.bytes, file.path));
      } else if (kind === 'log') {
        const parsed = parseTrainingLog(file.bytes, file.path);
        if (parsed.series.every((s) => s.values.length === 0)) {
          // An empty log must not replace the one the user is looking at.
          throw new LabError('invalid_input', `${file.path} holds no logged values, so it is neither a training log nor an image the lab can read. ${parsed.warnings.join(' ')}`.trim());
        }
        logs.push(...parsed.series.map((s) => ({ id: s.id, steps: s.steps, values: s.values, xLabel: parsed.stepLabel })));
        logFiles.push(file);
        report.logs.push({ file: file.path, format: parsed.format, series: parsed.series.map((s) => s.id), warnings: parsed.warnings });
      } else {
        datasetFiles.push(file);
      }
    } catch (error) {
      report.errors.push(describeError(file.path, error));
    }
  }

  let data: AnalysisData | null = null;
  if (datasetFiles.length > 0) {
    try {
      data = await buildDataset(datasetFiles, decode, report, preprocessing);
    } catch (error) {
      report.errors.push(describeError('dataset', error));
    }
  }
  report.checkpoints = checkpoints.map(({ bytes: _bytes, ...rest }) => rest);
  return { checkpoints, logs, data, dataFiles: datasetFiles, logFiles, report };
}

/** model.json with the weight files it names, found beside it (same folder) or by file name. */
function gatherLayersModel(json: { path: string; bytes: Uint8Array }, files: { path: string; bytes: Uint8Array }[]): LayersModelFiles {
  const folder = json.path.includes('/') ? json.path.slice(0, json.path.lastIndexOf('/') + 1) : '';
  const weights = new Map<string, Uint8Array>();
  for (const path of layersModelWeightPaths(json.bytes, json.path)) {
    const match = files.find((f) => f.path === `${folder}${path}`) ?? files.find((f) => f.path.split('/').pop() === path.split('/').pop());
    if (!match) throw new LabError('invalid_input', `${json.path} needs the weight file ${path}; drop it together with model.json.`);
    weights.set(match.path === `${folder}${path}` ? match.path : `${folder}${path}`, match.bytes);
  }
  return { jsonPath: json.path, json: json.bytes, weights };
}

/** What a file is, from its bytes first and its name second. */
function classify(file: { path: string; bytes: Uint8Array }): 'checkpoint' | 'zip' | 'log' | 'dataset' {
  const b = file.bytes;
  const isZip = b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
  const isPickle = b.length >= 2 && b[0] === 0x80 && b[1] >= 2 && b[1] <= 5;
  if (CHECKPOINT_NAME.test(file.path) || isPickle) return 'checkpoint';
  if (isZip) return zipHoldsPickle(b) ? 'checkpoint' : 'zip';
  if (LOG_NAME.test(file.path)) return isLabelsCsv(b) ? 'dataset' : 'log';
  return 'dataset';
}

/** True when a zip's directory names a `data.pkl` (torch.save's zip layout). */
function zipHoldsPickle(bytes: Uint8Array): boolean {
  const tail = new TextDecoder('latin1').decode(bytes.subarray(Math.max(0, bytes.length - 65_536)));
  return tail.includes('/data.pkl');
}

function isLabelsCsv(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).split(/\r?\n/)[0] ?? '';
  return /image_?id/i.test(head);
}

/**
 * Indexes and decodes a dataset. With `stackSensors`, each pair becomes one 4-channel image:
 * R, G, B of the first sensor and the NIR band of the second (the third channel of an RGN
 * image), and the two views are augmentations of it.
 */
export async function buildDataset(files: DatasetFile[], decode: ImageDecoder, report: ImportReport, preprocessing: DatasetPreprocessing): Promise<AnalysisData> {
  const index = indexDataset(files);
  const byPath = new Map(files.map((f) => [f.path, f.bytes]));
  const size = preprocessing.size;
  const per = size * size * 3;
  const paired = index.kind === 'paired-sensors' && index.items.length > 0;
  const entries = paired
    ? index.items.map((item) => ({ id: item.id, label: item.label, paths: [item.first, item.second] }))
    : index.singles.map((single) => ({ id: single.id, label: single.label, paths: [single.path] }));

  const classNames = index.classes;
  const first = new Uint8Array(entries.length * per);
  const second = paired ? new Uint8Array(entries.length * per) : null;
  const labels = new Int32Array(entries.length);
  const ids: string[] = [];
  const failed: { path: string; reason: string }[] = [];
  let kept = 0;
  for (const entry of entries) {
    try {
      const pixels = await Promise.all(entry.paths.map((p) => decode(byPath.get(p)!, size)));
      first.set(pixels[0], kept * per);
      if (second) second.set(pixels[1], kept * per);
      labels[kept] = entry.label === null ? -1 : classNames.indexOf(entry.label);
      ids.push(entry.id);
      kept++;
    } catch (error) {
      failed.push({ path: entry.paths.join(' + '), reason: `could not be decoded: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  const notes = probeNotes(files, size);
  const labelNote = index.labelsFile
    ? `; labels from ${index.labelsFile}: ${index.counts.labelled} of ${entries.length} labelled, ${classNames.length} class${classNames.length === 1 ? '' : 'es'}${classNames.length > 0 ? ` (${classNames.slice(0, 6).join(', ')}${classNames.length > 6 ? ', …' : ''})` : ''}`
    : '';
  report.dataset = {
    summary: `${index.summary}${failed.length > 0 ? `; ${failed.length} could not be decoded` : ''}${labelNote}`,
    kind: index.kind,
    items: kept,
    singles: paired ? index.singles.map((s) => ({ path: s.path, reason: s.reason })) : [],
    unreadable: [...index.unreadable.map((u) => ({ path: u.path, reason: u.reason })), ...failed],
    warnings: [...index.warnings, ...notes],
    imageSize: size,
  };
  if (second && preprocessing.stackSensors) {
    report.dataset.warnings.push('The two sensors are stacked as one 4-channel image (R, G, B and the NIR band of the _rgn image); the two views are augmentations of it.');
    return {
      name: `${files.length} dropped files (${index.summary}), sensors stacked as RGB+NIR`,
      images: stackRgbNir(first, second, kept, size * size),
      second: null,
      count: kept,
      height: size,
      width: size,
      channels: 4,
      labels: labels.slice(0, kept),
      classNames,
      ids,
      pairing: 'augmentations',
    };
  }
  return {
    name: `${files.length} dropped files (${index.summary})`,
    images: first.slice(0, kept * per),
    second: second ? second.slice(0, kept * per) : null,
    count: kept,
    height: size,
    width: size,
    channels: 3,
    labels: labels.slice(0, kept),
    classNames,
    ids,
    pairing: paired ? 'sensors' : 'augmentations',
  };
}

/** [count, pixels, 4]: R, G, B of `rgb` and the third band (NIR) of `rgn`, both [count, pixels, 3]. */
export function stackRgbNir(rgb: Uint8Array, rgn: Uint8Array, count: number, pixels: number): Uint8Array {
  const out = new Uint8Array(count * pixels * 4);
  for (let p = 0; p < count * pixels; p++) {
    out[4 * p] = rgb[3 * p];
    out[4 * p + 1] = rgb[3 * p + 1];
    out[4 * p + 2] = rgb[3 * p + 2];
    out[4 * p + 3] = rgn[3 * p + 2];
  }
  return out;
}

function probeNotes(files: DatasetFile[], size: number): string[] {
  const sizes = new Set<string>();
  for (const f of files.slice(0, 200)) {
    const p = probeImage(f.bytes);
    if (p.width && p.height) sizes.add(`${p.width}x${p.height}`);
  }
  return sizes.size > 0 ? [`Image sizes seen: ${[...sizes].slice(0, 6).join(', ')}${sizes.size > 6 ? ', ...' : ''}; each is resized (shorter side) and centre-cropped to ${size}x${size}.`] : [];
}

function describeError(file: string, error: unknown): ImportReport['errors'][number] {
  if (isLabError(error)) return { file, code: error.code, message: error.message };
  return { file, code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
