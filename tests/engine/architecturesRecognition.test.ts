import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { readCheckpoint } from '../../src/io/checkpoint';
import { LabError } from '../../src/io/errors';
import { stageWidths, summariseArchitecture } from '../../workers/models/architectureSummary';
import { buildModel, recogniseStateDict } from '../../workers/models/buildModel';
import { countParameters, recogniseShapes } from '../../workers/models/recognise';
import { normalizeKeys } from '../../workers/models/stateDictKeys';

import type { HostTensor } from '../../src/io/checkpoint';
import type { Recognition } from '../../workers/models/recognise';

// Recognition from keys and shapes alone: full-size models as key -> shape tables that torch
// wrote (tools/make_architecture_fixtures.py), and refusals of files that do not fit.
const FIXTURES = join(process.cwd(), 'tests/fixtures/architectures');

interface Table {
  name: string;
  tensors: [string, number[], string][];
  expected: {
    family: 'xresnet' | 'torchvision-resnet' | null;
    block?: 'basic' | 'bottleneck';
    layers?: number[];
    stemChannels?: number[];
    stageWidths?: number[];
    stageChannels?: number[];
    inputChannels?: number;
    pooling?: 'max-avg' | 'avg';
    encoderDim?: number;
    encoderParams?: number;
    totalParams?: number;
    classes?: number | null;
    projectionDim?: number | null;
    nPrototypes?: number | null;
  };
}

const TABLES = ['resnet18', 'resnet34', 'resnet50', 'xresnet18_encoder', 'xresnet34_encoder', 'xresnet50_encoder', 'xresnet50_full_classifier', 'swav_resnet50_ddp', 'fastai_resnet34_finetuned'];

function readTable(name: string): Table {
  return JSON.parse(readFileSync(join(FIXTURES, 'tables', `${name}.json`), 'utf8')) as Table;
}

/** The table's keys stripped of wrapper prefixes, then recognised, as recogniseStateDict does. */
function recogniseTable(table: Table): Recognition {
  const { table: shapes } = normalizeKeys(new Map(table.tensors.map(([key, shape]) => [key, shape])));
  return recogniseShapes(shapes, table.tensors.map(([key]) => key));
}

function readState(file: string): Map<string, HostTensor> {
  return readCheckpoint(new Uint8Array(readFileSync(join(FIXTURES, file))), file).tensors;
}

/** Catches what `run` throws, so several properties of one error can be asserted. */
function thrown(run: () => unknown): LabError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LabError);
    return error as LabError;
  }
  throw new Error('expected a LabError, nothing was thrown');
}

