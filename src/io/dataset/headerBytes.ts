/**
 * Bounds-checked reads for image headers: each returns null past the end instead of throwing, so
 * a probe of a truncated or hostile file degrades to "unknown" and never raises.
 */

/** Unsigned 16-bit big-endian at `at`, or null when the bytes end first. */
export function u16be(bytes: Uint8Array, at: number): number | null {
  if (at < 0 || at + 2 > bytes.length) return null;
  return (bytes[at] << 8) | bytes[at + 1];
}

/** Unsigned 16-bit little-endian at `at`, or null when the bytes end first. */
export function u16le(bytes: Uint8Array, at: number): number | null {
  if (at < 0 || at + 2 > bytes.length) return null;
  return bytes[at] | (bytes[at + 1] << 8);
}

/** Unsigned 24-bit little-endian at `at` (WebP VP8X sizes), or null when the bytes end first. */
export function u24le(bytes: Uint8Array, at: number): number | null {
  if (at < 0 || at + 3 > bytes.length) return null;
  return bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16);
}

/** Unsigned 32-bit big-endian at `at`, or null when the bytes end first. */
export function u32be(bytes: Uint8Array, at: number): number | null {
  if (at < 0 || at + 4 > bytes.length) return null;
  // Multiplying instead of shifting keeps the top bit from making the number negative.
  return bytes[at] * 0x1000000 + ((bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]);
}

/** Unsigned 32-bit little-endian at `at`, or null when the bytes end first. */
export function u32le(bytes: Uint8Array, at: number): number | null {
  if (at < 0 || at + 4 > bytes.length) return null;
  return bytes[at + 3] * 0x1000000 + ((bytes[at + 2] << 16) | (bytes[at + 1] << 8) | bytes[at]);
}

/** Signed 32-bit little-endian at `at` (BMP sizes), or null when the bytes end first. */
export function i32le(bytes: Uint8Array, at: number): number | null {
  const value = u32le(bytes, at);
  return value === null ? null : value | 0;
}

/** True when `bytes` holds the ASCII text `text` starting at `at`. */
export function hasAscii(bytes: Uint8Array, at: number, text: string): boolean {
  if (at < 0 || at + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) {
    if (bytes[at + i] !== text.charCodeAt(i)) return false;
  }
  return true;
}

/** The first `count` bytes as lowercase hex pairs separated by spaces, for messages. */
export function hexPrefix(bytes: Uint8Array, count: number): string {
  return Array.from(bytes.subarray(0, count), (b) => b.toString(16).padStart(2, '0')).join(' ');
}
