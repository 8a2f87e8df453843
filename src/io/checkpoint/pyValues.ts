/**
 * The values the restricted unpickler builds. Everything is plain data: a global is a name with
 * a binding from a fixed table, and an unknown class or function only ever yields an inert
 * record of its name and arguments. Nothing here can run code.
 */

import type { SourceDType } from './types';

/** What a resolved global stands for; see `resolveGlobal` in pickleGlobals.ts. */
export type GlobalBinding =
  | { kind: 'callable'; call: KnownCallable }
  | { kind: 'storage'; dtype: SourceDType | null }
  | { kind: 'type' }
  | { kind: 'placeholder' };

/** The callables the unpickler gives meaning to; each is implemented in knownCalls.ts. */
export type KnownCallable =
  | 'ordered_dict'
  | 'set'
  | 'frozenset'
  | 'bytearray'
  | 'complex'
  | 'codecs_encode'
  | 'torch_size'
  | 'torch_device'
  | 'parameter'
  | 'reconstructor'
  | 'rebuild_tensor'
  | 'rebuild_tensor_v2'
  | 'rebuild_tensor_v3'
  | 'rebuild_parameter'
  | 'rebuild_parameter_with_state'
  | 'rebuild_from_type_v2';

/** Any value on the unpickler's stack. Python ints are numbers when safe, else bigints. */
export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyTuple
  | PyList
  | PyDict
  | PySet
  | PyComplex
  | PyGlobal
  | PyDtype
  | PyInert
  | StorageRef
  | TensorRef;

/** A Python tuple; immutable once built. */
export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}

/** A Python list; APPEND and APPENDS push onto `items`. */
export class PyList {
  readonly items: PyValue[] = [];
}

/** A dict, OrderedDict or Counter, in insertion order; BUILD stores its attribute state aside. */
export class PyDict {
  readonly entries = new Map<PyValue, PyValue>();
  /** The BUILD state, e.g. an OrderedDict's `{'_metadata': ...}`; undefined when never built. */
  state: PyValue | undefined = undefined;
  constructor(readonly className: string) {}
}

/** A set or frozenset; membership is not deduplicated (nothing here needs it). */
export class PySet {
  readonly items: PyValue[] = [];
  constructor(readonly frozen: boolean) {}
}

/** A Python complex number. */
export class PyComplex {
  constructor(
    readonly re: number,
    readonly im: number,
  ) {}
}

/** A global named by GLOBAL, STACK_GLOBAL or INST, e.g. `torch._utils._rebuild_tensor_v2`. */
export class PyGlobal {
  constructor(
    readonly qualifiedName: string,
    readonly binding: GlobalBinding,
  ) {}
}

/** A torch dtype such as `torch.float32`; `dtype` is null for ones the lab cannot decode. */
export class PyDtype {
  constructor(
    readonly qualifiedName: string,
    readonly dtype: SourceDType | null,
  ) {}
}

/**
 * What calling, instantiating or building an unknown global yields: its name, the arguments it
 * was given and anything appended, set or BUILD-stored onto it. It never does anything.
 */
export class PyInert {
  state: PyValue | undefined = undefined;
  readonly listItems: PyValue[] = [];
  readonly dictItems = new Map<PyValue, PyValue>();
  constructor(
    readonly className: string,
    readonly args: readonly PyValue[],
  ) {}
}

/** A storage named by a persistent id; its bytes are fetched only when a tensor needs them. */
export class StorageRef {
  constructor(
    /** Qualified class name, e.g. `torch.FloatStorage`. */
    readonly storageClass: string,
    /** False when the class is not in the global table (an inert placeholder). */
    readonly classKnown: boolean,
    /** The element dtype, or null for storages the lab cannot decode (quantised, untyped...). */
    readonly dtype: SourceDType | null,
    /** The record key: `data/<key>` in a zip, the root key in the legacy stream. */
    readonly key: string,
    /** Where it lived when saved ('cpu', 'cuda:0'); informational only. */
    readonly location: string,
    /** Elements in the storage (bytes for an untyped storage). */
    readonly numel: number,
    /** Legacy view storages: element offset into the root storage; 0 otherwise. */
    readonly viewOffset = 0,
  ) {}
}

/** A tensor as `_rebuild_tensor*` describes it: a strided window onto a storage, in elements. */
export class TensorRef {
  constructor(
    readonly storage: StorageRef,
    /** The tensor's dtype: the storage's, or the explicit one `_rebuild_tensor_v3` passes. */
    readonly dtype: SourceDType | null,
    /** Where the dtype came from, for messages: a storage class or a torch dtype name. */
    readonly dtypeSource: string,
    readonly storageOffset: number,
    readonly shape: readonly number[],
    readonly stride: readonly number[],
  ) {}
}

/** A short description of a value for error messages, e.g. "a tuple of 3 items" or "the int 4". */
export function describePyValue(value: PyValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'bigint') return `the int ${value}`;
  if (typeof value === 'string') {
    return value.length > 40 ? `a string of ${value.length} characters` : `the string '${value}'`;
  }
  if (value instanceof Uint8Array) return `bytes of length ${value.length}`;
  if (value instanceof PyTuple) return `a tuple of ${value.items.length} items`;
  if (value instanceof PyList) return `a list of ${value.items.length} items`;
  if (value instanceof PyDict) return `a ${value.className} of ${value.entries.size} entries`;
  if (value instanceof PySet) return `a set of ${value.items.length} items`;
  if (value instanceof PyComplex) return 'a complex number';
  if (value instanceof PyGlobal) return `the global ${value.qualifiedName}`;
  if (value instanceof PyDtype) return `the dtype ${value.qualifiedName}`;
  if (value instanceof PyInert) return `an object of class ${value.className}`;
  if (value instanceof StorageRef) return `a ${value.storageClass}`;
  return 'a tensor';
}

/** The value as a non-negative safe integer, or null when it is anything else. */
export function asIndex(value: PyValue): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}
