/**
 * What APPEND(S), SETITEM(S), ADDITEMS and BUILD do to the object on top of the stack. Only
 * plain containers and inert records accept them, as in torch's weights_only unpickler; every
 * container is capped in size.
 */

import { PyDict, PyInert, PyList, PySet, PyTuple, TensorRef, describePyValue } from './pyValues';

import type { PyValue } from './pyValues';

/** Items in one list, dict or set (16M; a state dict has a few thousand). */
const MAX_CONTAINER_ITEMS = 1 << 24;

type Fail = (what: string) => never;

/** Appends `items` to a list or an inert record's list part (mutates `target`). */
export function appendItems(target: PyValue, items: readonly PyValue[], fail: Fail): void {
  let list: PyValue[] | null = null;
  if (target instanceof PyList) list = target.items;
  else if (target instanceof PyInert) list = target.listItems;
  if (list === null) return fail(`cannot append to ${describePyValue(target)}`);

  checkSize(list.length + items.length, fail);
  for (const item of items) list.push(item); // no spread: `items` may hold a million values
}

/**
 * Sets `flat` = [key0, value0, key1, value1, ...] on a dict or an inert record's dict part
 * (mutates `target`).
 */
export function setItems(target: PyValue, flat: readonly PyValue[], fail: Fail): void {
  let map: Map<PyValue, PyValue> | null = null;
  if (target instanceof PyDict) map = target.entries;
  else if (target instanceof PyInert) map = target.dictItems;
  if (map === null) return fail(`cannot set items on ${describePyValue(target)}`);
  if (flat.length % 2 !== 0) fail(`it needs key-value pairs but got ${flat.length} values`);

  checkSize(map.size + flat.length / 2, fail);
  for (let i = 0; i < flat.length; i += 2) map.set(flat[i], flat[i + 1]);
}

/** Adds `items` to a (non-frozen) set (mutates `target`). */
export function addItems(target: PyValue, items: readonly PyValue[], fail: Fail): void {
  if (!(target instanceof PySet) || target.frozen) {
    return fail(`cannot add items to ${describePyValue(target)}`);
  }
  checkSize(target.items.length + items.length, fail);
  for (const item of items) target.items.push(item);
}

/** Returns a new set holding `items`. */
export function createSet(items: readonly PyValue[], frozen: boolean, fail: Fail): PySet {
  const set = new PySet(frozen);
  checkSize(items.length, fail);
  for (const item of items) set.items.push(item);
  return set;
}

/**
 * Stores BUILD `state` on a dict (an OrderedDict's `_metadata`) or an inert record; a tensor's
 * state is dropped (it only carries requires_grad and hooks). Mutates `target`.
 */
export function buildState(target: PyValue, state: PyValue, fail: Fail): void {
  if (target instanceof PyDict || target instanceof PyInert) target.state = state;
  else if (!(target instanceof TensorRef)) fail(`cannot set state on ${describePyValue(target)}`);
}

/** The items of a REDUCE/NEWOBJ argument tuple. */
export function argumentItems(args: PyValue, fail: Fail): readonly PyValue[] {
  if (!(args instanceof PyTuple)) {
    return fail(`the arguments must be a tuple, not ${describePyValue(args)}`);
  }
  return args.items;
}

function checkSize(size: number, fail: Fail): void {
  if (size > MAX_CONTAINER_ITEMS) fail(`a container grows past ${MAX_CONTAINER_ITEMS} items`);
}
