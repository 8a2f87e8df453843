import { describe, expect, it } from 'vitest';

import { readCheckpoint, readSafetensors, writeSafetensors } from '../../../src/io/checkpoint';
import { expectAllTensors, fixtureBytes } from './checkpointFixtures';

import type { HostTensor } from '../../../src/io/checkpoint';

describe('readCheckpoint on tensors that share one storage (B03)', () => {
  it('gives each view of a shared storage its own offset and strides', () => {
    const { tensors } = readCheckpoint(fixtureBytes('shared_views.pth'), 'views.pth');

    expectAllTensors(tensors, 'shared_views.pth');
    expect(Array.from(tensors.get('B')?.values ?? [])).toEqual([0, 1, 2]);
    expect(Array.from(tensors.get('C')?.values ?? [])).toEqual([3, 4, 5]);
    expect(tensors.get('T')?.shape).toEqual([3, 2]);
    expect(Array.from(tensors.get('T')?.values ?? [])).toEqual([0, 3, 1, 4, 2, 5]);
    expect(Array.from(tensors.get('S')?.values ?? [])).toEqual([1, 2, 4, 5]);
    expect(Array.from(tensors.get('E')?.values ?? [])).toEqual([0, 1, 2, 0, 1, 2]);
    expect(Array.from(tensors.get('L')?.values ?? [])).toEqual([2, 5]);
  });

  it('reads the legacy format views to the same values as the zip format', () => {
    const zip = readCheckpoint(fixtureBytes('shared_views.pth'), 'views.pth').tensors;
    const legacy = readCheckpoint(fixtureBytes('shared_views_legacy.pth'), 'views_legacy.pth');

    expect(legacy.format).toBe('pth-legacy');
    expectAllTensors(legacy.tensors, 'shared_views_legacy.pth');
    expect(legacy.tensors).toEqual(zip);
  });

  it('returns tensors that share no memory with each other, even tied ones', () => {
    const { tensors } = readCheckpoint(fixtureBytes('shared_views.pth'), 'views.pth');
    const head = tensors.get('head.weight') as HostTensor;
    const embed = tensors.get('embed.weight') as HostTensor;

    head.values[0] = 99;
    (tensors.get('B') as HostTensor).values[1] = -7;

    expect(embed.values[0]).toBe(1);
    expect((tensors.get('A') as HostTensor).values[1]).toBe(1);
  });

  it('exports the views to non-overlapping safetensors ranges that read back identically', () => {
    const { tensors } = readCheckpoint(fixtureBytes('shared_views.pth'), 'views.pth');
    const floats = new Map([...tensors].filter(([, t]) => t.sourceDtype === 'float32'));
    const inputs = [...floats].map(
      ([name, t]) => [name, { dtype: 'F32' as const, shape: t.shape, values: t.values }] as const,
    );
    const exported = writeSafetensors(new Map(inputs));

    const reread = readSafetensors(exported).tensors;

    expect([...reread.keys()]).toEqual([...floats.keys()]);
    for (const [name, tensor] of floats) expect(reread.get(name), name).toEqual(tensor);
  });
});
