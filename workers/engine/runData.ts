import { readCheckpoint } from '../../src/io/checkpoint';
import { LabError } from '../../src/io/errors';
import { parseTrainingLog } from '../../src/io/logs';
import { normalizeRunManifest } from '../../src/io/run/runManifest';

import { nextRunId } from './runSource';

import type { LogSeries } from '../engineApi';
import type { RunSource } from './runSource';

/** Where the bundled demo's manifest sits under the app's public root. */
export const DEMO_MANIFEST_PATH = 'models/fmnist-swav/manifest.json';

/** Fetches a run's manifest, log and analysis images; checkpoints load on demand. */
export async function fetchRun(manifestUrl: string): Promise<RunSource> {
  const manifest = normalizeRunManifest(await fetchJson(manifestUrl), manifestUrl);
  const folderUrl = new URL('.', manifestUrl).href;
  const resolve = (path: string): string => new URL(path, folderUrl).href;

  if (!manifest.dataset) throw new LabError('invalid_input', `${manifestUrl} names no analysis images ("dataset.analysisImages").`);
  const [imageBytes, labelBytes, meta, logBytes] = await Promise.all([
    fetchBytes(resolve(manifest.dataset.images)),
    fetchBytes(resolve(manifest.dataset.labels)),
    fetchJson(resolve(manifest.dataset.meta)) as Promise<Record<string, unknown>>,
    manifest.log ? fetchBytes(resolve(manifest.log)) : Promise.resolve(null),
  ]);

  const { height, width, channels } = manifest.input;
  const per = height * width * channels;
  if (imageBytes.length % per !== 0) {
    throw new LabError('corrupt_file', `${manifest.dataset.images} holds ${imageBytes.length} bytes, not a whole number of ${height}x${width}x${channels} images.`);
  }
  const count = imageBytes.length / per;
  if (labelBytes.length !== count) {
    throw new LabError('corrupt_file', `${manifest.dataset.labels} has ${labelBytes.length} labels for ${count} images; they must be one to one.`);
  }

  return {
    id: nextRunId('demo'),
    kind: 'demo',
    name: manifest.name,
    description: manifest.description,
    checkpoints: manifest.checkpoints,
    loadCheckpoint: async (index) => {
      const entry = manifest.checkpoints[index];
      if (!entry) throw new LabError('invalid_input', `The run has ${manifest.checkpoints.length} checkpoints; there is no checkpoint ${index}.`);
      return readCheckpoint(await fetchBytes(resolve(entry.file)), entry.file);
    },
    events: manifest.events,
    log: logBytes ? logSeries(logBytes, manifest.log!) : [],
    referenceUrl: manifest.reference ? resolve(manifest.reference) : null,
    data: {
      name: `${manifest.dataset.name} (${count} test images)`,
      images: imageBytes,
      second: null,
      count,
      height,
      width,
      channels,
      labels: Int32Array.from(labelBytes),
      classNames: Array.isArray(meta.classes) ? meta.classes.map(String) : [],
      ids: [],
      pairing: 'augmentations',
    },
    normalisation: { mean: manifest.input.mean, std: manifest.input.std },
    nPrototypes: manifest.swav.nPrototypes,
  };
}

/** A training log's series at full resolution, whatever format the run wrote it in. */
export function logSeries(bytes: Uint8Array, fileName: string): LogSeries[] {
  return parseTrainingLog(bytes, fileName).series.map((s) => ({ id: s.id, steps: s.steps, values: s.values }));
}

async function fetchOk(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw new LabError('invalid_input', `Could not fetch ${url}: the server did not answer. Is the lab still being served?`, { cause });
  }
  if (!response.ok) throw new LabError('invalid_input', `Fetching ${url} failed with HTTP ${response.status}. Check that the file exists under public/.`);
  return response;
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetchOk(url)).arrayBuffer());
}

async function fetchText(url: string): Promise<string> {
  return (await fetchOk(url)).text();
}

async function fetchJson(url: string): Promise<unknown> {
  const text = await fetchText(url);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new LabError('corrupt_file', `${url} is not valid JSON.`, { cause });
  }
}
