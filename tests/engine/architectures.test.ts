import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { readCheckpoint, readSafetensors } from '../../src/io/checkpoint';
import { embed } from '../../workers/engine/embedder';
import { measureThroughput } from '../../workers/engine/throughput';
import { buildModel, recogniseStateDict } from '../../workers/models/buildModel';

import type { HostTensor } from '../../src/io/checkpoint';
import type { EncoderNetwork } from '../../workers/models/network';

// Parity of every recognised layout with PyTorch, on tfjs's cpu backend in Node. The fixtures
// and their reference outputs come from tools/make_architecture_fixtures.py (torch 1.13).
const FIXTURES = join(process.cwd(), 'tests/fixtures/architectures');
/** The lab's parity promise: max |lab - torch| / max(1, max |torch|) per output. */
const TOLERANCE = 1e-4;

interface ParityCase {
  /** Fixture base name: <name>.pth and <name>.ref.safetensors. */
  name: string;
  /** What the file is, as the test title says it. */
  layout: string;
  family: 'xresnet' | 'torchvision-resnet';
  /** Top-level key that held the state dict, or null for a bare one. */
  wrapperKey: string | null;
  pooling: 'max-avg' | 'avg';
  /** Number of logits, or null without a classifier. */
  classes: number | null;
  /** Whether conv weights are stored as float16. */
  half: boolean;
}

const CASES: ParityCase[] = [
  { name: 'xresnet_basic_bare', layout: "a bare self_supervised XResNet encoder (keys '0.0.weight'..), basic blocks [2, 2, 2, 2], 40x40", family: 'xresnet', wrapperKey: null, pooling: 'max-avg', classes: null, half: false },
  { name: 'xresnet_bottleneck_swav_learnsave', layout: 'a whole SwAV model (encoder., projector., prototypes.weight) in learn.save {model, opt}, bottleneck [3, 4, 6, 3], float16, 37x37', family: 'xresnet', wrapperKey: 'model', pooling: 'max-avg', classes: null, half: true },
  { name: 'xresnet_finetuned_dataparallel', layout: "a fine-tuned nn.Sequential(body, head) under DataParallel's module., fastai LinBnDrop head, 33x33", family: 'xresnet', wrapperKey: null, pooling: 'max-avg', classes: 5, half: false },
  { name: 'resnet18_w4_fc_half', layout: 'a torchvision ResNet-18 layout (width 4) with fc, float16, 40x40', family: 'torchvision-resnet', wrapperKey: null, pooling: 'avg', classes: 10, half: true },
  { name: 'resnet50_w2_swav_ddp', layout: 'a facebookresearch/swav Bottleneck ResNet (ConstantPad2d + padding 2) with projection_head and prototypes under module., 37x37', family: 'torchvision-resnet', wrapperKey: null, pooling: 'avg', classes: null, half: false },
  { name: 'resnet34_w2_fastai_finetuned_half', layout: "a fastai vision_learner on a ResNet-34 layout (create_body keys '0.4.0.conv1.weight', concat-pool head), float16, 33x33", family: 'torchvision-resnet', wrapperKey: null, pooling: 'max-avg', classes: 7, half: true },
];

function readFixture(file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, file)));
}

/** Every network output in PyTorch's layout (feature maps NCHW), named as the references are. */
async function torchLayoutOutputs(network: EncoderNetwork, input: HostTensor): Promise<Map<string, { shape: number[]; values: Float32Array }>> {
  const [n, c, h, w] = input.shape;
  const named = tf.tidy(() => {
    const x = tf.tensor4d(Float32Array.from(input.values), [n, c, h, w], 'float32').transpose([0, 2, 3, 1]) as tf.Tensor4D;
    const out = network.forward(x);
    const maps: [string, tf.Tensor][] = [['stem', out.stem], ...out.stages.map((s, i): [string, tf.Tensor] => [`stage${i + 1}`, s])];
    const vectors: [string, tf.Tensor | null][] = [['pooled', out.pooled], ['projector', out.projector], ['embedding', out.embedding], ['scores', out.scores], ['logits', out.logits]];
    return [
      ...maps.map(([name, t]): [string, tf.Tensor] => [name, t.transpose([0, 3, 1, 2])]),
      ...vectors.filter((e): e is [string, tf.Tensor] => e[1] !== null),
    ];
  });
  const result = new Map<string, { shape: number[]; values: Float32Array }>();
  try {
    for (const [name, t] of named) result.set(name, { shape: t.shape, values: (await t.data()) as Float32Array });
  } finally {
    named.forEach(([, t]) => t.dispose());
  }
  return result;
}

