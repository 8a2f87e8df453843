/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) and the masked form TFRecord files
 * store, so a reader can tell a torn or corrupted record from a whole one.
 */

/** TFRecord's mask constant: a stored CRC is rotated right by 15 bits, then this is added. */
const MASK_DELTA = 0xa282ead8;

let table: Uint32Array | null = null;

/**
 * Returns the CRC-32C of `bytes[start, end)` as an unsigned 32-bit integer; with the whole
 * array, `crc32c` of the ASCII bytes of "123456789" is 0xe3069283.
 */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const lookup = table ?? buildTable();
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = lookup[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Returns `crc` masked as TFRecord stores it (a plain CRC over data holding CRCs is weak). */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

function buildTable(): Uint32Array {
  const built = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    built[n] = c >>> 0;
  }
  table = built;
  return built;
}
