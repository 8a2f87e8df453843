/**
 * Finds the state dict inside an unpickled checkpoint and copies its tensors out. Known
 * wrappers are opened: fastai's `{model, opt}` (torch.save in fastai/learner.py `save_model`),
 * and training-script dicts with `state_dict`, `model_state_dict` or `model` beside scalars such
 * as `epoch`, which become extras. Only the chosen dict's tensors are read; an optimiser subtree
 * full of placeholders is never touched.
 */

import { LabError } from '../errors';
import { maybeNumpyScalar } from './numpyScalar';
import { setOwnEntry } from './ownEntries';
import { PyDict, PyInert, TensorRef, describePyValue } from './pyValues';
import { materializeTensor } from './tensorRebuild';

import type { PyValue } from './pyValues';
import type { StorageBytes } from './tensorRebuild';
import type { CheckpointExtra, HostTensor } from './types';

/** Keys that hold the state dict in training-script checkpoints, tried in this order. */
const WRAPPER_KEYS: readonly string[] = ['state_dict', 'model_state_dict', 'model'];
const FASTAI_KEYS: readonly string[] = ['model', 'opt'];
/** Names like torch._utils._rebuild_qtensor: tensors the reader cannot rebuild. */
const REBUILD_NAME = /\._rebuild_\w*$/;
const SAVE_HINT = "Save the weights with torch.save(model.state_dict()) or fastai's learn.save.";

/** Where the state dict was found and what sat beside it. */
export interface StateDictSelection {
  /** The top-level key holding the state dict, or null for a bare one. */
  wrapperKey: string | null;
  /** The state dict's entries in file order; every value is a TensorRef. */
  entries: Map<string, TensorRef>;
  /** Plain scalars beside the state dict. */
  extras: Record<string, CheckpointExtra>;
}

/**
 * Picks the state dict out of `root` (the unpickled object). Throws LabError
 * 'unsupported_format' when there is none (a whole pickled model, a list, no tensors at all) or
 * an entry is not a tensor, and 'unsupported_global' when an entry is built by an unknown global.
 */
export function selectStateDict(root: PyValue): StateDictSelection {
  if (!(root instanceof PyDict)) throw notAStateDict(root);

  const wrapperKey = findWrapperKey(root);
  const dict = wrapperKey === null ? root : (root.entries.get(wrapperKey) as PyDict);
  if (!hasTensor(dict)) throw noTensors(root, wrapperKey);
  const extras: Record<string, CheckpointExtra> = {};
  if (wrapperKey !== null) {
    for (const [key, value] of root.entries) {
      const extra = maybeExtra(value);
      if (typeof key === 'string' && key !== wrapperKey && extra !== undefined) {
        setOwnEntry(extras, key, extra);
      }
    }
  }

  const entries = new Map<string, TensorRef>();
  for (const [key, value] of dict.entries) {
    if (typeof key !== 'string') throw badEntry(describePyValue(key), 'is not a string key');
    if (value instanceof TensorRef) {
      entries.set(key, value);
      continue;
    }
    const extra = wrapperKey === null ? maybeExtra(value) : undefined;
    if (extra === undefined) throw entryError(key, value);
    setOwnEntry(extras, key, extra);
  }
  return { wrapperKey, entries, extras };
}

/**
 * Copies every tensor of `entries` out of its storage, in order. `maxTotalElements` bounds what
 * views with zero or overlapping strides may expand to. Throws what `materializeTensor` throws.
 */
export function materializeStateDict(
  entries: ReadonlyMap<string, TensorRef>,
  storageBytes: StorageBytes,
  maxTotalElements: number,
): Map<string, HostTensor> {
  const tensors = new Map<string, HostTensor>();
  let total = 0;
  for (const [name, ref] of entries) {
    total += ref.shape.reduce((product, dim) => product * dim, 1);
    if (total > maxTotalElements) {
      throw new LabError(
        'unsupported_format',
        `The tensors of this checkpoint expand to more than ${maxTotalElements} elements (reached at '${name}'), far more than its size allows; its views overlap or repeat elements too much to load in a browser. Save contiguous copies (tensor.clone()) instead.`,
        { details: { tensor: name } },
      );
    }
    tensors.set(name, materializeTensor(name, ref, storageBytes));
  }
  return tensors;
}

function findWrapperKey(root: PyDict): string | null {
  const keys = [...root.entries.keys()];
  const fastai =
    keys.length === FASTAI_KEYS.length && FASTAI_KEYS.every((key) => root.entries.has(key));
  if (fastai && root.entries.get('model') instanceof PyDict) return 'model';
  for (const key of WRAPPER_KEYS) {
    const inner = root.entries.get(key);
    if (inner instanceof PyDict && hasTensor(inner)) return key;
  }
  return null;
}

/** True when some entry is a tensor, or a would-be tensor from a rebuild function we lack. */
function hasTensor(dict: PyDict): boolean {
  for (const value of dict.entries.values()) {
    if (value instanceof TensorRef) return true;
    if (value instanceof PyInert && REBUILD_NAME.test(value.className)) return true;
  }
  return false;
}

/** A top-level value as an extra: plain scalars and numpy scalars; undefined for anything else. */
function maybeExtra(value: PyValue): CheckpointExtra | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return undefined; // beyond 2^53: not representable exactly
  return maybeNumpyScalar(value);
}

function entryError(key: string, value: PyValue): LabError {
  if (value instanceof PyInert) {
    return new LabError(
      'unsupported_global',
      `State dict entry '${key}' is built by ${value.className}, which the checkpoint reader does not know, so it cannot be read as a tensor. ${SAVE_HINT}`,
      { details: { key, global: value.className } },
    );
  }
  return badEntry(`'${key}'`, `holds ${describePyValue(value)} instead of a tensor`);
}

function badEntry(key: string, what: string): LabError {
  return new LabError('unsupported_format', `State dict entry ${key} ${what}. ${SAVE_HINT}`, {
    details: { key },
  });
}

function notAStateDict(root: PyValue): LabError {
  const what =
    root instanceof PyInert
      ? `a pickled ${root.className} object (torch.save(model) and learn.export() pickle the whole object, code references included)`
      : describePyValue(root);
  return new LabError(
    'unsupported_format',
    `This file holds ${what} rather than a state dict. ${SAVE_HINT}`,
  );
}

function noTensors(root: PyDict, wrapperKey: string | null): LabError {
  const keys = [...root.entries.keys()].map((key) =>
    typeof key === 'string' ? `'${key}'` : describePyValue(key),
  );
  const shown =
    keys.length > 8
      ? `${keys.slice(0, 8).join(', ')} and ${keys.length - 8} more`
      : keys.join(', ');
  const where =
    wrapperKey === null
      ? "at its top level or under 'state_dict', 'model_state_dict' or 'model'"
      : `under '${wrapperKey}'`;
  return new LabError(
    'unsupported_format',
    `This checkpoint holds no tensors ${where} (its top-level keys: ${shown || 'none'}). ${SAVE_HINT}`,
    { details: { keys: keys.slice(0, 50) } },
  );
}
