/**
 * Turns a user's files into the dataset the lab analyses: decodable images found by content,
 * two-sensor pairs matched by id (or an ImageFolder of class folders), labels attached from
 * the labels CSV by id, and everything left over listed with a reason.
 */

import { LabError, isLabError } from '../errors';
import { attachLabels } from './attachLabels';
import { isClutterPath, normalizePath, splitPath } from './datasetPath';
import { parseLabelsCsv } from './labelsCsv';
import { countOf, listNames } from './nameList';
import { compareNatural } from './naturalOrder';
import { hasSecondSuffix, pairImages } from './pairImages';
import { scanFiles } from './scanFiles';
import { WarningGroups } from './warningGroups';

import type { ScannedImage } from './scanFiles';
import type { DatasetCounts, DatasetFile, DatasetIndex, IndexDatasetOptions, LabelsTable, PairedItem, SingleItem, UnreadableFile } from './types';

/** The second-sensor suffix of the Zindi rice-disease data (`id_abc_rgn.jpg`). */
export const DEFAULT_SECOND_SUFFIX = '_rgn';
/** The reason every ImageFolder single carries. */
export const IMAGE_FOLDER_REASON = 'single image: the lab makes two augmented views';


/** A file after path normalisation. */
interface NamedFile {
  /** The path as given, reported back unchanged. */
  path: string;
  /** The path with '/' separators and no './' segments, used for every comparison. */
  normalized: string;
  bytes: Uint8Array;
}

/**
 * The index of `files` (paths relative and '/'-separated, as a folder pick or `expandZip` gives
 * them). Any `<id>_rgn` image makes it 'paired-sensors'; otherwise it is an 'image-folder',
 * labelled by parent folder when the images sit in two or more folders. The listing order of
 * `files` never matters. Throws LabError 'invalid_input' for a repeated path, a bad
 * `secondSuffix`, or an explicit `labelsFile` that is missing or fails to parse; an automatically
 * found CSV that fails to parse is listed as unreadable instead.
 */
export function indexDataset(
  files: DatasetFile[],
  options: IndexDatasetOptions = {},
): DatasetIndex {
  const suffix = options.secondSuffix ?? DEFAULT_SECOND_SUFFIX;
  if (suffix.length === 0 || suffix.includes('/') || suffix.includes('.')) {
    throw new LabError('invalid_input', `The second-sensor suffix "${suffix}" must be non-empty and contain no '/' or '.', e.g. "_rgn" for "id_abc_rgn.jpg".`);
  }
  const named = nameFiles(files);
  const warnings = new WarningGroups();

  const labels = chooseLabelsFile(named, options.labelsFile);
  const unreadable: UnreadableFile[] = [...labels.unusedCsvs, ...labels.failed];
  if (labels.warning !== null) warnings.add(labels.warning);
  const candidates = named.filter((file) => !labels.csvPaths.has(file.path));
  const scan = scanFiles(candidates, warnings);
  unreadable.push(...scan.unreadable);

  const paired = scan.images.some((image) => hasSecondSuffix(image.parts.stem, suffix));
  const { pairs, singles } = paired
    ? pairImages(scan.images, suffix)
    : { pairs: [], singles: folderSingles(scan.images) };
  let unmatchedLabelIds: string[] = [];
  if (labels.table !== null && labels.file !== null) {
    const folded = paired ? suffix : null;
    const match = attachLabels(labels.table, pairs, singles, folded, labels.file.path, warnings);
    unmatchedLabelIds = match.unmatchedLabelIds;
  } else if (!paired) {
    applyFolderClasses(scan.images, singles, warnings);
  }

  const labelsPath = labels.file?.path ?? null;
  addDatasetWarnings(warnings, pairs, singles, labelsPath, unmatchedLabelIds, scan.images.length);
  unreadable.sort((a, b) => compareNatural(a.path, b.path));
  const classes = distinctLabels([...pairs, ...singles]);
  const counts: DatasetCounts = {
    pairs: pairs.length,
    singles: singles.length,
    unreadable: unreadable.length,
    labelled: [...pairs, ...singles].filter((item) => item.label !== null).length,
    classes: classes.length,
  };
  const kind = paired ? 'paired-sensors' : 'image-folder';
  return {
    kind,
    items: pairs,
    singles,
    unreadable,
    classes,
    unmatchedLabelIds,
    labelColumn: labels.table?.labelColumn ?? null,
    labelsFile: labelsPath,
    warnings: warnings.list(),
    counts,
    summary: summarize(kind, counts),
  };
}