function scaledMaxDiff(got: Float32Array, ref: Float32Array | Float64Array): number {
  let diff = 0;
  let refMax = 0;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - ref[i]));
    refMax = Math.max(refMax, Math.abs(ref[i]));
  }
  return diff / Math.max(1, refMax);
}

/** Deterministic pixels in [0, 1] (a 32-bit LCG), [n, h, w, c] row-major. */
function lcgImages(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 32;
  }
  return out;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('architecture parity with PyTorch (tfjs cpu, Node)', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.layout} matches every PyTorch output within 1e-4`, async () => {
      const checkpoint = readCheckpoint(readFixture(`${c.name}.pth`), `${c.name}.pth`);
      const reference = readSafetensors(readFixture(`${c.name}.ref.safetensors`)).tensors;
      expect(checkpoint.wrapperKey).toBe(c.wrapperKey);
      const convDtypes = new Set([...checkpoint.tensors].filter(([k, t]) => t.shape.length === 4 && k.endsWith('weight')).map(([, t]) => t.sourceDtype));
      expect([...convDtypes]).toEqual([c.half ? 'float16' : 'float32']);

      const before = tf.memory().numTensors;
      const model = buildModel(checkpoint.tensors);
      try {
        expect(model.family).toBe(c.family);
        expect(model.network.family).toBe(c.family);
        expect(model.network.architecture.pooling).toBe(c.pooling);
        expect(model.classifier?.classes ?? null).toBe(c.classes);
        expect(model.unusedKeys).toEqual([]);

        const got = await torchLayoutOutputs(model.network, reference.get('input')!);
        const refNames = [...reference.keys()].filter((k) => k !== 'input');
        expect([...got.keys()].sort()).toEqual([...refNames].sort());
        for (const name of refNames) {
          const ref = reference.get(name)!;
          const out = got.get(name)!;
          expect(out.shape, `${name} shape`).toEqual(ref.shape);
          expect(scaledMaxDiff(out.values, ref.values), `${name} scaled max diff`).toBeLessThanOrEqual(TOLERANCE);
        }
      } finally {
        model.network.dispose();
      }
      // Only the network's weights were created, and dispose released them all.
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('the throughput baseline of a torchvision-style ResNet (tf.layers, unfolded BatchNorm) agrees with the engine', async () => {
    const checkpoint = readCheckpoint(readFixture('resnet50_w2_swav_ddp.pth'), 'resnet50_w2_swav_ddp.pth');
    const model = buildModel(checkpoint.tensors);
    try {
      const shape: [number, number, number, number] = [4, 33, 33, 3];
      const images = lcgImages(4 * 33 * 33 * 3, 11);
      const report = await measureThroughput(model, images, shape, { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }, 2, 'cpu');
      expect(report.images).toBe(4);
      expect(report.maxAbsDiff).toBeLessThanOrEqual(1e-4);
    } finally {
      model.network.dispose();
    }
  });
});

describe('B01: wrapper prefixes in a {"epoch": 3, "state_dict": ...} checkpoint', () => {
  const FILES = ['b01_resnet18_w2_plain.pth', 'b01_resnet18_w2_module.pth', 'b01_resnet18_w2_orig_mod_module.pth'];

  it('plain, module. and _orig_mod.module. files load with no unused keys and give bitwise identical embeddings of 8 images', async () => {
    const shape: [number, number, number, number] = [8, 32, 32, 3];
    const images = lcgImages(8 * 32 * 32 * 3, 3);
    const norm = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
    const hooks = { onBatch: () => undefined, isCancelled: () => false };

    const embeddings: Float32Array[][] = [];
    for (const file of FILES) {
      const checkpoint = readCheckpoint(readFixture(file), file);
      expect(checkpoint.wrapperKey).toBe('state_dict');
      expect(checkpoint.extras).toEqual({ epoch: 3 });
      expect(checkpoint.tensors.get([...checkpoint.tensors.keys()].find((k) => k.endsWith('bn1.num_batches_tracked'))!)!.sourceDtype).toBe('int64');

      const recognised = recogniseStateDict(checkpoint.tensors);
      expect(recognised.unusedKeys).toEqual([]);
      expect(recognised.architecture.description).toContain('layers [2, 2, 2, 2]');
      const model = buildModel(checkpoint.tensors);
      try {
        const features = await embed(model.network, images, shape, norm, hooks);
        expect(features.reps.map((r) => r.name)).toEqual(['stem', 'stage1', 'stage2', 'stage3', 'stage4', 'encoder']);
        embeddings.push(features.reps.map((r) => r.values));
      } finally {
        model.network.dispose();
      }
    }
    for (const other of embeddings.slice(1)) {
      other.forEach((values, i) => expect(new Uint32Array(values.buffer)).toEqual(new Uint32Array(embeddings[0][i].buffer)));
    }
  });
});
