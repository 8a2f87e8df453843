import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';

import { readCheckpoint } from '../../../src/io/checkpoint';
import { expectAllTensors, fixtureBytes } from './checkpointFixtures';
import { buildZip } from './zipBuilder';

import type { ZipFileSpec } from './zipBuilder';

/** The entries of a fixture zip (read with fflate, independently of our reader), renamed. */
function entriesOf(file: string, rename: (name: string) => string = (n) => n): ZipFileSpec[] {
  const entries = Object.entries(unzipSync(fixtureBytes(file)));
  return entries.map(([name, data]) => ({ name: rename(name), data }));
}

describe('readCheckpoint on torch.save zip archives', () => {
  it('reads every dtype of a torch 1.13 state dict exactly, int64 num_batches_tracked too', () => {
    const checkpoint = readCheckpoint(fixtureBytes('zip_dtypes.pth'), 'zip_dtypes.pth');

    expect(checkpoint.format).toBe('pth-zip');
    expect(checkpoint.wrapperKey).toBeNull();
    expect(checkpoint.placeholders).toEqual([]);
    expect(checkpoint.extras).toEqual({});
    expectAllTensors(checkpoint.tensors, 'zip_dtypes.pth');
    expect(checkpoint.tensors.get('1.num_batches_tracked')).toEqual({
      sourceDtype: 'int64',
      shape: [],
      values: new Float64Array([7]),
    });
  });

  it('decodes float16 subnormals, infinities, NaN and -0 bit-exactly', () => {
    const half = readCheckpoint(fixtureBytes('zip_dtypes.pth'), 'm.pth').tensors.get('extra.f16');

    expect(half?.shape).toEqual([11]);
    expect(Array.from(half?.values ?? [])).toEqual([
      0, -0, 1, -2.5, 65504, 2 ** -14, 2 ** -24, 0.333007812, Infinity, -Infinity, NaN,
    ].map(Math.fround));
  });

  it("finds data.pkl under the 'archive/' root that saves to a BytesIO use", () => {
    const checkpoint = readCheckpoint(fixtureBytes('zip_bytesio.pth'), 'buffer.pth');

    expectAllTensors(checkpoint.tensors, 'zip_bytesio.pth');
  });

  it('reads a protocol 4 pickle (FRAME, MEMOIZE, STACK_GLOBAL, SHORT_BINUNICODE)', () => {
    const checkpoint = readCheckpoint(fixtureBytes('zip_protocol4.pth'), 'p4.pth');

    expectAllTensors(checkpoint.tensors, 'zip_protocol4.pth');
  });

  it('reads DEFLATE entries of an archive a user unzipped and re-zipped', () => {
    const checkpoint = readCheckpoint(fixtureBytes('zip_deflate.pth'), 'rezipped.pth');

    expectAllTensors(checkpoint.tensors, 'zip_deflate.pth');
  });

  it('detects the format from the content whatever the extension says (B05)', () => {
    const bytes = fixtureBytes('zip_dtypes.pth');
    const reference = readCheckpoint(bytes, 'model.pth').tensors;

    const names = ['model.pyth', 'model.ckpt', 'model.pth.tar', 'weights.safetensors', 'noext'];
    for (const name of names) {
      const checkpoint = readCheckpoint(bytes, name);
      expect(checkpoint.format, name).toBe('pth-zip');
      expect(checkpoint.tensors, name).toEqual(reference);
    }
  });

  it('reads the same tensors through ZIP64 sizes, offsets and end records', () => {
    const zip64 = buildZip(entriesOf('zip_dtypes.pth'), { zip64: true, comment: 'zip64 copy' });

    expectAllTensors(readCheckpoint(zip64, 'z64.pth').tensors, 'zip_dtypes.pth');
  });

  it('uses the root folder of data.pkl, whatever it is named, for the storage records', () => {
    const rename = (name: string): string => name.replace('zip_dtypes/', 'some run/');
    const renamed = buildZip(entriesOf('zip_dtypes.pth', rename));

    expectAllTensors(readCheckpoint(renamed, 'r.pth').tensors, 'zip_dtypes.pth');
  });

  it("accepts a byteorder record that says 'little'", () => {
    const files = [...entriesOf('zip_dtypes.pth'), byteorderRecord('little')];

    expectAllTensors(readCheckpoint(buildZip(files), 'le.pth').tensors, 'zip_dtypes.pth');
  });

  it("refuses a byteorder record that says 'big' with a message saying how to re-save", () => {
    const files = [...entriesOf('zip_dtypes.pth'), byteorderRecord('big')];

    expect(() => readCheckpoint(buildZip(files), 'be.pth')).toThrow(
      /be\.pth: .*saved on a big-endian machine.*save it again/,
    );
  });

  it('refuses a truncated archive, saying it looks truncated', () => {
    expect(() => readCheckpoint(fixtureBytes('truncated.pth'), 'truncated.pth')).toThrowError(
      expect.objectContaining({
        code: 'corrupt_file',
        message: expect.stringMatching(/^truncated\.pth: This zip archive is damaged: there is no end-of-central-directory record .*truncated/),
      }),
    );
  });

  it('refuses an archive whose storage bytes fail their CRC-32 check, naming the entry', () => {
    const damaged = buildZip(entriesOf('zip_dtypes.pth'));
    damaged[findPayload(damaged, 'zip_dtypes/data/0')] ^= 0xff; // after the CRC was recorded

    expect(() => readCheckpoint(damaged, 'flip.pth')).toThrow(
      /entry 'zip_dtypes\/data\/0' fails its CRC-32 check/,
    );
  });

  it('refuses an archive that lacks a storage record a tensor needs, naming the record', () => {
    const files = entriesOf('zip_dtypes.pth').filter((f) => f.name !== 'zip_dtypes/data/3');

    expect(() => readCheckpoint(buildZip(files), 'gap.pth')).toThrow(
      /storage 3 should be the record zip_dtypes\/data\/3 of 8 bytes, but the archive has no such record/,
    );
  });

  it('refuses a TorchScript archive and says to save the state dict instead', () => {
    const constants = { name: 'zip_dtypes/constants.pkl', data: Uint8Array.of(0x80, 2, 0x29, 0x2e) };
    const files = [...entriesOf('zip_dtypes.pth'), constants];

    expect(() => readCheckpoint(buildZip(files), 'scripted.pt')).toThrow(
      /TorchScript archive \(torch\.jit\.save\).*torch\.save\(model\.state_dict\(\)\)/,
    );
  });

  it('refuses a NumPy .npz archive by name', () => {
    const npz = buildZip([{ name: 'w.npy', data: new Uint8Array([0x93, 0x4e, 0x55, 0x4d]) }]);

    expect(() => readCheckpoint(npz, 'w.npz')).toThrow(
      /NumPy \.npz archive, not a PyTorch checkpoint/,
    );
  });

  it('refuses int64 values beyond 2^53, naming the tensor and the element', () => {
    expect(() => readCheckpoint(fixtureBytes('int64_huge.pth'), 'huge.pth')).toThrowError(
      expect.objectContaining({
        code: 'unsupported_dtype',
        message: expect.stringMatching(/Tensor 'big' holds an int64 value beyond ±2\^53 at element 0/),
      }),
    );
  });
});

function byteorderRecord(order: string): ZipFileSpec {
  return { name: 'zip_dtypes/byteorder', data: new TextEncoder().encode(order) };
}

/** The offset of an entry's payload, from its local header in a buildZip archive. */
function findPayload(zip: Uint8Array, name: string): number {
  const encoded = new TextEncoder().encode(name);
  for (let at = 0; at + 30 < zip.length; at++) {
    const isHeader = zip[at] === 0x50 && zip[at + 1] === 0x4b && zip[at + 2] === 3;
    if (!isHeader) continue;
    const nameLength = zip[at + 26] | (zip[at + 27] << 8);
    const candidate = zip.subarray(at + 30, at + 30 + nameLength);
    const same = nameLength === encoded.length && candidate.every((b, i) => b === encoded[i]);
    if (same) return at + 30 + nameLength;
  }
  throw new Error(`no local header for ${name}`);
}
