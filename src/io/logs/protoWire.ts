/**
 * A bounded reader for the protobuf wire format, enough to walk TensorFlow's Event messages:
 * varints (int64 included, two's complement), fixed32/fixed64 and length-delimited fields.
 * Every read checks the message end first; a short or malformed message goes to the owner's
 * callback, which throws.
 */

const UTF8 = new TextDecoder();

/** Wire types of the protobuf encoding. */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH = 2;
export const WIRE_FIXED32 = 5;

/** Called with what was wrong and the absolute byte offset; must throw. */
export type ProtoErrorHandler = (problem: string, offset: number) => never;

/** A position inside one message `bytes[start, end)`, with reads that advance it. */
export class ProtoReader {
  /** Absolute offset of the next byte to read, in `[start, end]`. */
  pos: number;
  /** Field number of the last key read by `next`. */
  field = 0;
  /** Wire type of the last key read by `next`. */
  wire = 0;
  /** Low 32 bits of the last varint, set by readVarint. */
  private lo = 0;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    private readonly end: number,
    private readonly onError: ProtoErrorHandler,
  ) {
    this.pos = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Reads the next field key into `field` and `wire`; false at the end of the message. */
  next(): boolean {
    if (this.pos >= this.end) return false;
    const key = this.uint64();
    this.field = Math.floor(key / 8);
    this.wire = key % 8;
    if (this.field === 0) this.onError('a field number of 0', this.pos);
    return true;
  }

  /** Reads an unsigned varint; values past 2^53 lose precision. */
  uint64(): number {
    const hi = this.readVarint();
    return hi * 2 ** 32 + this.lo;
  }

  /** Reads an int64 varint as two's complement, so -1 (ten 0xff-ish bytes) comes back as -1. */
  int64(): number {
    const hi = this.readVarint();
    return (hi | 0) * 2 ** 32 + this.lo;
  }

  /** Reads a little-endian float32. */
  float32(): number {
    this.need(4);
    const value = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return value;
  }

  /** Reads a little-endian float64. */
  float64(): number {
    this.need(8);
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** Reads a length prefix and returns the absolute end of the field it announces. */
  lengthDelimitedEnd(): number {
    const length = this.uint64();
    this.need(length);
    return this.pos + length;
  }

  /** Reads a length-delimited field as UTF-8 text. */
  string(): string {
    const fieldEnd = this.lengthDelimitedEnd();
    const text = UTF8.decode(this.bytes.subarray(this.pos, fieldEnd));
    this.pos = fieldEnd;
    return text;
  }

  /** Reads a length-delimited field and returns a view of its bytes (no copy). */
  bytesField(): Uint8Array {
    const fieldEnd = this.lengthDelimitedEnd();
    const view = this.bytes.subarray(this.pos, fieldEnd);
    this.pos = fieldEnd;
    return view;
  }

  /** Returns a reader over the length-delimited sub-message at `pos` and moves past it. */
  message(): ProtoReader {
    const fieldEnd = this.lengthDelimitedEnd();
    const inner = new ProtoReader(this.bytes, this.pos, fieldEnd, this.onError);
    this.pos = fieldEnd;
    return inner;
  }

  /** Skips the value of the last key read, whatever its wire type. */
  skip(): void {
    if (this.wire === WIRE_VARINT) this.uint64();
    else if (this.wire === WIRE_FIXED64) this.advance(8);
    else if (this.wire === WIRE_LENGTH) this.pos = this.lengthDelimitedEnd();
    else if (this.wire === WIRE_FIXED32) this.advance(4);
    else this.onError(`wire type ${this.wire} (groups or garbage)`, this.pos);
  }

  /** Moves `pos` forward by `count` bytes after checking they are there. */
  advance(count: number): void {
    this.need(count);
    this.pos += count;
  }

  /** Decodes one varint; leaves the low 32 bits in `lo` and returns the high 32 bits. */
  private readVarint(): number {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      this.need(1);
      const byte = this.bytes[this.pos++];
      const bits = byte & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= (bits & 0x0f) << 28;
        hi |= bits >>> 4;
      } else hi |= bits << (7 * i - 32);
      if ((byte & 0x80) === 0) {
        this.lo = lo >>> 0;
        return hi >>> 0;
      }
    }
    return this.onError('a varint longer than 10 bytes', this.pos);
  }

  private need(count: number): void {
    if (count > this.end - this.pos) this.onError(`a field that needs ${count} bytes where ${this.end - this.pos} remain`, this.pos);
  }
}
