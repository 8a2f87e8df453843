/**
 * The pairing rule for two-sensor datasets: `<id>.<ext>` goes with `<id><suffix>.<ext>`, found
 * by parsed id and never by listing order. The two extensions may differ (`4.jpg` with
 * `4_rgn.png`), since the files are told apart by content. Partners in the same folder win;
 * across folders an id pairs only when exactly one candidate of each side is left.
 */

import { compareNatural } from './naturalOrder';

import type { ScannedImage } from './scanFiles';
import type { PairedItem, SingleItem } from './types';

/** An image with its parsed id and side. */
interface Sided {
  image: ScannedImage;
  /** The stem without the second-sensor suffix. */
  id: string;
  /** True for the `<id><suffix>` image. */
  second: boolean;
}

/** Pairs and singles of a paired-sensor dataset, labels still null, sorted by id then path. */
export interface Pairing {
  /** One entry per matched first/second couple. */
  pairs: PairedItem[];
  /** Every image that found no partner, each with its reason. */
  singles: SingleItem[];
}

/**
 * True when the file stem `stem` ends with `suffix` (compared case-insensitively) and has an
 * id before it, e.g. ('5_RGN', '_rgn') -> true, ('_rgn', '_rgn') -> false.
 */
export function hasSecondSuffix(stem: string, suffix: string): boolean {
  if (stem.length <= suffix.length) return false;
  return stem.slice(-suffix.length).toLowerCase() === suffix.toLowerCase();
}

/**
 * Groups `images` into pairs by id: the stem, less `suffix` for second-sensor files. An id
 * with several files on one side keeps the first by path in its pair and makes the rest
 * singles, each with the reason stated.
 */
export function pairImages(images: readonly ScannedImage[], suffix: string): Pairing {
  const byId = new Map<string, Sided[]>();
  for (const image of images) {
    const { stem } = image.parts;
    const second = hasSecondSuffix(stem, suffix);
    const id = second ? stem.slice(0, stem.length - suffix.length) : stem;
    byId.set(id, [...(byId.get(id) ?? []), { image, id, second }]);
  }

  const pairs: PairedItem[] = [];
  const singles: SingleItem[] = [];
  for (const [id, group] of byId) pairGroup(id, group, suffix, pairs, singles);

  pairs.sort((a, b) => compareNatural(a.id, b.id) || compareNatural(a.first, b.first));
  singles.sort((a, b) => compareNatural(a.id, b.id) || compareNatural(a.path, b.path));
  return { pairs, singles };
}

/** Pairs the files of one id, same folder first. Appends to `pairs` and `singles` (mutated). */
function pairGroup(
  id: string,
  group: Sided[],
  suffix: string,
  pairs: PairedItem[],
  singles: SingleItem[],
): void {
  const byPath = (a: Sided, b: Sided) => compareNatural(a.image.path, b.image.path);
  const firsts = group.filter((s) => !s.second).sort(byPath);
  const seconds = group.filter((s) => s.second).sort(byPath);
  const paired = new Set<Sided>();

  for (const first of firsts) {
    const dir = first.image.parts.dir;
    const partner = seconds.find((s) => !paired.has(s) && s.image.parts.dir === dir);
    if (partner === undefined || hasFolderPair(first, paired)) continue;
    pairs.push({ id, first: first.image.path, second: partner.image.path, label: null });
    paired.add(first).add(partner);
  }

  const leftFirsts = firsts.filter((s) => !paired.has(s));
  const leftSeconds = seconds.filter((s) => !paired.has(s));
  if (leftFirsts.length === 1 && leftSeconds.length === 1 && paired.size === 0) {
    const [first, second] = [leftFirsts[0].image.path, leftSeconds[0].image.path];
    pairs.push({ id, first, second, label: null });
    return;
  }

  const ambiguous = firsts.length > 0 && seconds.length > 0; // partners existed but not one-to-one
  const counts = { firsts: firsts.length, seconds: seconds.length };
  for (const left of [...leftFirsts, ...leftSeconds]) {
    const reason = orphanReason(left, id, suffix, ambiguous ? counts : null);
    singles.push({ id, path: left.image.path, label: null, reason });
  }
}

/** True when a file in the same folder as `first` already has its pair (a repeated id there). */
function hasFolderPair(first: Sided, paired: Set<Sided>): boolean {
  return [...paired].some((s) => !s.second && s.image.parts.dir === first.image.parts.dir);
}

/** Why `left` has no partner: a missing counterpart, or too many files for one id. */
function orphanReason(
  left: Sided,
  id: string,
  suffix: string,
  counts: { firsts: number; seconds: number } | null,
): string {
  if (counts !== null) {
    return `Id "${id}" has ${counts.firsts} first-sensor and ${counts.seconds} second-sensor images, so this one could not be paired unambiguously and is analysed alone. Keep one file per id and side, with partners in the same folder.`;
  }
  return left.second
    ? `No first-sensor image "${id}.<ext>" for this second-sensor image; it is analysed alone.`
    : `No second-sensor image "${id}${suffix}.<ext>" for this image; it is analysed alone.`;
}
