/**
 * The shapes a user's folder or zip of images becomes before the lab decodes anything: the files
 * as handed over, what their headers say, and the index of pairs and singles built from them.
 */

/** One file from a folder pick or a zip. */
export interface DatasetFile {
  /** Relative path, '/'-separated, as a folder pick (`webkitRelativePath`) or a zip names it. */
  path: string;
  /** The whole file; never modified by the dataset code. */
  bytes: Uint8Array;
}

/** Image formats the probe recognises from their first bytes; 'unknown' for anything else. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp' | 'unknown';

/**
 * How pixels are stored, as the header says. 'rgb' covers JPEG YCbCr and WebP's YUV, which
 * decode to RGB; 'cmyk' and 'ycck' are four-component JPEGs, which decoders convert differently.
 */
export type ColorModel = 'gray' | 'rgb' | 'rgba' | 'palette' | 'cmyk' | 'ycck' | 'unknown';

/** What an image's headers say, read without decoding any pixels. */
export interface ImageProbe {
  /** The format sniffed from the content; the file name plays no part. */
  format: ImageFormat;
  /** Stored width in pixels (before any EXIF rotation), or null when the header lacks it. */
  width: number | null;
  /** Stored height in pixels (before any EXIF rotation), or null when the header lacks it. */
  height: number | null;
  /** The stored colour layout; 'unknown' when the header is missing or unusual. */
  colorModel: ColorModel;
  /** Bits per sample (per palette index for palette images), or null when unknown. */
  bitDepth: number | null;
  /** 1..8 from a JPEG's APP1 Exif IFD0 Orientation tag; null when absent or out of range. */
  exifOrientation: number | null;
  /** A JPEG's Adobe APP14 transform byte (0 none/CMYK, 1 YCbCr, 2 YCCK); null when absent. */
  adobeTransform: number | null;
  /** Sentences about what may decode differently or not at all; empty for a plain image. */
  warnings: string[];
}

/** Two images of one scene from two sensors: `<id>.<ext>` and `<id><secondSuffix>.<ext>`. */
export interface PairedItem {
  /** The shared file stem, e.g. `id_abc` for `id_abc.jpg` and `id_abc_rgn.png`. */
  id: string;
  /** Path of the first-sensor image, `<id>.<ext>`. */
  first: string;
  /** Path of the second-sensor image, `<id>_rgn.<ext>` (or the chosen suffix). */
  second: string;
  /** The label from the labels CSV or the class folder; null when none was found. */
  label: string | null;
}

/** An image that is analysed alone (the lab makes two augmented views of it). */
export interface SingleItem {
  /** The file stem, without the second-sensor suffix for an orphaned second image. */
  id: string;
  /** Path of the image. */
  path: string;
  /** The label from the labels CSV or the class folder; null when none was found. */
  label: string | null;
  /** Why it has no partner, in a sentence the UI can show. */
  reason: string;
}

/** A file the lab will not analyse, with the reason in a sentence. */
export interface UnreadableFile {
  /** Path of the file as given. */
  path: string;
  /** What is wrong with it and, where there is one, what to do. */
  reason: string;
}

/** Counts for the UI's one-line summary; they always equal the lengths of the index's lists. */
export interface DatasetCounts {
  /** Number of paired items. */
  pairs: number;
  /** Number of single items. */
  singles: number;
  /** Number of unreadable files. */
  unreadable: number;
  /** Items (pairs and singles) with a label. */
  labelled: number;
  /** Number of distinct labels among the items. */
  classes: number;
}

/** The dataset the lab analyses, built from files by `indexDataset`. */
export interface DatasetIndex {
  /** 'paired-sensors' when any second-sensor file exists or pairs are expected; else 'image-folder'. */
  kind: 'paired-sensors' | 'image-folder';
  /** Pairs sorted by id in natural order (1, 2, 10), ties by path. */
  items: PairedItem[];
  /** Images without a partner, sorted like `items`. */
  singles: SingleItem[];
  /** Files that are not images the lab can read, sorted by path. */
  unreadable: UnreadableFile[];
  /** Distinct labels of items and singles, in natural order. */
  classes: string[];
  /** Ids from the labels CSV that match no image, in CSV order. */
  unmatchedLabelIds: string[];
  /** The CSV column the labels came from; null when they came from folders or are absent. */
  labelColumn: string | null;
  /** Path of the labels CSV used, or null. */
  labelsFile: string | null;
  /** De-duplicated sentences; files sharing a warning are named in one sentence. */
  warnings: string[];
  /** Numbers behind `summary`. */
  counts: DatasetCounts;
  /** One line for the UI, e.g. "9 pairs, 1 single, 2 unreadable". */
  summary: string;
}

/** Options of `indexDataset`. */
export interface IndexDatasetOptions {
  /** Stem suffix of the second-sensor image, matched case-insensitively; default '_rgn'. */
  secondSuffix?: string;
  /** Path of the labels CSV; default: the only .csv at the top level, if there is exactly one. */
  labelsFile?: string;
}

/** What `parseLabelsCsv` returns: ids and labels in file order, one per data row. */
export interface LabelsTable {
  /** Image ids without an image extension ('id_abc.jpg' becomes 'id_abc'); unique. */
  ids: string[];
  /** Labels, `labels[i]` belonging to `ids[i]`; same length as `ids`. */
  labels: string[];
  /** The id column's name as written in the header. */
  idColumn: string;
  /** The label column's name as written in the header. */
  labelColumn: string;
}
