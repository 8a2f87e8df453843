/**
 * Path rules shared by the zip reader and the indexer: one spelling for separators, which
 * entries are operating-system clutter, which escape the archive, and how a file name splits
 * into directory, stem and extension.
 */

/** File names that desktop systems drop into folders; never images. */
const CLUTTER_NAMES = new Set(['thumbs.db', 'desktop.ini', 'icon\r']);
/** Extensions the pairing rule recognises for images; compared lowercased. */
export const IMAGE_EXTENSIONS: readonly string[] = ['jpg', 'jpeg', 'png', 'webp', 'gif', 'bmp'];

/** A path split at its last '/' and its file name's last '.'. */
export interface PathParts {
  /** Directory with a trailing '/', or '' for a file at the top. */
  dir: string;
  /** File name without directory, e.g. `5_rgn.JPG`. */
  name: string;
  /** File name without its extension, e.g. `5_rgn`; the whole name when there is no dot. */
  stem: string;
  /** Extension lowercased without the dot, e.g. 'jpg'; '' when there is none. */
  ext: string;
}

/** `raw` with '\' turned into '/', and repeated slashes and './' segments removed. */
export function normalizePath(raw: string): string {
  return raw
    .replace(/\\/g, '/')
    .replace(/\/{2,}/g, '/')
    .replace(/\/(\.\/)+/g, '/')
    .replace(/^(\.\/)+/, '');
}

/** Splits a normalised path, e.g. 'a/b/5_rgn.JPG' -> { dir: 'a/b/', stem: '5_rgn', ext: 'jpg' }. */
export function splitPath(path: string): PathParts {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash + 1);
  const name = path.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  // A leading dot (".hidden") starts a name, not an extension.
  if (dot <= 0) return { dir, name, stem: name, ext: '' };
  return { dir, name, stem: name.slice(0, dot), ext: name.slice(dot + 1).toLowerCase() };
}

/**
 * True for paths that are clutter, never data: anything under `__MACOSX/`, any segment starting
 * with '.' (`.DS_Store`, `._1.jpg` resource forks, `.git/`), and Thumbs.db or desktop.ini.
 */
export function isClutterPath(path: string): boolean {
  const segments = path.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '__MACOSX' || s.startsWith('.'))) return true;
  return CLUTTER_NAMES.has((segments[segments.length - 1] ?? '').toLowerCase());
}

/**
 * True when a zip entry name would point outside the folder it is unpacked into: a '..'
 * segment, a leading '/', or a drive letter such as 'C:'. Checks the normalised spelling, so
 * 'a\..\..\b' counts too.
 */
export function escapesRoot(rawName: string): boolean {
  const name = rawName.replace(/\\/g, '/');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return true;
  return name.split('/').some((segment) => segment === '..');
}

/** `id` without a trailing image extension, e.g. 'id_abc.JPG' -> 'id_abc'; 'id_abc' unchanged. */
export function stripImageExtension(id: string): string {
  const { ext } = splitPath(id);
  const isImage = ext.length > 0 && IMAGE_EXTENSIONS.includes(ext);
  return isImage ? id.slice(0, id.length - ext.length - 1) : id;
}
