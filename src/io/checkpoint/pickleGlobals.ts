/**
 * The fixed table every pickled global is looked up in. Nothing is imported or executed: a name
 * either has a meaning given here, is refused at once because no state dict ever needs it, or
 * becomes an inert placeholder. Mirrors the idea of torch's weights_only unpickler
 * (torch/_weights_only_unpickler.py), with placeholders instead of refusals for harmless names.
 */

import { LabError } from '../errors';
import { PyDtype, PyGlobal } from './pyValues';

import type { GlobalBinding, KnownCallable } from './pyValues';
import type { SourceDType } from './types';

/** Python 2 module names that protocol-2 pickles use for Python 3 ones (pickle fix_imports). */
const PY2_MODULES: Readonly<Record<string, string>> = {
  __builtin__: 'builtins',
  copy_reg: 'copyreg',
  exceptions: 'builtins',
  cPickle: 'pickle',
};

/** Modules a checkpoint never needs and classic pickle exploits do: refused, with submodules. */
const FORBIDDEN_MODULES: readonly string[] = [
  'os', 'posix', 'nt', 'posixpath', 'ntpath', 'sys', 'subprocess', 'shutil', 'socket',
  'importlib', 'runpy', 'pickle', '_pickle', 'marshal', 'ctypes', '_ctypes', 'multiprocessing',
  'pty', 'commands', 'code', 'codeop', 'pdb', 'bdb', 'webbrowser', 'platform', 'signal',
  'tempfile', 'pathlib', 'glob', 'io', '_io', 'threading', '_thread', 'asyncio', 'urllib', 'http',
  'ftplib', 'smtplib', 'telnetlib', 'requests', 'timeit', 'operator', '_operator', 'types',
  'inspect', 'dill', 'cloudpickle', 'torch.hub',
];

/** The only builtins a checkpoint may name; any other (eval, exec, getattr, open...) is refused. */
const HARMLESS_BUILTINS: ReadonlySet<string> = new Set([
  'object', 'slice', 'range', 'list', 'dict', 'tuple', 'int', 'float', 'str', 'bytes', 'bool',
]);

const CALLABLES: Readonly<Record<string, KnownCallable>> = {
  'collections.OrderedDict': 'ordered_dict',
  'collections.Counter': 'ordered_dict',
  'builtins.set': 'set',
  'builtins.frozenset': 'frozenset',
  'builtins.bytearray': 'bytearray',
  'builtins.complex': 'complex',
  '_codecs.encode': 'codecs_encode',
  'copyreg._reconstructor': 'reconstructor',
  'torch.Size': 'torch_size',
  'torch.device': 'torch_device',
  'torch.nn.parameter.Parameter': 'parameter',
  'torch._utils._rebuild_tensor': 'rebuild_tensor',
  'torch._utils._rebuild_tensor_v2': 'rebuild_tensor_v2',
  'torch._utils._rebuild_tensor_v3': 'rebuild_tensor_v3',
  'torch._utils._rebuild_parameter': 'rebuild_parameter',
  'torch._utils._rebuild_parameter_with_state': 'rebuild_parameter_with_state',
  'torch._tensor._rebuild_from_type_v2': 'rebuild_from_type_v2',
};

/** Dunder names that protocol 0 and 1 pickles use for plain object creation. */
const HARMLESS_DUNDERS: ReadonlySet<string> = new Set([
  'copyreg.__newobj__',
  'copyreg.__newobj_ex__',
]);

const TYPES: ReadonlySet<string> = new Set(['torch.Tensor', 'torch._tensor.Tensor']);

/** Storage class (without module) to the dtype of its elements; null: known but not decodable. */
const STORAGES: Readonly<Record<string, SourceDType | null>> = {
  FloatStorage: 'float32',
  DoubleStorage: 'float64',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
  ComplexFloatStorage: null,
  ComplexDoubleStorage: null,
  QInt8Storage: null,
  QUInt8Storage: null,
  QInt32Storage: null,
  QUInt4x2Storage: null,
  QUInt2x4Storage: null,
  UntypedStorage: null,
};

/** `torch.<name>` dtype objects; null: a real torch dtype the lab cannot decode. */
const DTYPES: Readonly<Record<string, SourceDType | null>> = {
  float32: 'float32', float: 'float32', float16: 'float16', half: 'float16',
  bfloat16: 'bfloat16', float64: 'float64', double: 'float64', int64: 'int64', long: 'int64',
  int32: 'int32', int: 'int32', int16: 'int16', short: 'int16', int8: 'int8', uint8: 'uint8',
  bool: 'bool', complex32: null, chalf: null, complex64: null, cfloat: null, complex128: null,
  cdouble: null, uint16: null, uint32: null, uint64: null, qint8: null, quint8: null,
  qint32: null, quint4x2: null, quint2x4: null, float8_e4m3fn: null, float8_e5m2: null,
  float8_e4m3fnuz: null, float8_e5m2fnuz: null,
};

/**
 * Resolves `module`, `name` as a pickle names them (Python 2 module names accepted) to the
 * value the unpickler pushes: a PyDtype for torch dtypes, otherwise a PyGlobal whose binding says
 * what it means. Calls `onPlaceholder` with the qualified name of each inert one. Throws
 * LabError 'forbidden_global' for names no checkpoint needs, e.g. `os.system` or `builtins.eval`.
 */
export function resolveGlobal(
  module: string,
  name: string,
  onPlaceholder: (qualifiedName: string) => void,
): PyGlobal | PyDtype {
  // hasOwn throughout: a pickle may name modules like 'constructor' or '__proto__'.
  const normalized = Object.hasOwn(PY2_MODULES, module) ? PY2_MODULES[module] : module;
  const qualified = `${normalized}.${name}`;
  assertAllowed(normalized, name, qualified);

  if (normalized === 'torch' && Object.hasOwn(DTYPES, name)) {
    return new PyDtype(qualified, DTYPES[name]);
  }
  const binding = bindingFor(normalized, name, qualified);
  if (binding.kind === 'placeholder') onPlaceholder(qualified);
  return new PyGlobal(qualified, binding);
}

function assertAllowed(module: string, name: string, qualified: string): void {
  const forbiddenModule = FORBIDDEN_MODULES.some((m) => module === m || module.startsWith(`${m}.`));
  const forbiddenBuiltin =
    module === 'builtins' && !HARMLESS_BUILTINS.has(name) && !Object.hasOwn(CALLABLES, qualified);
  // Dunder names reach interpreter internals (e.g. `__import__`, `__builtins__`) in any module.
  const dunderName = name.startsWith('__') || name.includes('.__');
  const dunder = dunderName && !HARMLESS_DUNDERS.has(qualified);
  if (!forbiddenModule && !forbiddenBuiltin && !dunder) return;

  throw new LabError(
    'forbidden_global',
    `The checkpoint reader refuses to load this file: it names ${qualified}, which a state dict never needs. Only load checkpoints saved with torch.save(model.state_dict()) or fastai's learn.save.`,
    { details: { global: qualified } },
  );
}

function bindingFor(module: string, name: string, qualified: string): GlobalBinding {
  const call = Object.hasOwn(CALLABLES, qualified) ? CALLABLES[qualified] : undefined;
  if (call !== undefined) return { kind: 'callable', call };
  if (TYPES.has(qualified)) return { kind: 'type' };
  const storageModule = module === 'torch' || module === 'torch.cuda' || module === 'torch.storage';
  if (storageModule && Object.hasOwn(STORAGES, name)) {
    return { kind: 'storage', dtype: STORAGES[name] };
  }
  return { kind: 'placeholder' };
}
