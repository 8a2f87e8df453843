/**
 * The one entry point for training logs: recognises the format from the bytes (TFRecord
 * framing, JSON, or the header of a CSV/TSV) and hands the file to its reader. The file name only
 * breaks ties: an empty or unframed `events.out.tfevents.*` file, or a one-column `.tsv`.
 */

import { LabError } from '../errors';
import { isFastaiHeader, parseFastaiCsv } from './fastaiCsv';
import { readDelimitedHeader } from './delimitedText';
import { parseJsonLog } from './jsonLog';
import { parsePlainCsv } from './plainCsv';
import { parseTensorBoardEvents } from './tensorboardEvents';
import { startsWithTfRecord } from './tfRecord';
import { isWandbHeader, parseWandbCsv } from './wandbCsv';

import type { ParsedLog } from './types';

/** TensorBoard names every event file `events.out.tfevents.<time>.<host>...`. */
const EVENT_FILE_NAME = /tfevents/i;

/**
 * Parses a training log into scalar series. `bytes` is the whole file; `fileName` is how
 * messages and `ScalarSeries.source` name it (a path is fine). Recognises fastai CSVLogger
 * files, W&B CSV exports, TensorBoard event files, plain CSV/TSV and JSON logs. Throws
 * LabError: 'invalid_input' for an empty file or a bad cell, row or JSON syntax (the message
 * names the line or entry), 'corrupt_file' for an event file with a bad CRC (naming the byte
 * offset), 'unsupported_format' for binary data or JSON of another shape.
 */
export function parseTrainingLog(bytes: Uint8Array, fileName: string): ParsedLog {
  const namedAsEvents = EVENT_FILE_NAME.test(fileName);
  if (bytes.length === 0 && !namedAsEvents) {
    throw new LabError('invalid_input', `${fileName} is empty. Load the log again once the run has written to it.`, { details: { fileName } });
  }
  if (namedAsEvents || startsWithTfRecord(bytes)) return parseTensorBoardEvents(bytes, fileName);

  const text = decodeText(bytes, fileName);
  const firstChar = text.match(/^\uFEFF?\s*(\S)/)?.[1];
  if (firstChar === '{' || firstChar === '[') return parseJsonLog(text.replace(/^\uFEFF/, ''), fileName);

  const header = readDelimitedHeader(text, fileName);
  if (isFastaiHeader(header.names)) return parseFastaiCsv(text, header, fileName);
  if (isWandbHeader(header.names)) return parseWandbCsv(text, header, fileName);
  return parsePlainCsv(text, header, fileName);
}

/** UTF-8 (or BOM-marked UTF-16, as Excel saves "Unicode text") to a string; binary data throws. */
function decodeText(bytes: Uint8Array, fileName: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);

  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    // Text logs hold no C0 control bytes other than tab, line feed and carriage return.
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) {
      const hex = byte.toString(16).padStart(2, '0');
      throw new LabError('unsupported_format', `${fileName} is not a training log the lab reads: byte ${i} is 0x${hex}, so it is binary, and it is not a TensorBoard event file. Load a CSV, TSV, JSON or events.out.tfevents file (unpack .gz or .zip archives first).`, { details: { fileName, offset: i } });
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new LabError('unsupported_format', `${fileName} is not UTF-8 text. Save the log as UTF-8 (CSV UTF-8 in Excel) and load it again.`, { cause, details: { fileName } });
  }
}
