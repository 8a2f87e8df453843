import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';

import { expandZip, indexDataset } from '../../../src/io/dataset';
import { LabError } from '../../../src/io/errors';
import { imageBytes } from './datasetFixtures';

describe('expandZip', () => {
  it('returns the files of a zip with stored and deflated entries, paths unchanged', () => {
    const jpeg = imageBytes('baseline.jpg');
    const zip = zipSync({
      'rice/1.jpg': [jpeg, { level: 0 }],
      'rice/1_rgn.jpg': [jpeg, { level: 6 }],
      'rice/labels.csv': strToU8('Image_id,Label\n1,blast\n'),
    });

    const files = expandZip(zip, 'rice.zip');

    expect(files.map((f) => f.path)).toEqual(['rice/1.jpg', 'rice/1_rgn.jpg', 'rice/labels.csv']);
    expect(files[0].bytes).toEqual(jpeg);
    expect(files[1].bytes).toEqual(jpeg);
  });

  it('skips directories, __MACOSX entries and dot-files', () => {
    const zip = zipSync({
      'rice/': new Uint8Array(0),
      'rice/1.jpg': imageBytes('baseline.jpg'),
      '__MACOSX/rice/._1.jpg': strToU8('resource fork'),
      'rice/.DS_Store': strToU8('finder'),
      'rice/._1.jpg': strToU8('resource fork'),
    });

    expect(expandZip(zip, 'rice.zip').map((f) => f.path)).toEqual(['rice/1.jpg']);
  });

  it('refuses a zip-slip entry, naming it in the message', () => {
    const zip = zipSync({ 'rice/1.jpg': imageBytes('baseline.jpg'), '../evil.jpg': imageBytes('baseline.jpg') });

    expect(() => expandZip(zip, 'rice.zip')).toThrow(
      'rice.zip contains entries whose paths point outside the archive: "../evil.jpg". The zip was refused; re-create it from the folder of images, with paths relative to that folder.',
    );
  });

  it('refuses absolute paths, drive letters and backslash escapes too', () => {
    for (const name of ['/etc/evil.jpg', 'C:/evil.jpg', 'rice\\..\\..\\evil.jpg', 'a/../../evil.jpg']) {
      const zip = zipSync({ [name]: imageBytes('baseline.jpg') });
      expect(() => expandZip(zip, 'x.zip'), name).toThrow(`"${name}"`);
    }
  });

  it('refuses a zip whose entries expand past the size cap, stating both sizes', () => {
    const zip = zipSync({ 'big.bin': new Uint8Array(3 * 2 ** 20) });

    let error: unknown;
    try {
      expandZip(zip, 'big.zip', { maxTotalBytes: 2 * 2 ** 20 });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).code).toBe('invalid_input');
    expect((error as LabError).message).toMatch(/^big\.zip expands to 3\.0 MiB, more than the 2\.0 MiB a browser tab can hold alongside the model\./);
  });

  it('reports bytes that are not a zip as a corrupt file', () => {
    expect(() => expandZip(strToU8('not a zip at all, just text padding it out past 22 bytes'), 'photos.zip')).toThrow(
      /^photos\.zip could not be read as a zip archive \(invalid zip data\)\. Check that the download finished/,
    );
  });

  it('feeds indexDataset the same pairs as the loose files', () => {
    const jpeg = imageBytes('baseline.jpg');
    const zip = zipSync({ 'set/2.jpg': jpeg, 'set/2_rgn.jpg': jpeg, 'set/1_rgn.jpg': jpeg, 'set/1.jpg': jpeg, '__MACOSX/set/._1.jpg': strToU8('x') });

    const index = indexDataset(expandZip(zip, 'set.zip'));

    expect(index.items.map((p) => [p.first, p.second])).toEqual([
      ['set/1.jpg', 'set/1_rgn.jpg'],
      ['set/2.jpg', 'set/2_rgn.jpg'],
    ]);
    expect(index.summary).toBe('2 pairs, 0 singles, 0 unreadable');
  });
});