/**
 * The one-line summary the UI shows: "9 pairs, 1 single, 2 unreadable" for two-sensor data,
 * "12 images in 3 classes, 1 unreadable" for an image folder.
 */
export function summarize(kind: DatasetIndex['kind'], counts: DatasetCounts): string {
  const unreadable = `${counts.unreadable} unreadable`;
  if (kind === 'paired-sensors') return `${countOf(counts.pairs, 'pair')}, ${countOf(counts.singles, 'single')}, ${unreadable}`;
  const classes = counts.classes > 0 ? ` in ${countOf(counts.classes, 'class', 'classes')}` : '';
  return `${countOf(counts.singles, 'image')}${classes}, ${unreadable}`;
}

/** `files` less OS clutter, with normalised paths; throws on a repeated path. */
function nameFiles(files: DatasetFile[]): NamedFile[] {
  const seen = new Set<string>();
  const named: NamedFile[] = [];
  for (const file of files) {
    const normalized = normalizePath(file.path);
    if (seen.has(normalized)) {
      throw new LabError('invalid_input', `The file "${file.path}" was given twice. Pick each folder once, or remove the duplicate from the zip.`);
    }
    seen.add(normalized);
    if (!isClutterPath(normalized)) named.push({ path: file.path, normalized, bytes: file.bytes });
  }
  return named.sort((a, b) => compareNatural(a.normalized, b.normalized));
}

/** The chosen labels file and table, CSVs not used, and a warning about the choice. */
interface LabelsChoice {
  /** The labels file used, or null when none was found or it failed to parse. */
  file: NamedFile | null;
  /** Its parsed table; non-null exactly when `file` is. */
  table: LabelsTable | null;
  /** Given paths of every CSV and of the labels file: none of them is probed as an image. */
  csvPaths: Set<string>;
  /** CSVs other than the labels file, listed as unreadable. */
  unusedCsvs: UnreadableFile[];
  /** The found labels file when it failed to parse. */
  failed: UnreadableFile[];
  /** A sentence about the choice (several CSVs, or a parse failure), or null. */
  warning: string | null;
}

/**
 * Picks the labels CSV: `requested` when given (relative to the common top folder or as
 * listed), else the only .csv in the top folder. Parses it; a parse error is thrown for a
 * requested file and recorded as unreadable for a found one.
 */
function chooseLabelsFile(files: NamedFile[], requested: string | undefined): LabelsChoice {
  const csvs = files.filter((file) => splitPath(file.normalized).ext === 'csv');
  const top = commonFolder(files.map((f) => f.normalized));
  const csvPaths = new Set(csvs.map((file) => file.path));
  let file: NamedFile | null = null;
  let warning: string | null = null;

  if (requested !== undefined) {
    const wanted = normalizePath(requested);
    file = files.find((f) => f.normalized === wanted || f.normalized === top + wanted) ?? null;
    if (file === null) {
      const available = csvs.length > 0 ? `CSV files present: ${listNames(csvs.map((f) => f.path))}.` : 'No CSV file was given.';
      throw new LabError('invalid_input', `The labels file "${requested}" is not among the dataset's files. ${available}`);
    }
    csvPaths.add(file.path);
  } else {
    const topCsvs = csvs.filter((f) => splitPath(f.normalized).dir === top);
    if (topCsvs.length === 1) file = topCsvs[0];
    if (topCsvs.length > 1) {
      warning = `Found ${topCsvs.length} CSV files at the top (${listNames(topCsvs.map((f) => f.path))}) and used none as labels. Choose the labels file to attach labels.`;
    }
  }

  let table: LabelsTable | null = null;
  const failed: UnreadableFile[] = [];
  if (file !== null) {
    try {
      table = parseLabelsCsv(decodeText(file.bytes), file.path);
    } catch (error) {
      if (requested !== undefined || !isLabError(error)) throw error;
      failed.push({ path: file.path, reason: `Not usable as the labels file. ${error.message}` });
      warning = `The labels file ${file.path} could not be read, so the images have no labels. ${error.message}`;
      file = null;
    }
  }
  const unusedCsvs = csvs
    .filter((f) => f !== file && !failed.some((u) => u.path === f.path))
    .map((f) => ({ path: f.path, reason: 'A CSV file, not an image, and not the labels file.' }));
  return { file, table, csvPaths, unusedCsvs, failed, warning };
}

