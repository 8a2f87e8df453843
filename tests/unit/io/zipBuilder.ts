/** Writes small zip archives for tests: STORED or DEFLATE entries, optionally in ZIP64 form. */

import { deflateSync } from 'fflate';

import { crc32 } from '../../../src/io/checkpoint/crc32';

/** One file to put in the archive. */
export interface ZipFileSpec {
  name: string;
  data: Uint8Array;
  /** 0 = STORED (default), 8 = DEFLATE. */
  method?: 0 | 8;
}

/** Options for `buildZip`. */
export interface ZipBuildOptions {
  /** Write every size and offset through ZIP64 extra fields and end records. */
  zip64?: boolean;
  /** Archive comment after the end record. */
  comment?: string;
}

/** Builds a zip archive holding `files` in order. */
export function buildZip(files: readonly ZipFileSpec[], options: ZipBuildOptions = {}): Uint8Array {
  const zip64 = options.zip64 ?? false;
  const out = new Bytes();
  const central = new Bytes();

  for (const file of files) {
    const method = file.method ?? 0;
    const payload = method === 8 ? deflateSync(file.data) : file.data;
    const name = new TextEncoder().encode(file.name);
    const crc = crc32(file.data);
    const offset = out.length;

    out.u32(0x04034b50).u16(zip64 ? 45 : 20).u16(0).u16(method).u16(0).u16(0).u32(crc);
    out.u32(payload.length).u32(file.data.length).u16(name.length).u16(0);
    out.bytes(name).bytes(payload);

    const extra = new Bytes();
    if (zip64) extra.u16(0x0001).u16(24).u64(file.data.length).u64(payload.length).u64(offset);
    central.u32(0x02014b50).u16(45).u16(zip64 ? 45 : 20).u16(0).u16(method).u16(0).u16(0).u32(crc);
    central.u32(zip64 ? 0xffffffff : payload.length).u32(zip64 ? 0xffffffff : file.data.length);
    central.u16(name.length).u16(extra.length).u16(0).u16(0).u16(0).u32(0);
    central.u32(zip64 ? 0xffffffff : offset).bytes(name).bytes(extra.toArray());
  }

  const directoryOffset = out.length;
  out.bytes(central.toArray());
  const directorySize = out.length - directoryOffset;
  if (zip64) {
    const recordOffset = out.length;
    out.u32(0x06064b50).u64(44).u16(45).u16(45).u32(0).u32(0);
    out.u64(files.length).u64(files.length).u64(directorySize).u64(directoryOffset);
    out.u32(0x07064b50).u32(0).u64(recordOffset).u32(1);
  }
  const comment = new TextEncoder().encode(options.comment ?? '');
  const count = zip64 ? 0xffff : files.length;
  out.u32(0x06054b50).u16(0).u16(0).u16(count).u16(count);
  out.u32(zip64 ? 0xffffffff : directorySize).u32(zip64 ? 0xffffffff : directoryOffset);
  out.u16(comment.length).bytes(comment);
  return out.toArray();
}

class Bytes {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }
  u16(value: number): this {
    return this.bytes(Uint8Array.of(value & 0xff, (value >>> 8) & 0xff));
  }
  u32(value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value, true);
    return this.bytes(bytes);
  }
  u64(value: number): this {
    return this.u32(value % 2 ** 32).u32(Math.floor(value / 2 ** 32));
  }
  bytes(data: Uint8Array): this {
    this.chunks.push(data);
    this.size += data.length;
    return this;
  }
  toArray(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}
