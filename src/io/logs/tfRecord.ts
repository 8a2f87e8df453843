/**
 * The TFRecord framing that TensorBoard event files use: each record is a little-endian uint64
 * length, the masked CRC-32C of those 8 bytes, the data, and the masked CRC-32C of the data.
 * A writer appends whole records, so a short tail means the run was still writing.
 */

import { LabError } from '../errors';
import { crc32c, maskCrc } from './crc32c';

/** Length field plus its CRC. */
const HEADER_BYTES = 12;
/** The CRC after the data. */
const FOOTER_BYTES = 4;

/** Where one record's data lies in the file. */
export interface TfRecordSpan {
  /** Offset of the record's length field, for messages. */
  offset: number;
  /** Offset of the first data byte. */
  start: number;
  /** Offset one past the last data byte. */
  end: number;
}

/** Every whole record of a file, and where a cut-off last record began. */
export interface TfRecordScan {
  /** Records in file order. */
  records: TfRecordSpan[];
  /** Offset of a final record that was cut short and left out, or -1 when the file ends cleanly. */
  truncatedAt: number;
}

/**
 * True when `bytes` opens with a TFRecord header whose length CRC checks out: a one in four
 * billion chance for any other file, so content alone identifies an event file.
 */
export function startsWithTfRecord(bytes: Uint8Array): boolean {
  if (bytes.length < HEADER_BYTES) return false;
  return maskCrc(crc32c(bytes, 0, 8)) === readU32(bytes, 8);
}

/**
 * Splits `bytes` into TFRecord spans, checking both CRCs of each record. A final record that is
 * shorter than its header announces is reported in `truncatedAt`, not thrown. Throws LabError
 * 'corrupt_file' naming `fileName` and the byte offset when a CRC does not match.
 */
export function scanTfRecords(bytes: Uint8Array, fileName: string): TfRecordScan {
  const records: TfRecordSpan[] = [];
  let offset = 0;

  while (offset < bytes.length) {
    if (bytes.length - offset < HEADER_BYTES) return { records, truncatedAt: offset };
    if (maskCrc(crc32c(bytes, offset, offset + 8)) !== readU32(bytes, offset + 8)) {
      throw corrupt(fileName, offset, records.length, 'length');
    }
    const length = readU32(bytes, offset) + readU32(bytes, offset + 4) * 2 ** 32;
    const start = offset + HEADER_BYTES;
    const end = start + length;
    if (end + FOOTER_BYTES > bytes.length) return { records, truncatedAt: offset };
    if (maskCrc(crc32c(bytes, start, end)) !== readU32(bytes, end)) {
      throw corrupt(fileName, offset, records.length, 'data');
    }
    records.push({ offset, start, end });
    offset = end + FOOTER_BYTES;
  }
  return { records, truncatedAt: -1 };
}

function readU32(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

function corrupt(fileName: string, offset: number, index: number, part: 'length' | 'data'): LabError {
  return new LabError('corrupt_file', `${fileName} is corrupt at byte ${offset}: the checksum of the ${part} of record ${index + 1} does not match. Copy the file again from the machine that wrote it; the ${index} records before that offset are intact.`, { details: { fileName, offset, record: index } });
}
