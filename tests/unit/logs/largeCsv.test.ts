import { describe, expect, it } from 'vitest';

import { parseTrainingLog } from '../../../src/io/logs';
import { seriesOf, utf8 } from './logFixtures';

const ROWS = 1_000_000;

/** A `step,loss,acc` log of ROWS rows; acc is `nan` on every 1000th row and `inf` at row 5. */
function bigCsv(): Uint8Array {
  const lines = new Array<string>(ROWS + 1);
  lines[0] = 'step,loss,acc';
  for (let i = 0; i < ROWS; i++) {
    const acc = i % 1000 === 999 ? 'nan' : i === 5 ? 'inf' : String(i % 97);
    lines[i + 1] = `${i * 10},${i / 4},${acc}`;
  }
  return utf8(`${lines.join('\n')}\n`);
}

describe('parseTrainingLog on a million-row CSV', () => {
  it('reads every row of both columns with exact values and counts the non-finite ones', () => {
    const log = parseTrainingLog(bigCsv(), 'big.csv');
    const loss = seriesOf(log, 'loss');
    const acc = seriesOf(log, 'acc');

    expect(log.warnings).toEqual([]);
    expect(loss.steps.length).toBe(ROWS);
    expect(acc.values.length).toBe(ROWS);
    expect([loss.steps[0], loss.steps[123_457], loss.steps[ROWS - 1]]).toEqual([0, 1_234_570, 9_999_990]);
    expect([loss.values[0], loss.values[123_457], loss.values[ROWS - 1]]).toEqual([0, 30_864.25, 249_999.75]);
    expect([acc.values[5], acc.values[998], acc.values[999], acc.values[1000]]).toEqual([Infinity, 998 % 97, NaN, 1000 % 97]);
    expect(loss.nonFinite).toBe(0);
    expect(acc.nonFinite).toBe(ROWS / 1000 + 1);
  });
});
