import { describe, expect, it } from 'vitest';

import { IMAGE_FOLDER_REASON, indexDataset } from '../../../src/io/dataset';
import { imageFile, shuffled, textFile } from './datasetFixtures';

import type { DatasetFile } from '../../../src/io/dataset';

/** An ImageFolder export: the class is the folder that holds each image. */
function classFolders(): DatasetFile[] {
  return [
    imageFile('pets/train/dog/2.png', 'rgb.png'),
    imageFile('pets/train/cat/10.png', 'rgb.png'),
    imageFile('pets/train/cat/1.png', 'gray.png'),
    imageFile('pets/val/cat/3.webp', 'lossy.webp'),
    imageFile('pets/val/bird/4.jpg', 'baseline.jpg'),
  ];
}

describe('indexDataset on an ImageFolder', () => {
  it('labels each image with its parent folder and sorts the classes', () => {
    const index = indexDataset(classFolders());

    expect(index.kind).toBe('image-folder');
    expect(index.items).toEqual([]);
    expect(index.singles).toEqual([
      { id: '1', path: 'pets/train/cat/1.png', label: 'cat', reason: IMAGE_FOLDER_REASON },
      { id: '2', path: 'pets/train/dog/2.png', label: 'dog', reason: IMAGE_FOLDER_REASON },
      { id: '3', path: 'pets/val/cat/3.webp', label: 'cat', reason: IMAGE_FOLDER_REASON },
      { id: '4', path: 'pets/val/bird/4.jpg', label: 'bird', reason: IMAGE_FOLDER_REASON },
      { id: '10', path: 'pets/train/cat/10.png', label: 'cat', reason: IMAGE_FOLDER_REASON },
    ]);
    expect(index.classes).toEqual(['bird', 'cat', 'dog']);
    expect(index.labelColumn).toBeNull();
    expect(index.warnings).toEqual([]);
    expect(index.summary).toBe('5 images in 3 classes, 0 unreadable');
  });

  it('gives the same index for a shuffled listing', () => {
    expect(indexDataset(shuffled(classFolders(), 99))).toEqual(indexDataset(classFolders()));
  });

  it('leaves an image outside the class folders unlabelled and names it in a warning', () => {
    const index = indexDataset([...classFolders(), imageFile('pets/stray.png', 'rgb.png')]);

    expect(index.singles.find((s) => s.path === 'pets/stray.png')?.label).toBeNull();
    expect(index.warnings).toEqual(['Images outside the class folders get no class. Move them into the folder of their class. 1 file: "pets/stray.png".']);
  });

  it('takes labels from a labels CSV over folder names when one is present', () => {
    const index = indexDataset([...classFolders(), textFile('pets/labels.csv', 'image_id,label\n1.png,feline\n2,canine\n')]);

    expect(index.labelColumn).toBe('label');
    expect(index.singles.map((s) => s.label)).toEqual(['feline', 'canine', null, null, null]);
    expect(index.classes).toEqual(['canine', 'feline']);
  });
});

describe('indexDataset on ids repeated across folders or extensions', () => {
  it('pairs partners within each folder when one id appears in two folders', () => {
    const index = indexDataset([
      imageFile('train/1.jpg', 'baseline.jpg'),
      imageFile('val/1_rgn.jpg', 'baseline.jpg'),
      imageFile('val/1.jpg', 'baseline.jpg'),
      imageFile('train/1_rgn.jpg', 'baseline.jpg'),
    ]);

    expect(index.items).toEqual([
      { id: '1', first: 'train/1.jpg', second: 'train/1_rgn.jpg', label: null },
      { id: '1', first: 'val/1.jpg', second: 'val/1_rgn.jpg', label: null },
    ]);
    expect(index.warnings).toEqual([expect.stringMatching(/^Ids shared by more than one item .*: "1"\.$/)]);
  });

  it('pairs one first and one second image kept in different folders', () => {
    const index = indexDataset([imageFile('rgb/7.jpg', 'baseline.jpg'), imageFile('rgn/7_rgn.jpg', 'baseline.jpg')]);

    expect(index.items).toEqual([{ id: '7', first: 'rgb/7.jpg', second: 'rgn/7_rgn.jpg', label: null }]);
  });

  it('pairs the first by path of two same-id images and explains the one left over', () => {
    const index = indexDataset([imageFile('1.png', 'rgb.png'), imageFile('1.jpg', 'baseline.jpg'), imageFile('1_rgn.jpg', 'baseline.jpg')]);

    expect(index.items).toEqual([{ id: '1', first: '1.jpg', second: '1_rgn.jpg', label: null }]);
    expect(index.singles).toEqual([
      {
        id: '1',
        path: '1.png',
        label: null,
        reason: 'Id "1" has 2 first-sensor and 1 second-sensor images, so this one could not be paired unambiguously and is analysed alone. Keep one file per id and side, with partners in the same folder.',
      },
    ]);
  });
});
