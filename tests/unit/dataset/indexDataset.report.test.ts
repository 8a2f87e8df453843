import { describe, expect, it } from 'vitest';

import { indexDataset } from '../../../src/io/dataset';
import { imageFile, textFile } from './datasetFixtures';

import type { DatasetFile } from '../../../src/io/dataset';

/** `count` complete pairs named 1..count. */
function pairs(count: number): DatasetFile[] {
  return Array.from({ length: count }, (_, i) => [
    imageFile(`${i + 1}.jpg`, 'baseline.jpg'),
    imageFile(`${i + 1}_rgn.jpg`, 'baseline.jpg'),
  ]).flat();
}

describe('indexDataset counts and summaries', () => {
  it('summarises nine pairs, one single and two unreadable files in one line', () => {
    const index = indexDataset([...pairs(9), imageFile('orphan.jpg', 'baseline.jpg'), textFile('a.txt', 'a'), textFile('b.jpg', 'b')]);

    expect(index.counts).toEqual({ pairs: 9, singles: 1, unreadable: 2, labelled: 0, classes: 0 });
    expect(index.summary).toBe('9 pairs, 1 single, 2 unreadable');
  });

  it('names the first five unlabelled items and counts the rest', () => {
    const index = indexDataset([...pairs(8), textFile('labels.csv', 'Image_id,Label\n8,blast\n')]);

    expect(index.warnings).toEqual(['7 of 8 items have no row in labels.csv and stay unlabelled: "1", "2", "3", "4", "5" and 2 more.']);
  });

  it('names each file once when many share a warning', () => {
    const files = [...pairs(2), imageFile('3.jpg', 'cmyk_adobe.jpg'), imageFile('3_rgn.jpg', 'cmyk_adobe.jpg')];

    const index = indexDataset(files);

    expect(index.warnings).toEqual([expect.stringMatching(/ 2 files: "3\.jpg", "3_rgn\.jpg"\.$/)]);
  });

  it('reads a labels CSV saved as UTF-16 with a byte order mark', () => {
    const text = '\uFEFFImage_id,Label\r\n1,blast\r\n';
    const utf16 = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) utf16[2 * i] = text.charCodeAt(i) & 0xff;
    utf16.set([0xff, 0xfe], 0);

    const index = indexDataset([...pairs(1), { path: 'labels.csv', bytes: utf16 }]);

    expect(index.items[0].label).toBe('blast');
  });
});
