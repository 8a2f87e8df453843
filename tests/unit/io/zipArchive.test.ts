import { describe, expect, it } from 'vitest';

import { crc32 } from '../../../src/io/checkpoint/crc32';
import { openZip } from '../../../src/io/checkpoint/zipArchive';
import { fixtureBytes } from './checkpointFixtures';
import { buildZip } from './zipBuilder';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('openZip', () => {
  it('computes the standard CRC-32 check value', () => {
    expect(crc32(encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('lists entries in directory order and reads STORED ones as views of the file', () => {
    const bytes = buildZip([
      { name: 'a/data.pkl', data: encode('pickle') },
      { name: 'a/data/0', data: Uint8Array.of(1, 2, 3, 4) },
    ]);

    const zip = openZip(bytes);
    const record = zip.read(zip.find('a/data/0') ?? zip.entries[0]);

    expect(zip.entries.map((e) => e.name)).toEqual(['a/data.pkl', 'a/data/0']);
    expect(Array.from(record)).toEqual([1, 2, 3, 4]);
    expect(record.buffer).toBe(bytes.buffer);
  });

  it('places torch.save payloads on 64-byte boundaries, so typed views need no copy', () => {
    const bytes = fixtureBytes('zip_dtypes.pth');
    const zip = openZip(bytes);

    for (const entry of zip.entries.filter((e) => e.name.includes('/data/'))) {
      expect(zip.read(entry).byteOffset % 64, entry.name).toBe(0);
    }
  });

  it('inflates DEFLATE entries and checks their CRC', () => {
    const text = 'tensor bytes '.repeat(200);
    const zip = openZip(buildZip([{ name: 'x', data: encode(text), method: 8 }]));

    expect(zip.entries[0].compressedSize).toBeLessThan(text.length);
    expect(decode(zip.read(zip.entries[0]))).toBe(text);
  });

  it('reads sizes and offsets from ZIP64 extra fields and end records, and skips a comment', () => {
    const files = [
      { name: 'p', data: encode('one') },
      { name: 'q', data: encode('two') },
    ];

    const zip = openZip(buildZip(files, { zip64: true, comment: 'c'.repeat(300) }));

    expect(zip.entries.map((e) => [e.name, e.uncompressedSize])).toEqual([['p', 3], ['q', 3]]);
    expect(decode(zip.read(zip.entries[1]))).toBe('two');
  });

  it('refuses an archive cut short, saying it is truncated', () => {
    const bytes = buildZip([{ name: 'x', data: encode('hello') }]);

    expect(() => openZip(bytes.subarray(0, bytes.length - 5))).toThrow(
      /there is no end-of-central-directory record in its last \d+ bytes, so the file is truncated/,
    );
  });

  it('refuses a directory that points past its end record', () => {
    const bytes = buildZip([{ name: 'x', data: encode('hello') }]);
    const view = new DataView(bytes.buffer);
    view.setUint32(bytes.length - 6, 1000, true); // directory offset

    expect(() => openZip(bytes)).toThrow(
      /the central directory \(bytes 1000 to \d+\) runs past its end record/,
    );
  });

  it('refuses an entry whose local header is missing, naming the entry', () => {
    const bytes = buildZip([{ name: 'x', data: encode('hello') }]);
    bytes[0] = 0; // local header signature

    const zip = openZip(bytes);

    expect(() => zip.read(zip.entries[0])).toThrow(
      /the local header of entry 'x' at byte 0 is missing or damaged/,
    );
  });

  it('refuses an entry whose data runs past the end of the file', () => {
    const bytes = buildZip([{ name: 'x', data: encode('hello') }]);
    const view = new DataView(bytes.buffer);
    const central = bytes.length - 22 - 46 - 1;
    view.setUint32(central + 20, 5000, true);
    view.setUint32(central + 24, 5000, true);

    const zip = openZip(bytes);

    expect(() => zip.read(zip.entries[0])).toThrow(
      /entry 'x' needs bytes 31 to 5031 but the file has \d+, so it is truncated/,
    );
  });

  it('refuses encrypted entries and compression methods other than STORED and DEFLATE', () => {
    const encrypted = buildZip([{ name: 'x', data: encode('a') }]);
    new DataView(encrypted.buffer).setUint16(encrypted.length - 22 - 47 + 8, 1, true);
    const bzip2 = buildZip([{ name: 'y', data: encode('b') }]);
    new DataView(bzip2.buffer).setUint16(bzip2.length - 22 - 47 + 10, 12, true);

    const first = openZip(encrypted);
    const second = openZip(bzip2);

    expect(() => first.read(first.entries[0])).toThrow(
      /Entry 'x' of this zip archive is encrypted/,
    );
    expect(() => second.read(second.entries[0])).toThrow(
      /Entry 'y' is compressed with zip method 12; only stored \(0\) and DEFLATE \(8\)/,
    );
  });

  it('refuses a DEFLATE entry that claims an impossible expansion ratio', () => {
    const bytes = buildZip([{ name: 'bomb', data: encode('z'.repeat(100)), method: 8 }]);
    const view = new DataView(bytes.buffer);
    view.setUint32(bytes.length - 22 - 50 + 24, 2 ** 31, true);

    const zip = openZip(bytes);

    expect(() => zip.read(zip.entries[0])).toThrow(
      /entry 'bomb' claims 2147483648 bytes from \d+ compressed ones/,
    );
  });
});
