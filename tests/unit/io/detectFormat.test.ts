import { describe, expect, it } from 'vitest';

import { readCheckpoint } from '../../../src/io/checkpoint';

const bytesOf = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('readCheckpoint format detection', () => {
  const refusals: [string, Uint8Array, RegExp][] = [
    ['an empty file', new Uint8Array(0), /it starts with bytes \(none: the file is empty\)/],
    ['a gzip file', bytesOf(0x1f, 0x8b, 8, 0, 0, 0), /This file is gzip-compressed\. Decompress it first/],
    ['an HDF5 file', bytesOf(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a), /This is an HDF5 file \(a Keras \.h5 model\?\)/],
    ['a JSON file', new TextEncoder().encode('{"modelTopology": {}}'), /This is a JSON file, not a checkpoint/],
    ['anything else', bytesOf(0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5), /it starts with bytes de ad be ef 01 02 03 04\. Save the weights with torch\.save/],
  ];

  it.each(refusals)('refuses %s as unsupported_format, saying what it is', (_, bytes, message) => {
    expect(() => readCheckpoint(bytes, 'f.bin')).toThrowError(
      expect.objectContaining({
        code: 'unsupported_format',
        message: expect.stringMatching(message),
        details: expect.objectContaining({ fileName: 'f.bin' }),
      }),
    );
  });

  it('recognises a legacy stream pickled with protocol 0 by its text magic number', () => {
    const bytes = new TextEncoder().encode('L119547037146038801333356L\n.I1000\n.');

    expect(() => readCheckpoint(bytes, 'p0.pth')).toThrow(
      /This legacy checkpoint declares protocol 1000, but only 1001 exists/,
    );
  });
});
