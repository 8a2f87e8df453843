import { describe, expect, it } from 'vitest';

import { parseTrainingLog } from '../../../src/io/logs';
import { crc32c, maskCrc } from '../../../src/io/logs/crc32c';
import { scanTfRecords } from '../../../src/io/logs/tfRecord';
import { expectPoints, logFixture, seriesOf, utf8 } from './logFixtures';

const EVENTS = 'events.out.tfevents.1700000000.lab-host.1234.0';

/** Frames `data` as one TFRecord (length, masked CRC of the length, data, masked CRC of the data). */
function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length, true);
  view.setUint32(8, maskCrc(crc32c(out, 0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskCrc(crc32c(data)), true);
  return out;
}

/** The offsets of the fixture's records, from a scan of the intact file. */
function fixtureRecords() {
  return scanTfRecords(logFixture(EVENTS), EVENTS).records;
}

describe('crc32c', () => {
  it('gives the CRC-32C check value 0xe3069283 for "123456789"', () => {
    expect(crc32c(utf8('123456789'))).toBe(0xe3069283);
  });
});

describe('parseTrainingLog on TensorBoard event files', () => {
  it('reads simple_value scalars by tag, sorting a resumed run and keeping NaN and inf', () => {
    const log = parseTrainingLog(logFixture(EVENTS), `runs/a/${EVENTS}`);
    const loss = seriesOf(log, 'train/loss');

    expect(log.format).toBe('tensorboard');
    expect(log.stepLabel).toBe('step');
    expect(log.series.map((s) => s.id)).toEqual(['train/loss', 'val/acc', 'lr']);
    expectPoints(loss, [0, 1, 2, 3, 3, 4, 4], [2.5, 2.0, NaN, 1.25, 1.0, Infinity, 0.75]);
    expect(loss.nonFinite).toBe(2);
    expect(loss.source).toBe(`runs/a/${EVENTS}`);
  });

  it('reads TF2 scalar tensors from tensor_content, float_val and double_val', () => {
    const log = parseTrainingLog(logFixture(EVENTS), EVENTS);

    expectPoints(seriesOf(log, 'val/acc'), [10, 20, 30], [0.25, 0.5, 0.625]);
    expectPoints(seriesOf(log, 'lr'), [2 ** 40], [0.1]);
  });

  it('skips histogram tags and says which, with the sorting and repeated-step notes', () => {
    const log = parseTrainingLog(logFixture(EVENTS), EVENTS);

    expect(log.warnings).toEqual([
      `${EVENTS}: skipped 2 tags of histograms, images, text or other non-scalar data: "weights/hist", "grads".`,
      `${EVENTS}: steps are not in ascending order; the series were sorted by step.`,
      `${EVENTS}: some steps appear more than once (a resumed run, or several rows per step); every point is kept, in file order.`,
    ]);
  });

  it('recognises an event file by its framing whatever it is named', () => {
    expect(parseTrainingLog(logFixture(EVENTS), 'upload.bin').format).toBe('tensorboard');
  });

  it('drops a final record cut short while the run was writing, with a warning naming its offset', () => {
    const full = logFixture(EVENTS);
    const records = fixtureRecords();
    const lastLoss = records[7]; // train/loss 0.75 at step 4, after the resume
    const cut = full.subarray(0, lastLoss.end - 3);

    const log = parseTrainingLog(cut, EVENTS);

    expectPoints(seriesOf(log, 'train/loss'), [0, 1, 2, 3, 3, 4], [2.5, 2.0, NaN, 1.25, 1.0, Infinity]);
    expect(log.series.map((s) => s.id)).toEqual(['train/loss']);
    expect(log.warnings[0]).toBe(`${EVENTS}: the last record, from byte ${lastLoss.offset}, is incomplete (the run was probably still writing) and was left out.`);
  });

  it('treats a file holding only part of its first header as a run that has not written yet', () => {
    const log = parseTrainingLog(logFixture(EVENTS).subarray(0, 7), EVENTS);

    expect(log.series).toEqual([]);
    expect(log.warnings).toEqual([
      `${EVENTS}: the last record, from byte 0, is incomplete (the run was probably still writing) and was left out.`,
      `${EVENTS} holds no complete event records yet.`,
    ]);
  });

  it('reads an empty file named as an event file as a log with no series', () => {
    const log = parseTrainingLog(new Uint8Array(0), EVENTS);

    expect(log.format).toBe('tensorboard');
    expect(log.warnings).toEqual([`${EVENTS} holds no complete event records yet.`]);
  });

  it('reports a corrupt data CRC in the middle as corrupt_file naming the byte offset', () => {
    const bytes = logFixture(EVENTS);
    const third = fixtureRecords()[2];
    bytes[third.start + 3] ^= 0x40;

    expect(() => parseTrainingLog(bytes, EVENTS)).toThrow(
      `${EVENTS} is corrupt at byte ${third.offset}: the checksum of the data of record 3 does not match. Copy the file again from the machine that wrote it; the 2 records before that offset are intact.`,
    );
  });

  it('reports a corrupt length field as corrupt_file with its offset', () => {
    const bytes = logFixture(EVENTS);
    const second = fixtureRecords()[1];
    bytes[second.offset] ^= 0x01;

    expect(() => parseTrainingLog(bytes, EVENTS)).toThrow(expect.objectContaining({
      code: 'corrupt_file',
      message: expect.stringContaining(`is corrupt at byte ${second.offset}: the checksum of the length of record 2`),
    }));
  });

  it('rejects a record with valid CRCs whose data is not an Event message', () => {
    const bytes = frameRecord(new Uint8Array([0x0f, 0x01]));

    expect(() => parseTrainingLog(bytes, EVENTS)).toThrow(`${EVENTS}: the record at byte 0 is not a TensorFlow Event (wire type 7 (groups or garbage) at byte 13). Check that this is a TensorBoard events.out.tfevents file.`);
  });

  it('reads a negative int64 step encoded in ten varint bytes', () => {
    const tag = utf8('loss');
    const value = [0x0a, tag.length, ...tag, 0x15, 0, 0, 0x80, 0x3f]; // tag, simple_value 1.0
    const summary = [0x0a, value.length, ...value];
    const event = new Uint8Array([0x10, 0xfb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x2a, summary.length, ...summary]);

    expectPoints(parseTrainingLog(frameRecord(event), EVENTS).series[0], [-5], [1]);
  });
});
