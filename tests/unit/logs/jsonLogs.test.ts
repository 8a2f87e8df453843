import { describe, expect, it } from 'vitest';

import { parseTrainingLog } from '../../../src/io/logs';
import { expectPoints, logFixture, seriesOf, utf8 } from './logFixtures';

describe('parseTrainingLog on JSON logs', () => {
  it('reads an array of records, with null as a missing NaN and an absent key as no point', () => {
    const log = parseTrainingLog(logFixture('records.json'), 'records.json');
    const acc = seriesOf(log, 'acc');

    expect(log.format).toBe('json');
    expect(log.series.map((s) => s.id)).toEqual(['loss', 'acc']);
    expectPoints(seriesOf(log, 'loss'), [0, 100, 200, 300], [6.2, 5.1, Infinity, 4.0]);
    expectPoints(acc, [0, 100, 300], [NaN, 0.1, 0.3]);
    expect(acc.nonFinite).toBe(1);
    expect(acc.missing).toBe(1);
    expect(log.warnings).toEqual(['records.json: keys "phase" hold no numbers and were left out.']);
  });

  it("reads JSON Lines with Python's bare NaN, keyed on epoch, skipping blank lines", () => {
    const log = parseTrainingLog(logFixture('dino_log.txt'), 'log.txt');

    expect(log.stepLabel).toBe('epoch');
    expect(log.series.map((s) => s.id)).toEqual(['train_loss', 'train_lr', 'k-NN top1']);
    expectPoints(seriesOf(log, 'train_loss'), [0, 1, 2], [10.98, NaN, 9.5]);
    expectPoints(seriesOf(log, 'k-NN top1'), [2], [12.5]);
    expect(log.warnings).toEqual([]);
  });

  it('reads {"steps": [...], "values": [...]} and names the series after the file', () => {
    const log = parseTrainingLog(logFixture('columns.json'), 'exports/columns.json');

    expect(log.series.map((s) => s.id)).toEqual(['columns']);
    expectPoints(log.series[0], [0, 10, 20, 30], [1.5, 1.25, NaN, 0.5]);
  });

  it('reads {"name": [[step, value], ...]} as one series per key', () => {
    const log = parseTrainingLog(logFixture('pairs.json'), 'pairs.json');

    expectPoints(seriesOf(log, 'train/loss'), [0, 1, 2], [2.0, 1.5, 1.0]);
    expectPoints(seriesOf(log, 'val/loss'), [0, 2], [2.2, 1.4]);
  });

  it("reads TensorBoard's Download JSON triples [wall_time, step, value]", () => {
    const log = parseTrainingLog(logFixture('run_a-tag-train_loss.json'), 'run_a-tag-train_loss.json');

    expect(log.series.map((s) => s.id)).toEqual(['run_a-tag-train_loss']);
    expectPoints(log.series[0], [0, 10, 20], [2.5, 2.0, 1.75]);
  });

  it("reads the log_history of HuggingFace's trainer_state.json keyed on step, noting the repeated step", () => {
    const log = parseTrainingLog(logFixture('trainer_state.json'), 'trainer_state.json');

    expect(log.stepLabel).toBe('step');
    expectPoints(seriesOf(log, 'loss'), [10, 20], [2.4, 1.9]);
    expectPoints(seriesOf(log, 'eval_loss'), [20], [1.75]);
    expectPoints(seriesOf(log, 'epoch'), [10, 20, 20], [0.5, 1.0, 1.0]);
    expect(log.warnings).toEqual([
      'trainer_state.json: some steps appear more than once (a resumed run, or several rows per step); every point is kept, in file order.',
    ]);
  });

  it('accepts NaN and infinity spelled as strings', () => {
    const log = parseTrainingLog(utf8('[{"step": 0, "loss": "nan"}, {"step": 1, "loss": "-inf"}]'), 'strings.json');

    expectPoints(seriesOf(log, 'loss'), [0, 1], [NaN, -Infinity]);
    expect(seriesOf(log, 'loss').missing).toBe(0);
  });

  it('names the line and column of a JSON syntax error', () => {
    const text = '[\n  {"step": 0, "loss": 1.0},\n  {"step": 1, "loss": 0.9,}\n]';

    expect(() => parseTrainingLog(utf8(text), 'broken.json')).toThrow(
      'broken.json is not valid JSON: expected a key in double quotes at line 3, column 27. Fix the file there, or export the log again.',
    );
  });

  it('names the line of a bad record in JSON Lines', () => {
    const text = '{"epoch": 0, "loss": 1}\n{"epoch": 1, "loss": 0.5}\n{"epoch": 2, "loss": }\n';

    expect(() => parseTrainingLog(utf8(text), 'log.txt')).toThrow(/log\.txt is not valid JSON: expected a value .* at line 3, column 22\./);
  });

  it('rejects a key that mixes numbers and text, naming the entry', () => {
    const text = '[{"step": 0, "loss": 1.5}, {"step": 1, "loss": "diverged"}]';

    expect(() => parseTrainingLog(utf8(text), 'mixed.json')).toThrow(
      'mixed.json, entry 1, key "loss": "diverged" is not a number. A metric must hold numbers (null and "NaN" are fine) in every entry; remove the text or rename the key.',
    );
  });

  it('rejects a config object without a step key and records without numbers as unsupported_format', () => {
    expect(() => parseTrainingLog(utf8('{"lr": 0.1, "arch": "resnet18"}'), 'config.json')).toThrow(/^config\.json is JSON but not a training log the lab reads \(its keys hold neither/);
    expect(() => parseTrainingLog(utf8('[{"step": 0, "note": "warmup"}]'), 'notes.json')).toThrow(/^notes\.json is JSON but not a training log the lab reads \(no key holds numbers\)/);
  });

  it('reads a single object that has a step key as one record', () => {
    const log = parseTrainingLog(utf8('{"epoch": 3, "top1": 41.5}'), 'eval.json');

    expectPoints(seriesOf(log, 'top1'), [3], [41.5]);
  });

  it('rejects JSON of another shape as unsupported_format and lists the shapes it reads', () => {
    expect(() => parseTrainingLog(utf8('{"model": {"depth": 18}, "runs": ["a", "b"]}'), 'config.json')).toThrow(
      expect.objectContaining({
        code: 'unsupported_format',
        message: expect.stringMatching(/^config\.json is JSON but not a training log the lab reads \(.*\)\. Expected an array of/),
      }),
    );
  });
});
