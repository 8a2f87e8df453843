import { describe, expect, it } from 'vitest';

import { parseTrainingLog } from '../../../src/io/logs';
import { logFixture, utf8 } from './logFixtures';

describe('parseTrainingLog format detection', () => {
  it('goes by content, not by the file extension', () => {
    expect(parseTrainingLog(utf8('step,loss\n0,1\n'), 'mislabelled.json').format).toBe('csv');
    expect(parseTrainingLog(utf8('[{"step": 0, "loss": 1}]'), 'mislabelled.csv').format).toBe('json');
    expect(parseTrainingLog(logFixture('fastai_history.csv'), 'log.txt').format).toBe('fastai-csv');
  });

  it('lets a .tsv name pick the tab only for a one-column header', () => {
    const log = parseTrainingLog(utf8('loss\n1.5\n1.25\n'), 'single.tsv');

    expect(log.series.map((s) => s.id)).toEqual(['loss']);
    expect(Array.from(log.series[0].values)).toEqual([1.5, 1.25]);
  });

  it('reads a UTF-16 file with a byte order mark, as Excel saves Unicode text', () => {
    const text = '\uFEFFstep\tloss\r\n0\t2.5\r\n1\t2\r\n';
    const bytes = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) new DataView(bytes.buffer).setUint16(i * 2, text.charCodeAt(i), true);

    const log = parseTrainingLog(bytes, 'excel.txt');

    expect(Array.from(log.series[0].values)).toEqual([2.5, 2]);
  });

  it('rejects binary garbage as unsupported_format, naming the first binary byte', () => {
    const garbage = new Uint8Array(64).map((_, i) => (i * 37 + 11) & 0xff);

    expect(() => parseTrainingLog(garbage, 'weights.bin')).toThrow(
      expect.objectContaining({
        code: 'unsupported_format',
        message: 'weights.bin is not a training log the lab reads: byte 0 is 0x0b, so it is binary, and it is not a TensorBoard event file. Load a CSV, TSV, JSON or events.out.tfevents file (unpack .gz or .zip archives first).',
      }),
    );
  });

  it('rejects text that is not UTF-8 and says how to save it', () => {
    const latin1 = new Uint8Array([...utf8('step,loss\n0,1\n'), 0xe9, 0x0a]);

    expect(() => parseTrainingLog(latin1, 'latin1.csv')).toThrow('latin1.csv is not UTF-8 text. Save the log as UTF-8 (CSV UTF-8 in Excel) and load it again.');
  });

  it('reports prose as a text cell, naming the line and column', () => {
    expect(() => parseTrainingLog(utf8('Notes on run 4\nloss went down\n'), 'notes.md')).toThrow(/^notes\.md, line 2, column "Notes on run 4": "loss went down" is not a number\./);
  });

  it('reports garbage named as an event file as corrupt at byte 0', () => {
    expect(() => parseTrainingLog(utf8('step,loss\n0,1\n'), 'events.out.tfevents.123.host')).toThrow(
      expect.objectContaining({ code: 'corrupt_file', message: expect.stringMatching(/^events\.out\.tfevents\.123\.host is corrupt at byte 0:/) }),
    );
  });
});
