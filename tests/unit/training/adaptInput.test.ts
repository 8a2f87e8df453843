import { describe, expect, it } from 'vitest';

import { adaptChannels } from '../../../workers/training/channels';
import { widenFirstConv } from '../../../workers/models/adaptInput';
import { stackRgbNir } from '../../../workers/engine/userImport';

import type { HostTensor } from '../../../src/io/checkpoint';

describe('input adaptation', () => {
  it('widenFirstConv gives each added channel the mean of the existing filters and scales all by from / to', () => {
    // Two output filters over 3 input channels, 1x1 kernels: [[1, 2, 3], [4, 5, 9]].
    const weight: HostTensor = { sourceDtype: 'float32', shape: [2, 3, 1, 1], values: Float32Array.from([1, 2, 3, 4, 5, 9]) };
    const bn: HostTensor = { sourceDtype: 'float32', shape: [2], values: Float32Array.from([1, 1]) };
    const result = widenFirstConv(new Map([['0.0.weight', weight], ['0.1.weight', bn]]), 4)!;
    expect(result.key).toBe('0.0.weight');
    expect(result.from).toBe(3);
    expect(result.tensors.get('0.0.weight')!.shape).toEqual([2, 4, 1, 1]);
    // [1, 2, 3, mean 2] and [4, 5, 9, mean 6], times 3/4.
    expect(Array.from(result.tensors.get('0.0.weight')!.values)).toEqual([0.75, 1.5, 2.25, 1.5, 3, 3.75, 6.75, 4.5]);
    expect(result.tensors.get('0.1.weight')).toBe(bn);
    expect(weight.shape).toEqual([2, 3, 1, 1]);
  });

  it('widenFirstConv leaves a checkpoint alone when the images have no more channels than it takes', () => {
    const weight: HostTensor = { sourceDtype: 'float32', shape: [1, 3, 1, 1], values: Float32Array.from([1, 2, 3]) };
    expect(widenFirstConv(new Map([['w', weight]]), 3)).toBeNull();
  });

  it('stackRgbNir takes R, G, B from the photo and the third band (NIR) of the RGN image', () => {
    const rgb = Uint8Array.from([10, 20, 30, 11, 21, 31]);
    const rgn = Uint8Array.from([1, 2, 200, 3, 4, 201]);
    expect(Array.from(stackRgbNir(rgb, rgn, 1, 2))).toEqual([10, 20, 30, 200, 11, 21, 31, 201]);
  });

  it('adaptChannels replicates gray to RGB, takes BT.601 luma of RGB, and refuses other counts by name', () => {
    expect(Array.from(adaptChannels(Float32Array.from([0.5]), 1, 3))).toEqual([0.5, 0.5, 0.5]);
    expect(adaptChannels(Float32Array.from([1, 0, 0]), 3, 1)[0]).toBeCloseTo(0.299, 6);
    expect(() => adaptChannels(new Float32Array(4), 4, 1)).toThrow(/takes 1 input channels but the images have 4/);
  });
});
