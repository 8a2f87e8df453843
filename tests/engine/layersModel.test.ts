import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { isLayersModelJson, loadLayersNetwork } from '../../workers/models/layersModelNetwork';

const DIR = join(process.cwd(), 'tests/fixtures/tfjs');
const json = new Uint8Array(readFileSync(join(DIR, 'model.json')));
const weights = new Map([['tiny_convnet.weights.bin', new Uint8Array(readFileSync(join(DIR, 'tiny_convnet.weights.bin')))]]);

describe('tfjs LayersModel checkpoints', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('loadLayersNetwork reads stages at each resolution and matches the model\'s own predict', async () => {
    expect(isLayersModelJson(json)).toBe(true);
    const { network, architecture, tensors } = await loadLayersNetwork({ jsonPath: 'model.json', json, weights });
    expect(architecture.stageNames).toEqual(['stem', 'stage1', 'stage2']);
    expect(architecture.stageChannels).toEqual([8, 16, 32]);
    expect(architecture.inputChannels).toBe(1);
    expect(architecture.encoderDim).toBe(32);
    expect(architecture.encoderParams).toBe(8 * 9 + 8 + 16 * 8 * 9 + 16 + 32 * 16 * 9 + 32);
    expect([...tensors.keys()]).toContain('stem_conv/kernel');

    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 7) as tf.Tensor4D;
    // The engine always calls forward inside tf.tidy, as here.
    const before = tf.memory().numTensors;
    const diff = tf.tidy(() => {
      const out = network.forward(x);
      expect(out.stem.shape).toEqual([3, 14, 14, 8]);
      expect(out.stages.map((s) => s.shape)).toEqual([[3, 7, 7, 16], [3, 4, 4, 32]]);
      return tf.max(tf.abs(tf.sub(out.pooled, network.model.predict(x) as tf.Tensor)));
    });
    expect((await diff.data())[0]).toBeLessThan(1e-6);
    diff.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    network.dispose();
  });

  it('loadLayersNetwork refuses a model whose weight file was not dropped with it, naming the file', async () => {
    await expect(loadLayersNetwork({ jsonPath: 'run/model.json', json, weights: new Map() })).rejects.toThrow(
      'run/model.json needs the weight file tiny_convnet.weights.bin; drop it together with model.json.',
    );
  });
});
