import { describe, expect, it } from 'vitest';

import { IMAGE_FOLDER_REASON, indexDataset } from '../../../src/io/dataset';
import { LabError } from '../../../src/io/errors';
import { imageFile, shuffled, textFile } from './datasetFixtures';

import type { DatasetFile } from '../../../src/io/dataset';

/** The B32 folder: pairs 1, 2, 10 and 5 (uppercase), orphan 3.jpg, lone 4_rgn.png, labels in another order. */
function b32Folder(): DatasetFile[] {
  return [
    imageFile('1.jpg', 'baseline.jpg'),
    imageFile('1_rgn.jpg', 'baseline.jpg'),
    imageFile('2.jpg', 'baseline.jpg'),
    imageFile('2_rgn.jpg', 'baseline.jpg'),
    imageFile('10.jpg', 'baseline.jpg'),
    imageFile('10_rgn.jpg', 'baseline.jpg'),
    imageFile('3.jpg', 'baseline.jpg'),
    imageFile('4_rgn.png', 'rgb.png'),
    imageFile('5.JPG', 'baseline.jpg'),
    imageFile('5_rgn.jpg', 'baseline.jpg'),
    textFile('labels.csv', '\uFEFFImage_id,Label\r\n10.jpg,blast\r\n5,healthy\r\n3.jpg,brown\r\n99.jpg,blast\r\n1,brown\r\n'),
  ];
}

describe('indexDataset on two-sensor pairs (B32)', () => {
  it('pairs files by parsed id and sorts them in natural order', () => {
    const index = indexDataset(b32Folder());

    expect(index.kind).toBe('paired-sensors');
    expect(index.items).toEqual([
      { id: '1', first: '1.jpg', second: '1_rgn.jpg', label: 'brown' },
      { id: '2', first: '2.jpg', second: '2_rgn.jpg', label: null },
      { id: '5', first: '5.JPG', second: '5_rgn.jpg', label: 'healthy' },
      { id: '10', first: '10.jpg', second: '10_rgn.jpg', label: 'blast' },
    ]);
  });

  it('lists the orphan first image and the lone second image as singles with reasons', () => {
    const index = indexDataset(b32Folder());

    expect(index.singles).toEqual([
      { id: '3', path: '3.jpg', label: 'brown', reason: 'No second-sensor image "3_rgn.<ext>" for this image; it is analysed alone.' },
      { id: '4', path: '4_rgn.png', label: null, reason: 'No first-sensor image "4.<ext>" for this second-sensor image; it is analysed alone.' },
    ]);
  });

  it('lists label ids with no image and counts items with no label', () => {
    const index = indexDataset(b32Folder());

    expect(index.unmatchedLabelIds).toEqual(['99']);
    expect(index.labelColumn).toBe('Label');
    expect(index.labelsFile).toBe('labels.csv');
    expect(index.classes).toEqual(['blast', 'brown', 'healthy']);
    expect(index.counts).toEqual({ pairs: 4, singles: 2, unreadable: 0, labelled: 4, classes: 3 });
    expect(index.warnings).toEqual([
      '2 of 6 items have no row in labels.csv and stay unlabelled: "2", "4".',
      'labels.csv lists 1 id with no image: "99".',
    ]);
    expect(index.summary).toBe('4 pairs, 2 singles, 0 unreadable');
  });

  it('gives the same index for every shuffled listing of the same files', () => {
    const expected = indexDataset(b32Folder());

    for (const seed of [1, 2, 3, 17, 2024]) {
      expect(indexDataset(shuffled(b32Folder(), seed))).toEqual(expected);
    }
  });

  it('pairs an id whose two images differ in extension', () => {
    const index = indexDataset([imageFile('4.jpg', 'baseline.jpg'), imageFile('4_rgn.png', 'rgb.png')]);

    expect(index.items).toEqual([{ id: '4', first: '4.jpg', second: '4_rgn.png', label: null }]);
    expect(index.warnings).toEqual([]);
  });

  it('matches the second-sensor suffix in any case and accepts another suffix', () => {
    expect(indexDataset([imageFile('a.jpg', 'baseline.jpg'), imageFile('a_RGN.jpg', 'baseline.jpg')]).items).toHaveLength(1);

    const nir = indexDataset([imageFile('a.png', 'rgb.png'), imageFile('a-nir.png', 'rgb.png')], { secondSuffix: '-nir' });
    expect(nir.items).toEqual([{ id: 'a', first: 'a.png', second: 'a-nir.png', label: null }]);
  });

  it('gives a pair the label of a row naming its second image, as Zindi rows may', () => {
    const index = indexDataset([
      imageFile('imgs/id_a.jpg', 'baseline.jpg'),
      imageFile('imgs/id_a_rgn.jpg', 'baseline.jpg'),
      imageFile('imgs/id_b.jpg', 'baseline.jpg'),
      imageFile('imgs/id_b_rgn.jpg', 'baseline.jpg'),
      textFile('Train.csv', 'Image_id,Label\nid_a_rgn.jpg,blast\nid_b.jpg,brown\nid_b_rgn.jpg,brown\n'),
    ]);

    expect(index.items.map((item) => item.label)).toEqual(['blast', 'brown']);
    expect(index.unmatchedLabelIds).toEqual([]);
  });

  it('finds the labels CSV at the top of a picked folder', () => {
    const files = b32Folder().map((file) => ({ ...file, path: `rice/${file.path}` }));

    expect(indexDataset(files).labelsFile).toBe('rice/labels.csv');
  });
});