/** The longest folder prefix (with trailing '/') shared by every path, '' when none is. */
function commonFolder(paths: string[]): string {
  if (paths.length === 0) return '';
  let prefix = splitPath(paths[0]).dir;
  for (const path of paths) {
    while (!path.startsWith(prefix)) prefix = prefix.slice(0, prefix.slice(0, -1).lastIndexOf('/') + 1);
  }
  return prefix;
}

/** Text of a CSV: UTF-16 when it starts with a UTF-16 byte order mark (Excel's "Unicode text"), else UTF-8. */
function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}

/** Each image of an image folder as a single, unlabelled, sorted by id then path. */
function folderSingles(images: ScannedImage[]): SingleItem[] {
  return images
    .map((image) => ({
      id: image.parts.stem,
      path: image.path,
      label: null,
      reason: IMAGE_FOLDER_REASON,
    }))
    .sort((a, b) => compareNatural(a.id, b.id) || compareNatural(a.path, b.path));
}

/**
 * Labels each single (mutated) with its image's parent folder name, when the images sit in two
 * or more folders (`train/cat/1.png`, `train/dog/2.png`); one folder of images names no classes.
 * Images directly in the images' common folder get no class, and a warning names them.
 */
function applyFolderClasses(
  images: ScannedImage[],
  singles: SingleItem[],
  warnings: WarningGroups,
): void {
  const folderByPath = new Map(images.map((image) => [image.path, image.parts.dir]));
  if (new Set(folderByPath.values()).size < 2) return;
  const top = commonFolder(images.map((image) => image.parts.dir + image.parts.name));

  for (const single of singles) {
    const dir = folderByPath.get(single.path) ?? top;
    single.label = dir === top ? null : (dir.split('/').filter((s) => s.length > 0).pop() ?? null);
    if (single.label === null) {
      warnings.add('Images outside the class folders get no class. Move them into the folder of their class.', single.path);
    }
  }
}

/** Dataset-level warnings: no images, unlabelled items, and ids shared by several items. */
function addDatasetWarnings(
  warnings: WarningGroups,
  pairs: PairedItem[],
  singles: SingleItem[],
  labelsFile: string | null,
  unmatchedLabelIds: string[],
  imageCount: number,
): void {
  if (imageCount === 0) {
    warnings.add('No JPEG, PNG, WebP, GIF or BMP images were found, so there is nothing to analyse. Pick the folder that holds the images.');
  }
  const all = [...pairs, ...singles];
  const unlabelled = all.filter((item) => item.label === null);
  if (labelsFile !== null && unlabelled.length > 0) {
    const ids = unlabelled.map((item) => item.id);
    warnings.add(`${unlabelled.length} of ${countOf(all.length, 'item')} have no row in ${labelsFile} and stay unlabelled: ${listNames(ids)}.`);
  }
  if (unmatchedLabelIds.length > 0) {
    warnings.add(`${labelsFile} lists ${countOf(unmatchedLabelIds.length, 'id')} with no image: ${listNames(unmatchedLabelIds)}.`);
  }
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const item of all) (seen.has(item.id) ? repeated : seen).add(item.id);
  if (repeated.size > 0) {
    warnings.add(`Ids shared by more than one item (in different folders or with different extensions), so one label row applies to all of them: ${listNames([...repeated])}.`);
  }
}

/** Distinct non-null labels in natural order. */
function distinctLabels(items: readonly { label: string | null }[]): string[] {
  const labels = new Set<string>();
  for (const item of items) if (item.label !== null) labels.add(item.label);
  return [...labels].sort(compareNatural);
}
