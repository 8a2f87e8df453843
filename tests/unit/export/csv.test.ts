import { describe, expect, it } from 'vitest';

import { csvCell, matrixToCsv, tableToCsv } from '../../../src/io/export/csv';

describe('CSV export', () => {
  it('csvCell quotes text with commas, quotes or line breaks and leaves NaN empty', () => {
    expect(csvCell('stage1')).toBe('stage1');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(Number.POSITIVE_INFINITY)).toBe('inf');
    expect(csvCell(0.1 + 0.2)).toBe('0.30000000000000004');
  });

  it('matrixToCsv writes labels on both axes and one row per label', () => {
    expect(matrixToCsv(['stem', 'stage1'], [1, 0.5, 0.5, Number.NaN], 'cka')).toBe('cka,stem,stage1\r\nstem,1,0.5\r\nstage1,0.5,\r\n');
  });

  it('tableToCsv writes the header and then every row', () => {
    expect(tableToCsv(['step', 'loss'], [[0, 4.8], [1, null]])).toBe('step,loss\r\n0,4.8\r\n1,\r\n');
  });
});