describe('indexDataset on files that are not plain RGB images', () => {
  it('lists non-images as unreadable by content, whatever their extension', () => {
    const index = indexDataset([
      imageFile('1.jpg', 'baseline.jpg'),
      imageFile('1_rgn.jpg', 'baseline.jpg'),
      textFile('2.jpg', 'this is not a jpeg'),
      textFile('notes.txt', 'hello'),
    ]);

    expect(index.unreadable).toEqual([
      { path: '2.jpg', reason: 'Named .jpg but not a readable image. Not a JPEG, PNG, WebP, GIF or BMP image (it starts with bytes 74 68 69 73 20 69 73 20).' },
      { path: 'notes.txt', reason: 'Not a JPEG, PNG, WebP, GIF or BMP image (it starts with bytes 68 65 6c 6c 6f).' },
    ]);
    expect(index.summary).toBe('1 pair, 0 singles, 2 unreadable');
  });

  it('keeps CMYK and YCCK JPEGs and flags them by name (B28)', () => {
    const index = indexDataset([
      imageFile('7.jpg', 'cmyk_adobe.jpg'),
      imageFile('7_rgn.jpg', 'ycck_adobe.jpg'),
      imageFile('8.jpg', 'cmyk_no_marker.jpg'),
      imageFile('8_rgn.jpg', 'baseline.jpg'),
      imageFile('9.jpg', 'cmyk_adobe.jpg'),
      imageFile('9_rgn.jpg', 'baseline.jpg'),
    ]);

    expect(index.items.map((item) => item.id)).toEqual(['7', '8', '9']);
    expect(index.warnings).toHaveLength(3);
    expect(index.warnings[0]).toMatch(/^Four-component JPEG \(CMYK\): .* 2 files: "7\.jpg", "9\.jpg"\.$/);
    expect(index.warnings[1]).toMatch(/^Four-component JPEG \(YCCK, Adobe transform 2\): .* 1 file: "7_rgn\.jpg"\.$/);
    expect(index.warnings[2]).toMatch(/^CMYK JPEG without an Adobe APP14 marker: .* 1 file: "8\.jpg"\.$/);
  });

  it('warns when an extension disagrees with the content and still pairs by content', () => {
    const index = indexDataset([imageFile('1.jpg', 'rgb.png'), imageFile('1_rgn.jpg', 'baseline.jpg')]);

    expect(index.items).toHaveLength(1);
    expect(index.warnings).toEqual(['Named .jpg but holds PNG data: the lab goes by the content, other tools may go by the name. Rename the files to match. 1 file: "1.jpg".']);
  });

  it('ignores system clutter such as .DS_Store and Thumbs.db', () => {
    const index = indexDataset([imageFile('1.jpg', 'baseline.jpg'), imageFile('1_rgn.jpg', 'baseline.jpg'), textFile('.DS_Store', 'x'), textFile('sub/Thumbs.db', 'x')]);

    expect(index.unreadable).toEqual([]);
  });
});

