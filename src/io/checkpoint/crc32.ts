/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) as zip records it for each entry. */

let table: Uint32Array | null = null;

/** Returns the CRC-32 of `bytes` as an unsigned 32-bit integer, e.g. 0xcbf43926 for "123456789". */
export function crc32(bytes: Uint8Array): number {
  const lookup = table ?? buildTable();
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = lookup[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function buildTable(): Uint32Array {
  const built = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    built[n] = c >>> 0;
  }
  table = built;
  return built;
}
