/** The common result of the zip and legacy readers, before tensors are materialised. */

import type { PyValue } from './pyValues';
import type { StorageBytes } from './tensorRebuild';

/** A pickle-based checkpoint after unpickling, before any tensor is copied out. */
export interface PickledCheckpoint {
  /** The object `torch.save` was given. */
  root: PyValue;
  /** Qualified names of the inert globals the pickle named. */
  placeholders: Set<string>;
  /** Fetches a storage's bytes when a tensor is materialised. */
  storageBytes: StorageBytes;
}
