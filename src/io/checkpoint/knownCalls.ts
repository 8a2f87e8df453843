/**
 * What the callables in the global table do when a pickle calls them (REDUCE, NEWOBJ, INST).
 * Each builds plain data from its arguments; the torch rebuild functions only record where a
 * tensor's elements are, and the bytes are read later (tensorRebuild.ts).
 */

import {
  PyComplex,
  PyDict,
  PyDtype,
  PyGlobal,
  PyInert,
  PyList,
  PySet,
  PyTuple,
  StorageRef,
  TensorRef,
  asIndex,
  describePyValue,
} from './pyValues';

import type { KnownCallable, PyValue } from './pyValues';

/** Tensors with more dimensions than this are refused as malformed (PyTorch allows 64). */
const MAX_TENSOR_RANK = 64;

const LATIN1_NAMES: ReadonlySet<string> = new Set(['latin1', 'latin-1', 'iso-8859-1', 'iso8859-1']);

/** What a known callable may ask of the unpickler that called it. */
export interface CallContext {
  /** Throws LabError 'corrupt_file' pointing at the current opcode; `what` says what was wrong. */
  fail(what: string): never;
  /** Calls `callee` with `args` exactly as REDUCE would, for callables that call others. */
  invoke(callee: PyValue, args: readonly PyValue[]): PyValue;
}

/**
 * Runs the known callable `call` (named `qualifiedName` in the pickle) on `args` and returns
 * the value it builds. Malformed arguments throw through `context.fail`.
 */
export function callKnown(
  call: KnownCallable,
  qualifiedName: string,
  args: readonly PyValue[],
  context: CallContext,
): PyValue {
  const fail = (what: string): never => context.fail(`${qualifiedName} ${what}`);
  switch (call) {
    case 'ordered_dict':
      return orderedDict(qualifiedName, args, fail);
    case 'set':
    case 'frozenset':
      return pySet(call === 'frozenset', args, fail);
    case 'bytearray':
      return byteArray(args, fail);
    case 'complex':
      return new PyComplex(Number(args[0] ?? 0), Number(args[1] ?? 0));
    case 'codecs_encode':
      return encodeText(args, fail);
    case 'torch_size':
      return new PyTuple(sequenceItems(args[0] ?? new PyTuple([]), fail));
    case 'torch_device':
      return args.length > 1 && args[1] !== null
        ? `${String(args[0])}:${String(args[1])}`
        : String(args[0]);
    case 'parameter':
      return args[0] ?? fail('needs a tensor argument');
    case 'reconstructor':
      return new PyInert(args[0] instanceof PyGlobal ? args[0].qualifiedName : qualifiedName, []);
    case 'rebuild_tensor':
    case 'rebuild_tensor_v2':
      return rebuildTensor(args, null, fail);
    case 'rebuild_tensor_v3':
      return rebuildTensor(args, args[6] ?? null, fail);
    case 'rebuild_parameter':
    case 'rebuild_parameter_with_state':
      return args[0] ?? fail('needs a tensor argument');
    case 'rebuild_from_type_v2': {
      // (func, new_type, args, state): the subclass wrapper is dropped, the inner tensor kept.
      const [func, , inner] = args;
      if (!(inner instanceof PyTuple)) fail(`expects an argument tuple, found ${describe(inner)}`);
      // torch never nests it; refusing keeps a crafted chain from recursing without bound.
      const self = func instanceof PyGlobal && func.binding.kind === 'callable';
      if (self && func.binding.call === call) fail('is nested inside itself');
      return context.invoke(func ?? null, (inner as PyTuple).items);
    }
    default: {
      const unknown: never = call;
      throw new Error(`callKnown: no implementation for ${String(unknown)}`);
    }
  }
}

function orderedDict(
  className: string,
  args: readonly PyValue[],
  fail: (w: string) => never,
): PyDict {
  const dict = new PyDict(className);
  if (args.length === 0 || args[0] === null) return dict;
  for (const pair of sequenceItems(args[0], fail)) {
    const kv = pair instanceof PyTuple || pair instanceof PyList ? sequenceItems(pair, fail) : [];
    if (kv.length !== 2) fail(`expects (key, value) pairs, found ${describePyValue(pair)}`);
    dict.entries.set(kv[0], kv[1]);
  }
  return dict;
}

