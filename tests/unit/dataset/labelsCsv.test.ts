import { describe, expect, it } from 'vitest';

import { parseLabelsCsv } from '../../../src/io/dataset';
import { LabError } from '../../../src/io/errors';

/** The thrown error of `run`, failing the test when nothing is thrown. */
function thrown(run: () => unknown): LabError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LabError);
    return error as LabError;
  }
  throw new Error('expected a LabError, but nothing was thrown');
}

describe('parseLabelsCsv', () => {
  it('reads a Zindi table with a BOM and CRLF line ends, header intact (B32)', () => {
    const table = parseLabelsCsv('\uFEFFImage_id,Label\r\nid_b.jpg,blast\r\nid_a.jpg,brown\r\n', 'Train.csv');

    expect(table).toEqual({ ids: ['id_b', 'id_a'], labels: ['blast', 'brown'], idColumn: 'Image_id', labelColumn: 'Label' });
  });

  it('matches the column names in any case and ignores other columns', () => {
    const table = parseLabelsCsv('score,LABEL,image_ID\n0.5,healthy,7\n', 'x.csv');

    expect(table).toEqual({ ids: ['7'], labels: ['healthy'], idColumn: 'image_ID', labelColumn: 'LABEL' });
  });

  it('strips an image extension from ids in any case and keeps other dots', () => {
    const table = parseLabelsCsv('Image_id,Label\nid_a.JPG,x\nid_b,y\nid.c.png,z\nv1.2,w\n', 'x.csv');

    expect(table.ids).toEqual(['id_a', 'id_b', 'id.c', 'v1.2']);
  });

  it('unquotes cells that hold commas, doubled quotes and line breaks', () => {
    const table = parseLabelsCsv('"Image_id","Label"\r\n"1.jpg","leaf, blast"\r\n2,"say ""hi""\r\nagain"\r\n', 'x.csv');

    expect(table.labels).toEqual(['leaf, blast', 'say "hi"\r\nagain']);
  });

  it('reads semicolon- and tab-delimited tables', () => {
    expect(parseLabelsCsv('Image_id;Label\n1;a\n', 'x.csv').labels).toEqual(['a']);
    expect(parseLabelsCsv('Image_id\tLabel\n1\ta\n', 'x.tsv').labels).toEqual(['a']);
  });

  it('trims cells and skips blank lines', () => {
    expect(parseLabelsCsv('Image_id , Label\n\n 1.jpg , blast \n\r\n', 'x.csv')).toEqual({ ids: ['1'], labels: ['blast'], idColumn: 'Image_id', labelColumn: 'Label' });
  });

  it('rejects duplicate ids, naming them and their lines, also with and without extension', () => {
    const error = thrown(() => parseLabelsCsv('Image_id,Label\na.jpg,x\nb,y\na,x\nb.png,z\n', 'Train.csv'));

    expect(error.code).toBe('invalid_input');
    expect(error.message).toBe('Train.csv lists 2 image ids more than once: "a" (lines 2 and 4), "b" (lines 3 and 5). An id with and without its extension is the same image. Keep one row per image.');
  });

  it('rejects a table without a header row instead of shifting every label (B32)', () => {
    const error = thrown(() => parseLabelsCsv('id_a.jpg,blast\nid_b.jpg,brown\n', 'labels.csv'));

    expect(error.message).toMatch(/^labels\.csv has no header row: its first row \("id_a\.jpg", "blast"\) looks like data\. Add the header "Image_id,Label"/);
  });

  it('rejects a table without a Label column and names the columns it has', () => {
    const error = thrown(() => parseLabelsCsv('Image_id\nid_a.jpg\n', 'Test.csv'));

    expect(error.message).toBe('Test.csv has no Label column: its header names "Image_id". The labels file needs the columns Image_id and Label (any case).');
  });

  it('rejects a row with the wrong number of cells, naming its line', () => {
    const error = thrown(() => parseLabelsCsv('Image_id,Label\n1,a\n2,b,extra\n', 'x.csv'));

    expect(error.message).toMatch(/^Line 3 of x\.csv has 3 cells but the header names 2 columns\./);
  });

  it('rejects an empty label, naming the line and the image', () => {
    const error = thrown(() => parseLabelsCsv('Image_id,Label\n1,a\n2, \n', 'x.csv'));

    expect(error.message).toBe('Line 3 of x.csv has an empty Label for image "2". Fill in the label or delete the row.');
  });

  it('rejects a quoted cell that is never closed, naming the line it opens on', () => {
    const error = thrown(() => parseLabelsCsv('Image_id,Label\n1,a\n2,"b\n3,c\n', 'x.csv'));

    expect(error.message).toMatch(/^Line 3 of x\.csv opens a quoted cell that is never closed\./);
  });

  it('rejects an empty file with the header it expects', () => {
    expect(() => parseLabelsCsv('\uFEFF\r\n', 'x.csv')).toThrow('x.csv is empty: expected a header row "Image_id,Label" and then one row per image.');
  });
});
