import { describe, expect, it } from 'vitest';

import { LabError } from '../../../src/io/errors';
import { parseTrainingLog } from '../../../src/io/logs';
import { expectPoints, logFixture, seriesOf, utf8 } from './logFixtures';

describe('parseTrainingLog on fastai CSVLogger files', () => {
  it('reads one series per column keyed on epoch, with #na# as NaN and CRLF line ends', () => {
    const log = parseTrainingLog(logFixture('fastai_history.csv'), 'history.csv');

    expect(log.format).toBe('fastai-csv');
    expect(log.stepLabel).toBe('epoch');
    expect(log.series.map((s) => s.id)).toEqual(['train_loss', 'valid_loss', 'accuracy', 'time']);
    expectPoints(seriesOf(log, 'train_loss'), [0, 1, 2, 3], [1.912345, 1.50321, 1.250001, 1.1]);
    expectPoints(seriesOf(log, 'valid_loss'), [0, 1, 2, 3], [1.654321, 1.401234, NaN, 1.15]);
    expect(seriesOf(log, 'valid_loss').nonFinite).toBe(1);
    expect(seriesOf(log, 'valid_loss').missing).toBe(0);
    expect(log.warnings).toEqual([]);
  });

  it('keeps the time column as seconds per epoch, reading mm:ss and h:mm:ss', () => {
    const time = seriesOf(parseTrainingLog(logFixture('fastai_history.csv'), 'history.csv'), 'time');

    expect(time.label).toBe('time (s)');
    expectPoints(time, [0, 1, 2, 3], [12, 11, 3723, 10]);
  });

  it('names the line and column of a time cell that is not a duration', () => {
    const text = 'epoch,train_loss,time\n0,1.5,00:12\n1,1.4,soon\n';

    expect(() => parseTrainingLog(utf8(text), 'fit.csv')).toThrow(/fit\.csv, line 3, column "time": "soon" is not a number/);
  });
});

describe('parseTrainingLog on Weights & Biases CSV exports', () => {
  it('attaches __MIN and __MAX as lower and upper bands of the quoted main column', () => {
    const log = parseTrainingLog(logFixture('wandb_export.csv'), 'wandb_export.csv');
    const run1 = seriesOf(log, 'swav-rn18-1 - train/loss');

    expect(log.format).toBe('wandb-csv');
    expect(log.series.map((s) => s.id)).toEqual(['swav-rn18-1 - train/loss', 'swav-rn18-2 - train/loss']);
    expectPoints(run1, [0, 50, 100, 150], [8.01, 6.5, NaN, 4.1]);
    expect(Array.from(run1.lower!)).toEqual([7.9, 6.4, NaN, 4.0]);
    expect(Array.from(run1.upper!)).toEqual([8.1, 6.6, NaN, 4.2]);
    expect(run1.nonFinite).toBe(1);
    expect(log.warnings).toEqual([]);
  });

  it('drops the rows where W&B did not log a metric instead of making NaN gaps', () => {
    const run2 = seriesOf(parseTrainingLog(logFixture('wandb_export.csv'), 'wandb_export.csv'), 'swav-rn18-2 - train/loss');

    expectPoints(run2, [0, 100, 150], [8.05, 5.9, 5.1]);
    expect(Array.from(run2.lower!)).toEqual([8.0, 5.8, 5.0]);
    expect(run2.nonFinite).toBe(0);
  });

  it('keys a history export on _step and leaves out the system columns with a warning', () => {
    const log = parseTrainingLog(logFixture('wandb_history.csv'), 'history.csv');

    expect(log.format).toBe('wandb-csv');
    expect(log.series.map((s) => s.id)).toEqual(['train/loss', 'val/top1']);
    expectPoints(seriesOf(log, 'val/top1'), [2], [12.5]);
    expect(log.warnings).toEqual(['history.csv: W&B system columns "_runtime", "_timestamp" are not metrics and were left out.']);
  });
});