function zeros(shape: number[]): HostTensor {
  return { sourceDtype: 'float32', shape, values: new Float32Array(shape.reduce((a, b) => a * b, 1)) };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('recognition of full-size models from their key -> shape tables', () => {
  for (const name of TABLES) {
    it(`${name} is recognised with the family, depth, widths, stage channels and parameter counts torch reported`, () => {
      const table = readTable(name);
      const e = table.expected;
      const { architecture: arch, expected, unusedKeys } = recogniseTable(table);
      const summary = summariseArchitecture(arch, expected);

      expect(arch.family).toBe(e.family);
      expect(arch.family === 'xresnet' ? (arch.encoder.expansion === 4 ? 'bottleneck' : 'basic') : arch.encoder.block).toBe(e.block);
      expect(arch.encoder.stages.map((s) => s.length)).toEqual(e.layers);
      expect(arch.family === 'xresnet' ? arch.encoder.stem.map((c) => c.outChannels) : [arch.encoder.stem.outChannels]).toEqual(e.stemChannels);
      expect(stageWidths(arch)).toEqual(e.stageWidths);
      expect(summary.stageChannels).toEqual(e.stageChannels);
      expect(summary.stageNames).toEqual(['stem', 'stage1', 'stage2', 'stage3', 'stage4']);
      expect(summary.inputChannels).toBe(e.inputChannels);
      expect(arch.pooling).toBe(e.pooling);
      expect(summary.encoderDim).toBe(e.encoderDim);
      expect(summary.encoderParams).toBe(e.encoderParams);
      expect(countParameters(expected)).toBe(e.totalParams);
      expect(arch.classifier?.classes ?? null).toBe(e.classes);
      expect(summary.projectionDim).toBe(e.projectionDim);
      expect(summary.nPrototypes).toBe(e.nPrototypes);
      expect(unusedKeys).toEqual([]);
    });
  }

  it('the facebookresearch/swav layout reads as a torchvision ResNet-50 under module. with its projection head and prototypes', () => {
    const { architecture: arch, expected } = recogniseTable(readTable('swav_resnet50_ddp'));
    expect(arch.family === 'torchvision-resnet' && arch.encoder.naming).toBe('torchvision');
    expect(arch.encoder.prefix).toBe('');
    expect(arch.head?.prefix).toBe('projection_head.');
    // conv1 by shape only: 7x7, stride 2, padding 3 (swav's ConstantPad2d(1) + padding 2 is the same).
    expect(arch.family === 'torchvision-resnet' && arch.encoder.stem).toMatchObject({ kernel: 7, stride: 2, outChannels: 64 });
    expect(summariseArchitecture(arch, expected).description).toBe(
      'torchvision-style ResNet (bottleneck blocks, layers [3, 4, 6, 3], widths [64, 128, 256, 512], stem 7x7 64) + SwAV projector 2048->128 + 3000 prototypes',
    );
  });

  it('a fastai vision_learner head is read as BatchNorm1d, Linear(no bias), ReLU, BatchNorm1d, Linear after a concat pool', () => {
    const { architecture: arch } = recogniseTable(readTable('fastai_resnet34_finetuned'));
    expect(arch.family === 'torchvision-resnet' && arch.encoder.naming).toBe('fastai-body');
    expect(arch.classifier?.layers).toEqual([
      { kind: 'batchnorm', key: '1.2', features: 1024 },
      { kind: 'linear', key: '1.4', inFeatures: 1024, outFeatures: 512, bias: false, reluAfter: true },
      { kind: 'batchnorm', key: '1.6', features: 512 },
      { kind: 'linear', key: '1.8', inFeatures: 512, outFeatures: 37, bias: false, reluAfter: false },
    ]);
  });

  it('a whole fastai XResNet reads its child-11 Linear as the classifier after an average pool', () => {
    const { architecture: arch } = recogniseTable(readTable('xresnet50_full_classifier'));
    expect(arch.pooling).toBe('avg');
    expect(arch.classifier).toMatchObject({ prefix: '', minIndex: 8, inFeatures: 2048, classes: 1000 });
    expect(arch.family === 'xresnet' && arch.encoder.stages[0][0].idConv?.key).toBe('4.0.idpath.0');
  });
});

describe('refusals', () => {
  it('a ViT state dict is refused as unknown_architecture, naming what was looked for and the first keys', () => {
    const table = readTable('vit_b_16');
    const raw = new Map(table.tensors.map(([key]) => [key, zeros([1])]));
    const before = tf.memory().numTensors;
    const error = thrown(() => buildModel(raw));
    expect(error.code).toBe('unknown_architecture');
    expect(error.message).toMatch(/^The checkpoint matches no architecture the lab knows\. It looked for: fastai XResNet/);
    expect(error.message).toContain("'4.0.convpath.0.0.weight'");
    expect(error.message).toContain("'layer1.0.conv1.weight'");
    expect(error.message).toContain(`The file's first keys are 'class_token', 'conv_proj.weight', 'conv_proj.bias', 'encoder.pos_embedding'`);
    expect(error.message).toContain(`(${table.tensors.length} keys in all)`);
    expect(error.details.firstKeys).toEqual(table.tensors.slice(0, 8).map(([key]) => key));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a ResNet with one missing key and one wrong shape is refused with a strict-load report naming both', () => {
    const raw = new Map(readState('resnet18_w4_fc_half.pth'));
    raw.delete('layer3.1.bn2.running_var');
    raw.set('layer2.1.conv1.weight', zeros([8, 8, 1, 1]));
    const before = tf.memory().numTensors;
    const error = thrown(() => buildModel(raw));
    expect(error.code).toBe('state_dict_mismatch');
    expect(error.message).toContain('Missing keys (1): layer3.1.bn2.running_var.');
    expect(error.message).toContain('Shape mismatch for layer2.1.conv1.weight: the architecture needs [8, 8, 3, 3], the file has [8, 8, 1, 1].');
    expect(error.message).not.toContain('Unexpected keys');
    expect(error.details).toMatchObject({
      family: 'torchvision-resnet',
      missing: ['layer3.1.bn2.running_var'],
      unexpected: [],
      shapeMismatches: [{ key: 'layer2.1.conv1.weight', expected: [8, 8, 3, 3], found: [8, 8, 1, 1] }],
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('an unread key inside the ResNet trunk is refused as unexpected, while one outside it is only listed as unused', () => {
    const raw = new Map(readState('resnet18_w4_fc_half.pth'));
    raw.set('queue', zeros([4, 16]));
    expect(recogniseStateDict(raw).unusedKeys).toEqual(['queue']);

    raw.set('layer1.0.conv9.weight', zeros([4, 4, 3, 3]));
    const error = thrown(() => recogniseStateDict(raw));
    expect(error.code).toBe('state_dict_mismatch');
    expect(error.message).toContain('Unexpected keys (1): layer1.0.conv9.weight.');
    expect(error.message).not.toContain('Missing keys');
  });

  it('an XResNet missing one BatchNorm tensor is refused with the key in the report', () => {
    const raw = new Map(readState('xresnet_basic_bare.pth'));
    raw.delete('5.0.convpath.1.1.weight');
    const error = thrown(() => recogniseStateDict(raw));
    expect(error.code).toBe('state_dict_mismatch');
    expect(error.message).toContain('Missing keys (1): 5.0.convpath.1.1.weight.');
    expect(error.message).toContain("Recognised a fastai XResNet under the prefix ''");
  });

  it('a report on a module.-prefixed file names the keys without the prefix and says so', () => {
    const raw = new Map(readState('resnet50_w2_swav_ddp.pth'));
    raw.delete('module.layer4.0.downsample.1.running_mean');
    const error = thrown(() => recogniseStateDict(raw));
    expect(error.message).toContain('Missing keys (1): layer4.0.downsample.1.running_mean.');
    expect(error.message).toContain('shown without wrapper prefixes (module., _orig_mod.)');
  });

  it('a classifier whose width fits neither pool of the encoder is refused as not belonging to it', () => {
    const raw = new Map(readState('resnet18_w4_fc_half.pth'));
    raw.set('fc.weight', zeros([10, 48]));
    const error = thrown(() => recogniseStateDict(raw));
    expect(error.code).toBe('state_dict_mismatch');
    expect(error.message).toBe(
      "The heads read 48 features, but the encoder's last stage has 32 channels: 32 after an average pool, 64 after fastai's concat pool. The head does not belong to this encoder.",
    );
  });

  it('a grouped 3x3 convolution (ResNeXt) is refused as not_implemented', () => {
    const table = readTable('resnet50');
    const { table: shapes } = normalizeKeys(new Map(table.tensors.map(([key, shape]) => [key, key === 'layer1.0.conv2.weight' ? [64, 2, 3, 3] : shape])));
    const error = thrown(() => recogniseShapes(shapes));
    expect(error.code).toBe('not_implemented');
    expect(error.message).toMatch(/^layer1\.0\.conv2\.weight takes 2 of 64 channels per filter: a grouped convolution \(ResNeXt, groups = 32\)/);
  });
});