function pySet(frozen: boolean, args: readonly PyValue[], fail: (w: string) => never): PySet {
  const set = new PySet(frozen);
  if (args.length > 0 && args[0] !== null) {
    for (const item of sequenceItems(args[0], fail)) set.items.push(item);
  }
  return set;
}

function byteArray(args: readonly PyValue[], fail: (w: string) => never): Uint8Array {
  const source = args[0];
  if (source === undefined || source === null) return new Uint8Array(0);
  if (source instanceof Uint8Array) return source.slice();
  if (typeof source === 'string') return encodeText(args, fail);
  const items = sequenceItems(source, fail);
  return Uint8Array.from(items, (item) => {
    const byte = asIndex(item);
    if (byte === null || byte > 255) fail(`expects bytes 0..255, found ${describe(item)}`);
    return byte as number;
  });
}

function encodeText(args: readonly PyValue[], fail: (w: string) => never): Uint8Array {
  const text = args[0];
  const encoding = typeof args[1] === 'string' ? args[1].toLowerCase() : 'utf-8';
  if (typeof text !== 'string') return fail(`expects a string, found ${describe(text)}`);

  if (encoding === 'utf-8' || encoding === 'utf8') return new TextEncoder().encode(text);
  if (!LATIN1_NAMES.has(encoding)) {
    return fail(`uses the encoding '${encoding}', which is not supported`);
  }
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 255) fail(`cannot encode character ${code} as latin-1`);
    out[i] = code;
  }
  return out;
}

/**
 * `_rebuild_tensor[_v2|_v3](storage, storage_offset, size, stride, ...)`; `explicitDtype` is the
 * v3 dtype argument, null for the others (whose dtype is the storage's).
 */
function rebuildTensor(
  args: readonly PyValue[],
  explicitDtype: PyValue,
  fail: (w: string) => never,
): TensorRef {
  const [storage, offsetValue, sizeValue, strideValue] = args;
  if (!(storage instanceof StorageRef)) {
    return fail(`expects a storage as its first argument, found ${describe(storage)}`);
  }
  const offset = asIndex(offsetValue ?? null);
  if (offset === null) return fail(`expects a storage offset, found ${describe(offsetValue)}`);
  const shape = dims(sizeValue, 'size', fail);
  const stride = dims(strideValue, 'stride', fail);
  if (shape.length !== stride.length) {
    fail(`got a size of rank ${shape.length} but a stride of rank ${stride.length}`);
  }

  if (explicitDtype === null) {
    return new TensorRef(storage, storage.dtype, storage.storageClass, offset, shape, stride);
  }
  if (!(explicitDtype instanceof PyDtype)) {
    return fail(`expects a dtype, found ${describe(explicitDtype)}`);
  }
  if (storage.dtype !== null && explicitDtype.dtype !== storage.dtype) {
    fail(`was given ${explicitDtype.qualifiedName} for a ${storage.storageClass}`);
  }
  const { dtype, qualifiedName } = explicitDtype;
  return new TensorRef(storage, dtype, qualifiedName, offset, shape, stride);
}

function dims(value: PyValue | undefined, what: string, fail: (w: string) => never): number[] {
  const items = sequenceItems(value ?? null, fail);
  if (items.length > MAX_TENSOR_RANK) fail(`got a ${what} of rank ${items.length}`);
  const bad = (item: PyValue): never =>
    fail(`expects a ${what} of non-negative ints, found ${describe(item)}`);
  return items.map((item) => asIndex(item) ?? bad(item));
}

function sequenceItems(value: PyValue, fail: (w: string) => never): readonly PyValue[] {
  if (value instanceof PyTuple || value instanceof PyList || value instanceof PySet) {
    return value.items;
  }
  return fail(`expects a tuple or list, found ${describePyValue(value)}`);
}

function describe(value: PyValue | undefined): string {
  return value === undefined ? 'nothing' : describePyValue(value);
}
