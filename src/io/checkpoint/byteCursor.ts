/**
 * A bounded little-endian reader over a byte array. Every read checks the remaining length
 * first and reports a short read through the owner's callback, which throws; nothing reads past
 * the end or allocates from an unchecked length.
 */

/** Called with the number of bytes a read needed and what it was reading; must throw. */
export type ShortReadHandler = (needed: number, available: number) => never;

/** A position in `bytes` with bounded reads that advance it. */
export class ByteCursor {
  /** The absolute offset of the next byte to read, in `[0, bytes.length]`. */
  position: number;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    start: number,
    private readonly onShort: ShortReadHandler,
  ) {
    this.position = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Bytes left after `position`. */
  get remaining(): number {
    return this.bytes.length - this.position;
  }

  /** Reads one unsigned byte. */
  u8(): number {
    this.need(1);
    return this.bytes[this.position++];
  }

  /** Reads an unsigned 16-bit little-endian integer. */
  u16(): number {
    this.need(2);
    const value = this.view.getUint16(this.position, true);
    this.position += 2;
    return value;
  }

  /** Reads an unsigned 32-bit little-endian integer. */
  u32(): number {
    this.need(4);
    const value = this.view.getUint32(this.position, true);
    this.position += 4;
    return value;
  }

  /** Reads a signed 32-bit little-endian integer. */
  i32(): number {
    this.need(4);
    const value = this.view.getInt32(this.position, true);
    this.position += 4;
    return value;
  }

  /** Reads an unsigned 64-bit little-endian integer; values past 2^53 come back as Infinity. */
  u64(): number {
    this.need(8);
    const low = this.view.getUint32(this.position, true);
    const high = this.view.getUint32(this.position + 4, true);
    this.position += 8;
    return high >= 0x200000 ? Infinity : high * 2 ** 32 + low;
  }

  /** Reads a signed 64-bit little-endian integer as a bigint. */
  i64(): bigint {
    this.need(8);
    const value = this.view.getBigInt64(this.position, true);
    this.position += 8;
    return value;
  }

  /** Reads a big-endian IEEE 754 double (pickle's BINFLOAT byte order). */
  f64BigEndian(): number {
    this.need(8);
    const value = this.view.getFloat64(this.position, false);
    this.position += 8;
    return value;
  }

  /** Returns the next `length` bytes as a view (no copy) and advances past them. */
  take(length: number): Uint8Array {
    this.need(length);
    const slice = this.bytes.subarray(this.position, this.position + length);
    this.position += length;
    return slice;
  }

  /**
   * Returns the bytes up to the next `\n` (excluded) as a view and advances past the newline.
   * A line longer than `maxLength` bytes, or one with no newline, is a short read.
   */
  line(maxLength: number): Uint8Array {
    const limit = Math.min(this.bytes.length, this.position + maxLength + 1);
    const newline = this.bytes.subarray(this.position, limit).indexOf(0x0a);
    if (newline < 0) this.onShort(maxLength + 1, limit - this.position);
    const text = this.bytes.subarray(this.position, this.position + newline);
    this.position += newline + 1;
    return text;
  }

  private need(length: number): void {
    if (!(length <= this.remaining)) this.onShort(length, this.remaining);
  }
}
