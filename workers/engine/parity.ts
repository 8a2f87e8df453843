import * as tf from '@tensorflow/tfjs';

import { readSafetensors } from '../../src/io/checkpoint';
import { LabError } from '../../src/io/errors';

import type { HostTensor } from '../../src/io/checkpoint';
import type { EncoderNetwork } from '../models/network';
import type { BackendName, ParityReport } from '../engineApi';

/** The lab's promise: outputs match PyTorch to 1e-4, scaled by the largest reference value past 1. */
export const PARITY_TOLERANCE = 1e-4;

/** Reference files, fetched once per URL. */
const referenceCache = new Map<string, Promise<Map<string, HostTensor>>>();

/**
 * Runs the reference inputs through `network` and compares every output with the reference
 * file PyTorch wrote for the checkpoint at `step` (tensor names `stepNNNNN/<output>`).
 */
export async function checkParity(network: EncoderNetwork, referenceUrl: string, step: number, checkpointIndex: number, backend: BackendName): Promise<ParityReport> {
  return compareWithReference(network, await loadReference(referenceUrl), referenceUrl, step, checkpointIndex, backend);
}

/** The comparison itself, on a reference already read. */
async function compareWithReference(
  network: EncoderNetwork,
  reference: Map<string, HostTensor>,
  referenceUrl: string,
  step: number,
  checkpointIndex: number,
  backend: BackendName,
): Promise<ParityReport> {
  const prefix = `step${String(step).padStart(5, '0')}`;
  const input = reference.get('input');
  if (!input || input.shape.length !== 4) throw new LabError('corrupt_file', `${referenceUrl} has no 'input' tensor [n, c, h, w].`);
  if (!reference.has(`${prefix}/pooled`)) throw new LabError('invalid_input', `${referenceUrl} holds no reference outputs for step ${step}.`);

  const [n, c, h, w] = input.shape;
  const outputs = tf.tidy(() => {
    const x = tf.tensor4d(input.values as Float32Array, [n, c, h, w], 'float32').transpose([0, 2, 3, 1]) as tf.Tensor4D;
    const out = network.forward(x);
    // Compare in PyTorch's layout: NHWC feature maps go back to NCHW.
    const toNchw = (t: tf.Tensor4D) => t.transpose([0, 3, 1, 2]);
    const named: [string, tf.Tensor][] = [['stem', toNchw(out.stem)], ...out.stages.map((s, i) => [`stage${i + 1}`, toNchw(s)] as [string, tf.Tensor]), ['pooled', out.pooled]];
    if (out.projector) named.push(['projector', out.projector]);
    if (out.embedding) named.push(['embedding', out.embedding]);
    if (out.scores) named.push(['scores', out.scores]);
    if (out.logits) named.push(['logits', out.logits]);
    return named;
  });

  try {
    const rows: ParityReport['outputs'] = [];
    for (const [name, tensor] of outputs) {
      const ref = reference.get(`${prefix}/${name}`);
      if (!ref) continue;
      const got = (await tensor.data()) as Float32Array;
      if (got.length !== ref.values.length) {
        throw new LabError('state_dict_mismatch', `Output ${name} has shape [${tensor.shape}] in the lab but [${ref.shape}] in the reference.`);
      }
      let maxAbsDiff = 0;
      let refMaxAbs = 0;
      for (let i = 0; i < got.length; i++) {
        maxAbsDiff = Math.max(maxAbsDiff, Math.abs(got[i] - ref.values[i]));
        refMaxAbs = Math.max(refMaxAbs, Math.abs(ref.values[i]));
      }
      rows.push({ name, shape: ref.shape, maxAbsDiff, scaledDiff: maxAbsDiff / Math.max(1, refMaxAbs), refMaxAbs });
    }
    return { checkpointIndex, backend, outputs: rows, tolerance: PARITY_TOLERANCE, pass: rows.length > 0 && rows.every((r) => r.scaledDiff <= PARITY_TOLERANCE) };
  } finally {
    outputs.forEach(([, t]) => t.dispose());
  }
}

async function loadReference(url: string): Promise<Map<string, HostTensor>> {
  let cached = referenceCache.get(url);
  if (!cached) {
    cached = (async () => {
      const response = await fetch(url);
      if (!response.ok) throw new LabError('invalid_input', `Fetching the reference outputs ${url} failed with HTTP ${response.status}.`);
      return readSafetensors(new Uint8Array(await response.arrayBuffer())).tensors;
    })();
    cached.catch(() => referenceCache.delete(url));
    referenceCache.set(url, cached);
  }
  return cached;
}
