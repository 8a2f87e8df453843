import { describe, expect, it } from 'vitest';

import { StorageRef, TensorRef } from '../../../src/io/checkpoint/pyValues';
import { materializeTensor } from '../../../src/io/checkpoint/tensorRebuild';

import type { SourceDType } from '../../../src/io/checkpoint';

/** A tensor over a storage holding `bytes`, with `numel` elements of `dtype`. */
function tensorOver(
  dtype: SourceDType,
  bytes: Uint8Array,
  numel: number,
  shape: number[],
  stride: number[],
  offset = 0,
): { ref: TensorRef; read: () => ReturnType<typeof materializeTensor> } {
  const storage = new StorageRef(`torch.${dtype}Storage`, true, dtype, '0', 'cpu', numel);
  const ref = new TensorRef(storage, dtype, storage.storageClass, offset, shape, stride);
  return { ref, read: () => materializeTensor('t', ref, () => bytes) };
}

const f32 = (values: number[]): Uint8Array => new Uint8Array(new Float32Array(values).buffer);

describe('materializeTensor', () => {
  it('copies a contiguous window starting at the storage offset', () => {
    const { read } = tensorOver('float32', f32([0, 1, 2, 3, 4, 5, 6]), 7, [2, 2], [2, 1], 3);

    expect(read()).toEqual(
      { sourceDtype: 'float32', shape: [2, 2], values: new Float32Array([3, 4, 5, 6]) },
    );
  });

  it('gathers non-contiguous strides, including a zero stride, in row-major order', () => {
    const storage = f32([0, 1, 2, 3, 4, 5]);

    expect(Array.from(tensorOver('float32', storage, 6, [3, 2], [1, 3]).read().values)).toEqual(
      [0, 3, 1, 4, 2, 5],
    );
    expect(Array.from(tensorOver('float32', storage, 6, [2, 3], [0, 1], 1).read().values)).toEqual(
      [1, 2, 3, 1, 2, 3],
    );
    expect(Array.from(tensorOver('float32', storage, 6, [2, 1, 2], [3, 99, 2]).read().values)).toEqual([0, 2, 3, 5]);
  });

  it('reads a 0-dim tensor as one value and an empty tensor as none', () => {
    expect(tensorOver('float32', f32([9, 8]), 2, [], [], 1).read()).toEqual(
      { sourceDtype: 'float32', shape: [], values: new Float32Array([8]) },
    );
    expect(tensorOver('int64', new Uint8Array(0), 0, [0, 4], [4, 1]).read()).toEqual(
      { sourceDtype: 'int64', shape: [0, 4], values: new Float64Array(0) },
    );
  });

  it('refuses a window past the end of its storage, printing shape, stride and offset', () => {
    const { read } = tensorOver('float32', f32([0, 1, 2, 3]), 4, [2, 2], [2, 1], 1);

    expect(read).toThrowError(
      expect.objectContaining({
        code: 'corrupt_file',
        message: expect.stringMatching(/Tensor 't' \(shape \[2, 2\], stride \[2, 1\], offset 1\) reaches element 4 of a storage with 4 elements/),
      }),
    );
  });

  it('decodes every integer dtype exactly and bool as 0 or 1', () => {
    const cases: [SourceDType, ArrayBufferView, number[]][] = [
      ['int32', new Int32Array([-(2 ** 31), 2 ** 31 - 1]), [-(2 ** 31), 2 ** 31 - 1]],
      ['int16', new Int16Array([-32768, 7]), [-32768, 7]],
      ['int8', new Int8Array([-128, 127]), [-128, 127]],
      ['uint8', new Uint8Array([0, 255]), [0, 255]],
      ['bool', new Uint8Array([0, 1]), [0, 1]],
      ['int64', new BigInt64Array([-(2n ** 53n), 2n ** 53n]), [-(2 ** 53), 2 ** 53]],
    ];
    for (const [dtype, typed, expected] of cases) {
      const bytes = new Uint8Array(typed.buffer);
      const tensor = tensorOver(dtype, bytes, expected.length, [expected.length], [1]).read();
      expect(tensor.values, dtype).toEqual(new Float64Array(expected));
    }
  });

  it('reads misaligned int64 data by copying it to an aligned buffer first', () => {
    const padded = new Uint8Array(1 + 16);
    padded.set(new Uint8Array(new BigInt64Array([5n, -6n]).buffer), 1);

    const tensor = tensorOver('int64', padded.subarray(1), 2, [2], [1]).read();

    expect(Array.from(tensor.values)).toEqual([5, -6]);
  });

  it('refuses an int64 element beyond 2^53 only when the tensor uses it', () => {
    const bytes = new Uint8Array(new BigInt64Array([1n, 2n ** 60n, 3n]).buffer);

    expect(Array.from(tensorOver('int64', bytes, 3, [2], [2]).read().values)).toEqual([1, 3]);
    expect(tensorOver('int64', bytes, 3, [3], [1]).read).toThrow(
      /Tensor 't' holds an int64 value beyond ±2\^53 at element 1/,
    );
  });

  it('refuses a shape past the per-tensor element cap before reading anything', () => {
    const { read } = tensorOver('float32', f32([1]), 1, [2 ** 20, 2 ** 20], [0, 0]);

    expect(read).toThrow(
      /Tensor 't' has shape \[1048576, 1048576\], 1099511627776 elements, more than the 268435456/,
    );
  });

  it('reads a tensor of an untyped storage with the dtype _rebuild_tensor_v3 gives it', () => {
    const storage = new StorageRef('torch.UntypedStorage', true, null, '0', 'cpu', 8);
    const ref = new TensorRef(storage, 'float32', 'torch.float32', 0, [2], [1]);

    expect(Array.from(materializeTensor('u', ref, () => f32([1.5, 2.5])).values)).toEqual(
      [1.5, 2.5],
    );
  });
});