describe('parseTrainingLog on plain CSV and TSV logs', () => {
  it('parses every NaN and infinity spelling of the B24 recipe and keeps the point between two NaNs', () => {
    const log = parseTrainingLog(logFixture('b24_loss.csv'), 'b24_loss.csv');
    const loss = seriesOf(log, 'loss');

    expect(loss.steps.length).toBe(18);
    expect(Array.from(loss.values)).toEqual([
      0.1, 0.05, 0.01, 0, -0.5, NaN, 0.001, NaN, Infinity, NaN, 1e-4, -Infinity, 1e-5, Infinity, NaN, NaN, NaN, 1e-6,
    ]);
    expect(loss.values[6]).toBe(0.001);
    expect(loss.nonFinite).toBe(9);
    expect(loss.missing).toBe(1);
    expect(log.warnings).toEqual([]);
  });

  it('reads a TSV with a UTF-8 BOM and CRLF line ends, keyed on its iteration column', () => {
    const log = parseTrainingLog(logFixture('bom_crlf.tsv'), 'bom_crlf.tsv');

    expect(log.format).toBe('csv');
    expect(log.series.map((s) => s.id)).toEqual(['loss', 'lr']);
    expectPoints(seriesOf(log, 'loss'), [0, 100, 200], [4.5, 3.25, 2.75]);
    expectPoints(seriesOf(log, 'lr'), [0, 100, 200], [0.001, 0.002, 0.004]);
    expect(log.warnings).toEqual([]);
  });

  it('reads Lightning metrics.csv rows as logged per metric, keyed on step rather than epoch, with notes on both', () => {
    const log = parseTrainingLog(logFixture('lightning_metrics.csv'), 'metrics.csv');

    expect(log.stepLabel).toBe('step');
    expect(log.series.map((s) => s.id)).toEqual(['epoch', 'train_loss', 'val_loss', 'val_acc']);
    expectPoints(seriesOf(log, 'train_loss'), [49, 99, 149, 199], [2.31, 2.05, 1.84, 1.7]);
    expectPoints(seriesOf(log, 'val_loss'), [99, 199], [1.98, 1.66]);
    expect(seriesOf(log, 'val_loss').nonFinite).toBe(0);
    expect(log.warnings).toEqual([
      'metrics.csv: some steps appear more than once (a resumed run, or several rows per step); every point is kept, in file order.',
      `metrics.csv: 10 empty cells in "train_loss", "val_loss", "val_acc" share a row with other metrics' values, so they were read as not logged there (no point, no NaN).`,
    ]);
  });

  it('numbers rows from 0 when no column names a step, and says so in a warning', () => {
    const log = parseTrainingLog(utf8('loss,acc\n2.5,0.1\n2.0,0.2\n'), 'plain.csv');

    expectPoints(seriesOf(log, 'acc'), [0, 1], [0.1, 0.2]);
    expect(log.warnings).toEqual(['plain.csv has no step column (step, iteration, iter, epoch); rows are numbered from 0.']);
  });

  it('keys on an epoch column with stepLabel epoch', () => {
    const log = parseTrainingLog(utf8('epoch,top1\n0,10\n1,20\n'), 'eval.csv');

    expect(log.stepLabel).toBe('epoch');
    expectPoints(seriesOf(log, 'top1'), [0, 1], [10, 20]);
  });

  it("names TensorBoard's Download CSV series after the file and leaves out the wall time", () => {
    const log = parseTrainingLog(logFixture('run_b-tag-val_loss.csv'), 'downloads/run_b-tag-val_loss.csv');

    expect(log.series.map((s) => s.id)).toEqual(['run_b-tag-val_loss']);
    expectPoints(log.series[0], [0, 10], [2.5, 2]);
  });

  it('uses an unnamed pandas index column as the step when nothing else names one', () => {
    const log = parseTrainingLog(utf8(',loss\n0,1.5\n1,1.25\n'), 'df.csv');

    expectPoints(seriesOf(log, 'loss'), [0, 1], [1.5, 1.25]);
    expect(log.warnings).toEqual(['df.csv: the unnamed first column (a pandas index) is used as the step.']);
  });

  it('sorts steps written out of order and warns once', () => {
    const log = parseTrainingLog(utf8('step,loss,acc\n20,1,5\n0,3,7\n10,2,6\n'), 'shuffled.csv');

    expectPoints(seriesOf(log, 'loss'), [0, 10, 20], [3, 2, 1]);
    expect(log.warnings).toEqual(['shuffled.csv: steps are not in ascending order; the series were sorted by step.']);
  });

  it('drops a last line that was cut short while the run was writing, with a warning', () => {
    const log = parseTrainingLog(utf8('step,loss,acc\n0,1.5,0.1\n1,1.4,0.2\n2,1.3'), 'live.csv');

    expectPoints(seriesOf(log, 'loss'), [0, 1], [1.5, 1.4]);
    expect(log.warnings).toEqual(['live.csv: the last line was cut short (the run may still be writing) and was dropped.']);
  });

  it('leaves out a column with no header name, as a trailing comma makes, with a warning', () => {
    const log = parseTrainingLog(utf8('step,loss,\n0,1.5,\n1,1.25,\n'), 'trailing.csv');

    expect(log.series.map((s) => s.id)).toEqual(['loss']);
    expectPoints(log.series[0], [0, 1], [1.5, 1.25]);
    expect(log.warnings).toEqual(['trailing.csv: left out 1 column with no name in the header (a trailing delimiter?).']);
  });

  it('reads a header with no rows as empty series, with a warning', () => {
    const log = parseTrainingLog(utf8('epoch,train_loss,valid_loss,time\n'), 'new.csv');

    expect(log.format).toBe('fastai-csv');
    expect(log.series.map((s) => s.steps.length)).toEqual([0, 0, 0]);
    expect(log.warnings).toEqual(['new.csv has a header but no rows yet, so every series is empty.']);
  });

  it('drops rows whose step cell is empty or nan, and counts them in a warning', () => {
    const log = parseTrainingLog(utf8('step,loss\n0,1\n,2\nnan,3\n3,4\n'), 'gaps.csv');

    expectPoints(seriesOf(log, 'loss'), [0, 3], [1, 4]);
    expect(log.warnings).toEqual(['gaps.csv: dropped 2 rows of "loss" with no usable step (empty, nan or inf).']);
  });
});

