import { describe, expect, it } from 'vitest';

import { readCheckpoint, readSafetensors, writeSafetensors } from '../../../src/io/checkpoint';
import { EXPECTED, expectAllTensors, fixtureBytes } from './checkpointFixtures';

import type { SafetensorsTensorInput } from '../../../src/io/checkpoint';

/** A safetensors file with `header` as its JSON (unpadded) and `data` after it. */
function rawFile(header: unknown, data = new Uint8Array(0)): Uint8Array {
  const text = typeof header === 'string' ? header : JSON.stringify(header);
  const json = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const tensor = (dtype: string, shape: number[], begin: number, end: number) => ({
  dtype,
  shape,
  data_offsets: [begin, end],
});

describe('readSafetensors', () => {
  it('reads a file written by hand in Python, misaligned I64 included, with its metadata', () => {
    const { tensors, metadata } = readSafetensors(fixtureBytes('valid.safetensors'));

    expectAllTensors(tensors, 'valid.safetensors');
    expect(metadata).toEqual({ format: 'pt', step: '120' });
  });

  it('is what readCheckpoint returns for safetensors, whatever the file is called', () => {
    const checkpoint = readCheckpoint(fixtureBytes('valid.safetensors'), 'weights.pth');

    expect(checkpoint.format).toBe('safetensors');
    expect(checkpoint.metadata).toEqual(EXPECTED['valid.safetensors'].metadata);
    expect(checkpoint.wrapperKey).toBeNull();
    expectAllTensors(checkpoint.tensors, 'valid.safetensors');
  });

  it('refuses a header that lies about the tensor sizes, saying so', () => {
    const bytes = fixtureBytes('lying_header.safetensors');

    expect(() => readCheckpoint(bytes, 'lie.safetensors')).toThrowError(
      expect.objectContaining({
        code: 'corrupt_file',
        message: expect.stringMatching(/^lie\.safetensors: This safetensors file is malformed: its tensors span 400 bytes of data but the file holds 16, so the file is truncated or its header lies about the sizes/),
      }),
    );
  });

  const malformed: [string, Uint8Array, RegExp][] = [
    ['a header larger than the cap', (() => { const b = new Uint8Array(16); new DataView(b.buffer).setBigUint64(0, 200_000_000n, true); b[8] = 0x7b; return b; })(), /header claims 200000000 bytes, more than the 100000000 allowed/],
    ['a header past the end of the file', (() => { const b = rawFile({}); new DataView(b.buffer).setUint32(0, 50, true); return b; })(), /header claims 50 bytes but the file has only 2 after the length, so it is truncated/],
    ['a header that is not JSON', rawFile('{"a": nope}'), /its header is not valid UTF-8 JSON/],
    ['an unknown dtype', rawFile({ w: tensor('F33', [1], 0, 4) }, new Uint8Array(4)), /tensor 'w' has the unknown dtype 'F33'/],
    ['a length that does not match the shape', rawFile({ w: tensor('F32', [2, 2], 0, 12) }, new Uint8Array(12)), /tensor 'w' has shape \[2, 2\] of F32, which needs 16 bytes, but its data_offsets \[0, 12\] span 12/],
    ['a gap between tensors', rawFile({ a: tensor('U8', [2], 0, 2), b: tensor('U8', [2], 3, 5) }, new Uint8Array(5)), /tensor 'b' starts at byte 3 of the data instead of 2, leaving a gap/],
    ['overlapping tensors', rawFile({ a: tensor('U8', [2], 0, 2), b: tensor('U8', [2], 1, 3) }, new Uint8Array(3)), /tensor 'b' starts at byte 1 of the data instead of 2, overlapping the previous tensor/],
    ['bytes after the last tensor', rawFile({ a: tensor('U8', [2], 0, 2) }, new Uint8Array(3)), /its tensors span 2 bytes of data but the file holds 3, leaving unexplained bytes at the end/],
    ['a negative shape', rawFile({ a: tensor('U8', [-1], 0, 0) }), /tensor 'a' has a shape that is not a list of non-negative integers/],
    ['a repeated tensor name', rawFile('{"a": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}, "a": {"dtype": "U8", "shape": [1], "data_offsets": [1, 2]}}', new Uint8Array(2)), /its header names 'a' twice/],
    ['non-string metadata', rawFile({ __metadata__: { step: 3 } }), /its __metadata__ entry 'step' is not a string/],
  ];

  it.each(malformed)('refuses %s as corrupt_file, naming the problem', (_, bytes, message) => {
    expect(() => readSafetensors(bytes)).toThrowError(
      expect.objectContaining({ code: 'corrupt_file', message: expect.stringMatching(message) }),
    );
  });

  it("keeps a metadata key named '__proto__' as a plain entry", () => {
    const { metadata } = readSafetensors(rawFile('{"__metadata__": {"__proto__": "x", "a": "b"}}'));

    expect(Object.keys(metadata)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
  });

  it('refuses valid dtypes it cannot decode as unsupported_dtype, naming the tensor', () => {
    const bytes = rawFile({ q: tensor('F8_E4M3', [4], 0, 4) }, new Uint8Array(4));

    expect(() => readSafetensors(bytes)).toThrowError(
      expect.objectContaining({
        code: 'unsupported_dtype',
        message: expect.stringMatching(/Tensor 'q' has dtype F8_E4M3, which the lab cannot decode/),
      }),
    );
  });

  it('refuses, through readCheckpoint, a file with no tensors', () => {
    expect(() => readCheckpoint(rawFile({ __metadata__: {} }), 'empty.safetensors')).toThrow(
      /This safetensors file holds no tensors/,
    );
  });
});

describe('writeSafetensors', () => {
  const input = new Map<string, SafetensorsTensorInput>([
    ['head.weight', { dtype: 'F16', shape: [3], values: [1, -0.5, 70000] }],
    ['0', { dtype: 'F32', shape: [2, 2], values: [1.5, -2, 3.25, 1e-8] }],
    ['1.num_batches_tracked', { dtype: 'I64', shape: [], values: [7] }],
    ['empty', { dtype: 'F32', shape: [0, 3], values: [] }],
  ]);

  it('round-trips values through readSafetensors, keeping the caller order and metadata', () => {
    const bytes = writeSafetensors(input, { arch: 'xresnet18', step: '40' });

    const { tensors, metadata } = readSafetensors(bytes);

    expect([...tensors.keys()]).toEqual(['head.weight', '0', '1.num_batches_tracked', 'empty']);
    expect(metadata).toEqual({ arch: 'xresnet18', step: '40' });
    expect(tensors.get('head.weight')).toEqual(
      { sourceDtype: 'float16', shape: [3], values: new Float32Array([1, -0.5, Infinity]) },
    );
    expect(tensors.get('0')).toEqual(
      { sourceDtype: 'float32', shape: [2, 2], values: new Float32Array([1.5, -2, 3.25, 1e-8]) },
    );
    expect(tensors.get('1.num_batches_tracked')).toEqual(
      { sourceDtype: 'int64', shape: [], values: new Float64Array([7]) },
    );
    expect(tensors.get('empty')?.shape).toEqual([0, 3]);
  });

  it('pads the header to 8-byte multiples with spaces and aligns each tensor to its size', () => {
    const bytes = writeSafetensors(input);
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength));
    const header = JSON.parse(text) as Record<string, { dtype: string; data_offsets: number[] }>;

    expect(headerLength % 8).toBe(0);
    expect(bytes[8 + headerLength - 1]).toBe(0x20);
    expect(header).not.toHaveProperty('__metadata__');
    for (const { dtype, data_offsets: [begin] } of Object.values(header)) {
      expect(begin % { F16: 2, F32: 4, I64: 8 }[dtype as 'F16']).toBe(0);
    }
    expect(bytes.length).toBe(8 + headerLength + 6 + 16 + 8);
  });

  it('refuses values that do not match the shape, non-integer I64 values and a reserved name', () => {
    const write = (name: string, t: SafetensorsTensorInput) => () =>
      writeSafetensors(new Map([[name, t]]));

    expect(write('w', { dtype: 'F32', shape: [2, 2], values: [1, 2, 3] })).toThrow(
      /Tensor 'w' has shape \[2, 2\] \(4 elements\) but 3 values/,
    );
    expect(write('n', { dtype: 'I64', shape: [1], values: [1.5] })).toThrow(
      /Tensor 'n' is I64 but value 0 is 1\.5, not an integer within ±2\^53/,
    );
    expect(write('__metadata__', { dtype: 'F32', shape: [], values: [0] })).toThrow(
      /cannot be named '__metadata__'/,
    );
  });
});
