/**
 * Attaches labels from a parsed labels table to items by id, never by row order, and reports
 * the table ids that match no image. In a two-sensor dataset a row may name either image of a
 * pair ('id_a' or 'id_a_rgn'); both give the pair its label.
 */

import { assert } from '../errors';
import { hasSecondSuffix } from './pairImages';

import type { LabelsTable, PairedItem, SingleItem } from './types';
import type { WarningGroups } from './warningGroups';

/** Which table rows found an image. */
export interface LabelMatch {
  /** Table ids (as returned by parseLabelsCsv) that match no item, in table order. */
  unmatchedLabelIds: string[];
  /** Rows whose id matched an item; with `unmatchedLabelIds` it accounts for every row. */
  matchedRows: number;
}

/**
 * Sets `label` on each of `items` and `singles` (mutated) from `table` by id; items the table
 * does not mention keep null. `suffix` is the second-sensor suffix to fold ('id_a_rgn' to
 * 'id_a'), or null for an image folder. Conflicting labels for the two images of a pair are
 * reported in `warnings` (mutated), and the first-sensor row wins.
 */
export function attachLabels(
  table: LabelsTable,
  items: PairedItem[],
  singles: SingleItem[],
  suffix: string | null,
  source: string,
  warnings: WarningGroups,
): LabelMatch {
  const labelById = new Map<string, { label: string; fromSecond: boolean }>();
  const foldedIds = table.ids.map((id) =>
    suffix !== null && hasSecondSuffix(id, suffix) ? id.slice(0, id.length - suffix.length) : id,
  );

  table.ids.forEach((rawId, row) => {
    const id = foldedIds[row];
    const fromSecond = id !== rawId;
    const label = table.labels[row];
    const known = labelById.get(id);
    if (known !== undefined && known.label !== label) {
      warnings.add(`${source} gives the two images of a pair different labels; the first-sensor image's label is used. Make the rows agree.`, id);
    }
    if (known === undefined || (known.fromSecond && !fromSecond)) {
      labelById.set(id, { label, fromSecond });
    }
  });

  const itemIds = new Set<string>();
  for (const item of [...items, ...singles]) {
    item.label = labelById.get(item.id)?.label ?? null;
    itemIds.add(item.id);
  }

  const unmatchedLabelIds = table.ids.filter((_, row) => !itemIds.has(foldedIds[row]));
  const matchedRows = table.ids.length - unmatchedLabelIds.length;
  assert(matchedRows + unmatchedLabelIds.length === table.labels.length, () => `attachLabels: ${matchedRows} matched and ${unmatchedLabelIds.length} unmatched rows do not add up to the table's ${table.labels.length} labels`);
  return { unmatchedLabelIds, matchedRows };
}