describe('parseTrainingLog rejects bad CSV', () => {
  it('names the file, line and column of text in a value column', () => {
    const text = 'step,loss\n0,1.5\n1,diverged\n';

    expect(() => parseTrainingLog(utf8(text), 'run.csv')).toThrow(
      'run.csv, line 3, column "loss": "diverged" is not a number. Value columns must hold numbers (nan, inf and empty cells are fine); remove text columns from the log or export it again with numbers only.',
    );
  });

  it('reports a row with too many cells, with the line number and the delimiter to check', () => {
    const error = catchLabError(() => parseTrainingLog(utf8('step,loss\n0,1\n1,2,3\n2,3\n'), 'run.csv'));

    expect(error.code).toBe('invalid_input');
    expect(error.message).toBe('run.csv, line 3 has 3 cells but the header names 2 columns. Check that every row uses the comma delimiter of the header and that no row was cut short.');
  });

  it('reports a row with too few cells in the middle of the file', () => {
    expect(() => parseTrainingLog(utf8('step,loss,acc\n0,1\n1,2,3\n'), 'run.csv')).toThrow(/run\.csv, line 2 has 2 cells but the header names 3 columns/);
  });

  it('asks for a header row when the first row holds numbers', () => {
    expect(() => parseTrainingLog(utf8('0,1.5\n1,1.25\n'), 'bare.csv')).toThrow(/The first row of bare\.csv holds numbers \(0,1\.5\), not column names\. Add a header row/);
  });

  it('rejects a header that names a column twice', () => {
    expect(() => parseTrainingLog(utf8('step,loss,loss\n0,1,2\n'), 'dup.csv')).toThrow('The header of dup.csv names the column "loss" twice. Rename one of them so every series has its own name.');
  });

  it('rejects an empty file and a file of blank lines', () => {
    expect(() => parseTrainingLog(new Uint8Array(0), 'empty.csv')).toThrow('empty.csv is empty. Load the log again once the run has written to it.');
    expect(() => parseTrainingLog(utf8('\n\r\n  \n'), 'blank.csv')).toThrow(/blank\.csv is empty: a training log needs a header row/);
  });
});

function catchLabError(run: () => unknown): LabError {
  try {
    run();
  } catch (error) {
    if (error instanceof LabError) return error;
    throw error;
  }
  throw new Error('expected a LabError, but nothing was thrown');
}
