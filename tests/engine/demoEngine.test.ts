import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { createEngine } from '../../workers/engine/engine';

import type { EngineApi, RunSummary } from '../../workers/engineApi';

// The engine on tfjs's cpu backend in Node, on the bundled demo. fetch is served from public/.
const PUBLIC = join(process.cwd(), 'public');
const BASE = 'http://lab.test/';

function serveFromPublic(): void {
  vi.stubGlobal('fetch', async (input: string | URL) => {
    const url = new URL(String(input));
    const path = join(PUBLIC, decodeURIComponent(url.pathname));
    try {
      return new Response(readFileSync(path));
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

describe('the engine on the bundled demo (tfjs cpu, Node)', () => {
  let engine: EngineApi;
  let run: RunSummary;

  beforeAll(async () => {
    serveFromPublic();
    engine = createEngine();
    const backend = await engine.init('cpu');
    expect(backend.name).toBe('cpu');
    run = await engine.loadDemo(BASE);
  }, 120_000);

  afterAll(() => {
    vi.unstubAllGlobals();
  });

  it('loadDemo reads the manifest, every logged step and the encoder architecture from the weights', () => {
    const manifest = JSON.parse(readFileSync(join(PUBLIC, 'models/fmnist-swav/manifest.json'), 'utf8'));
    const logRows = readFileSync(join(PUBLIC, 'models/fmnist-swav', manifest.log), 'utf8').trim().split('\n').length - 1;
    expect(run.checkpoints.length).toBe(manifest.checkpoints.length);
    expect(run.checkpoints.length).toBeGreaterThanOrEqual(8);
    expect(run.log.find((s) => s.id === 'loss')!.values.length).toBe(logRows);
    expect(run.architecture.inputChannels).toBe(1);
    expect(run.architecture.encoderParams).toBe(manifest.architecture.encoderParams);
    expect(run.architecture.encoderParams).toBeLessThanOrEqual(1_500_000);
    expect(run.nPrototypes).toBe(manifest.swav.nPrototypes);
  });

  it('verifyParity matches PyTorch within 1e-4 on every checkpoint', async () => {
    for (const c of run.checkpoints) {
      const report = await engine.verifyParity(c.index);
      expect(report.outputs.map((o) => o.name)).toEqual(['stem', 'stage1', 'stage2', 'stage3', 'stage4', 'pooled', 'projector', 'embedding', 'scores']);
      for (const o of report.outputs) expect(o.scaledDiff, `${o.name} at step ${c.step}`).toBeLessThanOrEqual(1e-4);
      expect(report.pass).toBe(true);
    }
  }, 120_000);

  it('analyzeCheckpoint gives finite views and leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    const options = { sampleCount: 32, seed: 5, ckaEstimator: 'unbiased' as const };
    const result = await engine.analyzeCheckpoint(run.checkpoints.length - 1, options, 'job-1', () => undefined);
    expect(tf.memory().numTensors).toBe(before);

    expect(result.pairs.map((p) => p.layer)).toEqual(['encoder', 'projection']);
    for (const p of result.pairs) {
      expect(p.validCount).toBe(32);
      expect(p.matching.total).toBe(32);
      expect(p.nonMatching.total).toBe(32 * 31);
      expect(p.auc).toBeGreaterThan(0.5);
    }
    const s = result.stageCka.labels.length;
    expect(result.stageCka.labels).toEqual(['stem', 'stage1', 'stage2', 'stage3', 'stage4', 'encoder', 'projection']);
    for (let i = 0; i < s; i++) expect(result.stageCka.values[i * s + i]).toBeCloseTo(1, 9);
    expect(result.weightSpectra.map((w) => w.name)).toEqual(['projector.0.weight', 'projector.3.weight', 'prototypes.weight']);
    for (const spectrum of [...result.weightSpectra, ...result.embeddingSpectra]) {
      expect(Number.isFinite(spectrum.effectiveRank)).toBe(true);
      expect(spectrum.values.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    }
  }, 120_000);

  it('the trained encoder separates matching from non-matching pairs better than its initialisation', async () => {
    const options = { sampleCount: 64, seed: 1, ckaEstimator: 'unbiased' as const };
    const first = await engine.analyzeCheckpoint(0, options, 'job-2', () => undefined);
    const last = await engine.analyzeCheckpoint(run.checkpoints.length - 1, options, 'job-3', () => undefined);
    const top1 = (r: typeof first) => r.pairs.find((p) => p.layer === 'projection')!.top1;
    expect(top1(last)).toBeGreaterThan(top1(first));
  }, 120_000);

  it('measureThroughput agrees with a plain LayersModel.predict and leaves no tensors behind', async () => {
    await engine.measureThroughput(16, 8);
    const before = tf.memory().numTensors;
    const report = await engine.measureThroughput(16, 8);
    expect(tf.memory().numTensors).toBe(before);
    expect(report.images).toBe(16);
    expect(report.maxAbsDiff).toBeLessThan(1e-5);
    expect(report.engineImagesPerSecond).toBeGreaterThan(0);
  }, 120_000);

  it('a cancelled job rejects with the cancelled code and the next one still runs', async () => {
    const options = { sampleCount: 256, seed: 9, ckaEstimator: 'unbiased' as const };
    const pending = engine.analyzeCheckpoint(2, options, 'job-cancel', () => undefined);
    await engine.cancel('job-cancel');
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    const again = await engine.analyzeCheckpoint(2, { ...options, sampleCount: 16 }, 'job-after', () => undefined);
    expect(again.pairs).toHaveLength(2);
  }, 120_000);
});