describe('indexDataset choosing the labels file', () => {
  const pair = () => [imageFile('1.jpg', 'baseline.jpg'), imageFile('1_rgn.jpg', 'baseline.jpg')];

  it('uses none of several top-level CSVs and says how to choose one', () => {
    const index = indexDataset([...pair(), textFile('Train.csv', 'Image_id,Label\n1,a\n'), textFile('Test.csv', 'Image_id\n1\n')]);

    expect(index.labelsFile).toBeNull();
    expect(index.warnings).toEqual(['Found 2 CSV files at the top ("Test.csv", "Train.csv") and used none as labels. Choose the labels file to attach labels.']);
    expect(index.unreadable.map((u) => u.reason)).toEqual(['A CSV file, not an image, and not the labels file.', 'A CSV file, not an image, and not the labels file.']);
  });

  it('uses the labels file it is given', () => {
    const index = indexDataset([...pair(), textFile('Train.csv', 'Image_id,Label\n1,a\n'), textFile('Test.csv', 'Image_id\n1\n')], { labelsFile: 'Train.csv' });

    expect(index.items[0].label).toBe('a');
    expect(index.unreadable).toEqual([{ path: 'Test.csv', reason: 'A CSV file, not an image, and not the labels file.' }]);
  });

  it('throws when the given labels file is not among the files, listing the CSVs present', () => {
    expect(() => indexDataset([...pair(), textFile('Train.csv', 'Image_id,Label\n')], { labelsFile: 'labels.csv' })).toThrow(
      'The labels file "labels.csv" is not among the dataset\'s files. CSV files present: "Train.csv".',
    );
  });

  it('throws the parse error of a given labels file', () => {
    expect(() => indexDataset([...pair(), textFile('l.csv', '1.jpg,a\n')], { labelsFile: 'l.csv' })).toThrow(/^l\.csv has no header row/);
  });

  it('lists a found CSV that does not parse as unreadable and indexes without labels', () => {
    const index = indexDataset([...pair(), textFile('l.csv', '1.jpg,a\n')]);

    expect(index.labelsFile).toBeNull();
    expect(index.unreadable).toEqual([{ path: 'l.csv', reason: expect.stringMatching(/^Not usable as the labels file\. l\.csv has no header row/) }]);
    expect(index.warnings).toEqual([expect.stringMatching(/^The labels file l\.csv could not be read, so the images have no labels\./)]);
  });

  it('throws on a path given twice', () => {
    const error = (() => {
      try {
        indexDataset([...pair(), imageFile('1.jpg', 'baseline.jpg')]);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).message).toBe('The file "1.jpg" was given twice. Pick each folder once, or remove the duplicate from the zip.');
  });
});

describe('indexDataset without second-sensor files', () => {
  it('treats a flat folder of images as an unlabelled image folder', () => {
    const index = indexDataset([imageFile('b.png', 'rgb.png'), imageFile('a.jpg', 'baseline.jpg')]);

    expect(index.kind).toBe('image-folder');
    expect(index.singles).toEqual([
      { id: 'a', path: 'a.jpg', label: null, reason: IMAGE_FOLDER_REASON },
      { id: 'b', path: 'b.png', label: null, reason: IMAGE_FOLDER_REASON },
    ]);
    expect(index.summary).toBe('2 images, 0 unreadable');
  });

  it('warns that there is nothing to analyse when no file is an image', () => {
    const index = indexDataset([textFile('readme.md', '# hi')]);

    expect(index.warnings).toEqual(['No JPEG, PNG, WebP, GIF or BMP images were found, so there is nothing to analyse. Pick the folder that holds the images.']);
  });
});
