/** Builds pickle byte streams opcode by opcode, for tests that need exact, hostile or odd ones. */

const encoder = new TextEncoder();

/** A chainable pickle writer; `bytes()` returns what was written. */
export class PickleAssembler {
  private readonly out: number[] = [];

  /** Appends raw bytes or numbers 0..255. */
  raw(...values: (number | Uint8Array | number[])[]): this {
    for (const value of values) {
      if (typeof value === 'number') this.out.push(value);
      else for (const byte of value) this.out.push(byte);
    }
    return this;
  }

  /** Appends latin-1 text (one byte per character). */
  text(value: string): this {
    for (let i = 0; i < value.length; i++) this.out.push(value.charCodeAt(i) & 0xff);
    return this;
  }

  proto(version = 2): this {
    return this.raw(0x80, version);
  }

  /** GLOBAL with `module\nname\n`. */
  global(module: string, name: string): this {
    return this.raw(0x63).text(`${module}\n${name}\n`);
  }

  /** BINUNICODE with a 4-byte length. */
  unicode(value: string): this {
    const bytes = encoder.encode(value);
    return this.raw(0x58).u32(bytes.length).raw(bytes);
  }

  /** The shortest binary int opcode for `value` (BININT1, BININT2, BININT or LONG1). */
  int(value: number | bigint): this {
    const n = BigInt(value);
    if (n >= 0n && n < 256n) return this.raw(0x4b, Number(n));
    if (n >= 0n && n < 65536n) return this.raw(0x4d, Number(n) & 0xff, Number(n) >> 8);
    if (n >= -(2n ** 31n) && n < 2n ** 31n) {
      return this.raw(0x4a).u32(Number(BigInt.asUintN(32, n)));
    }
    const bytes: number[] = [];
    for (let rest = n; ; ) {
      const byte = Number(BigInt.asUintN(8, rest));
      bytes.push(byte);
      rest >>= 8n;
      if ((rest === 0n && (byte & 0x80) === 0) || (rest === -1n && (byte & 0x80) !== 0)) break;
    }
    return this.raw(0x8a, bytes.length, bytes);
  }

  /** BINFLOAT (big-endian double). */
  float(value: number): this {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, value, false);
    return this.raw(0x47, new Uint8Array(view.buffer));
  }

  mark(): this {
    return this.raw(0x28);
  }
  tuple(): this {
    return this.raw(0x74);
  }
  emptyTuple(): this {
    return this.raw(0x29);
  }
  emptyDict(): this {
    return this.raw(0x7d);
  }
  emptyList(): this {
    return this.raw(0x5d);
  }
  setitem(): this {
    return this.raw(0x73);
  }
  setitems(): this {
    return this.raw(0x75);
  }
  appends(): this {
    return this.raw(0x65);
  }
  reduce(): this {
    return this.raw(0x52);
  }
  build(): this {
    return this.raw(0x62);
  }
  binpersid(): this {
    return this.raw(0x51);
  }
  none(): this {
    return this.raw(0x4e);
  }
  newFalse(): this {
    return this.raw(0x89);
  }
  stop(): this {
    return this.raw(0x2e);
  }

  /** A little-endian u32 (no opcode). */
  u32(value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value, true);
    return this.raw(bytes);
  }

  /** A little-endian u64 (no opcode). */
  u64(value: number): this {
    return this.u32(value % 2 ** 32).u32(Math.floor(value / 2 ** 32));
  }

  /**
   * `_rebuild_tensor_v2(pid, offset, size, stride, False, OrderedDict())` where `pid` is written
   * by `writePid` (it must leave one tuple on the stack).
   */
  rebuildTensor(
    writePid: (p: this) => void,
    offset: number,
    size: number[],
    stride: number[],
  ): this {
    this.global('torch._utils', '_rebuild_tensor_v2').mark();
    writePid(this);
    this.binpersid().int(offset).mark();
    for (const dim of size) this.int(dim);
    this.tuple().mark();
    for (const step of stride) this.int(step);
    this.tuple().newFalse().global('collections', 'OrderedDict').emptyTuple().reduce();
    return this.tuple().reduce();
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

/** Starts a new pickle. */
export function pickle(): PickleAssembler {
  return new PickleAssembler();
}
