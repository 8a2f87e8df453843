/**
 * Dataset readers: a folder pick or zip of images becomes an index of two-sensor pairs or
 * ImageFolder singles with labels attached by id. Pure TypeScript for workers and Node alike;
 * images are only sniffed here, decoding happens elsewhere.
 */

export { expandZip, MAX_ZIP_TOTAL_BYTES } from './expandZip';
export { DEFAULT_SECOND_SUFFIX, IMAGE_FOLDER_REASON, indexDataset, summarize } from './indexDataset';
export { parseLabelsCsv } from './labelsCsv';
export { compareNatural } from './naturalOrder';
export { probeImage } from './probeImage';

export type { ExpandZipOptions } from './expandZip';
export type {
  ColorModel,
  DatasetCounts,
  DatasetFile,
  DatasetIndex,
  ImageFormat,
  ImageProbe,
  IndexDatasetOptions,
  LabelsTable,
  PairedItem,
  SingleItem,
  UnreadableFile,
} from './types';
