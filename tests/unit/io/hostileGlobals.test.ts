import { describe, expect, it } from 'vitest';

import { readCheckpoint } from '../../../src/io/checkpoint';
import { LabError } from '../../../src/io/errors';
import { fixtureBytes } from './checkpointFixtures';
import { pickle } from './pickleAssembler';
import { buildZip } from './zipBuilder';

import type { PickleAssembler } from './pickleAssembler';

const REFUSAL =
  /refuses to load this file: it names (\S+), which a state dict never needs\. Only load checkpoints saved with torch\.save\(model\.state_dict\(\)\) or fastai's learn\.save\./;

/** A zip checkpoint around `pkl`, with one 8-byte storage record `archive/data/0`. */
function zipWith(pkl: Uint8Array): Uint8Array {
  return buildZip([
    { name: 'archive/data.pkl', data: pkl },
    { name: 'archive/data/0', data: new Uint8Array(new Float32Array([1.5, -2]).buffer) },
  ]);
}

function caught(run: () => unknown): LabError {
  try {
    run();
  } catch (error) {
    if (error instanceof LabError) return error;
    throw error;
  }
  throw new Error('expected a LabError');
}

/** A state dict {'w': tensor} whose storage persistent id names `module.name`. */
function stateDictWithStorageClass(module: string, name: string): Uint8Array {
  const pid = (p: PickleAssembler): void => {
    p.mark().unicode('storage').global(module, name).unicode('0').unicode('cpu').int(2).tuple();
  };
  const p = pickle().proto().emptyDict().unicode('w').rebuildTensor(pid, 0, [2], [1]);
  return p.setitem().stop().bytes();
}

describe('readCheckpoint on hostile pickles', () => {
  it('refuses a pickle that calls os.system through __reduce__, naming posix.system', () => {
    const error = caught(() => readCheckpoint(fixtureBytes('hostile_os_system.pth'), 'evil.pth'));

    expect(error.code).toBe('forbidden_global');
    expect(error.message).toMatch(REFUSAL);
    expect(error.message).toMatch(/^evil\.pth: .*it names posix\.system,/);
    expect(error.details).toMatchObject({ global: 'posix.system', fileName: 'evil.pth' });
  });

  it('refuses a legacy pickle that names __builtin__.eval, calling it builtins.eval', () => {
    const bytes = fixtureBytes('hostile_eval_legacy.pth');

    const error = caught(() => readCheckpoint(bytes, 'evil_old.pth'));

    expect(error.code).toBe('forbidden_global');
    expect(error.message).toMatch(/it names builtins\.eval, which a state dict never needs/);
  });

  const forbidden: [string, string, string][] = [
    ['os', 'system', 'os.system'],
    ['nt', 'system', 'nt.system'],
    ['subprocess', 'Popen', 'subprocess.Popen'],
    ['__builtin__', 'getattr', 'builtins.getattr'],
    ['builtins', 'exec', 'builtins.exec'],
    ['builtins', 'open', 'builtins.open'],
    ['__builtin__', '__import__', 'builtins.__import__'],
    ['shutil', 'rmtree', 'shutil.rmtree'],
    ['socket', 'create_connection', 'socket.create_connection'],
    ['importlib', 'import_module', 'importlib.import_module'],
    ['runpy', 'run_path', 'runpy.run_path'],
    ['pickle', 'loads', 'pickle.loads'],
    ['marshal', 'loads', 'marshal.loads'],
    ['sys', 'modules', 'sys.modules'],
    ['os.path', 'join', 'os.path.join'],
    ['types', 'FunctionType', 'types.FunctionType'],
    ['operator', 'attrgetter', 'operator.attrgetter'],
    ['numpy', '__builtins__', 'numpy.__builtins__'],
  ];

  it.each(forbidden)('refuses GLOBAL %s %s at once, naming %s', (module, name, qualified) => {
    // Garbage follows the global: the refusal must come before anything else is read.
    const pkl = pickle().proto().global(module, name).raw(0xff, 0xff).bytes();

    const error = caught(() => readCheckpoint(zipWith(pkl), 'x.pth'));

    expect(error.code).toBe('forbidden_global');
    expect(error.message).toContain(`it names ${qualified}, which a state dict never needs`);
  });

  it('refuses forbidden names however the pickle spells them: STACK_GLOBAL and INST', () => {
    const stacked = pickle().proto(4).raw(0x8c, 8).text('builtins').raw(0x8c, 4).text('eval');
    const inst = pickle().proto().mark().unicode('ls').raw(0x69).text('posix\nsystem\n');
    const read = (p: PickleAssembler) => () => readCheckpoint(zipWith(p.stop().bytes()), 'p.pth');

    expect(read(stacked.raw(0x93))).toThrow(/it names builtins\.eval,/);
    expect(read(inst)).toThrow(/it names posix\.system,/);
  });

  it('refuses a tensor in a storage class outside the table, naming that class', () => {
    const bytes = zipWith(stateDictWithStorageClass('mylib', 'FancyStorage'));

    const error = caught(() => readCheckpoint(bytes, 'f.pth'));

    expect(error.code).toBe('unsupported_global');
    expect(error.message).toMatch(
      /Tensor 'w' is stored in mylib\.FancyStorage, a storage class the checkpoint reader does not know/,
    );
  });

  it('refuses a quantised storage as a dtype the lab cannot decode', () => {
    const bytes = zipWith(stateDictWithStorageClass('torch', 'QInt8Storage'));

    const error = caught(() => readCheckpoint(bytes, 'q.pth'));

    expect(error.code).toBe('unsupported_dtype');
    expect(error.message).toMatch(
      /Tensor 'w' uses torch\.QInt8Storage, which the lab cannot decode/,
    );
  });

  it('refuses a state dict entry built by an unknown rebuild function, naming the function', () => {
    const pkl = pickle().proto().emptyDict().unicode('w')
      .global('torch._utils', '_rebuild_qtensor').mark().int(1).tuple().reduce()
      .setitem().stop().bytes();

    const error = caught(() => readCheckpoint(zipWith(pkl), 'qt.pth'));

    expect(error.code).toBe('unsupported_global');
    expect(error.message).toMatch(
      /State dict entry 'w' is built by torch\._utils\._rebuild_qtensor, which the checkpoint reader does not know/,
    );
  });

  it('reads the tensors beside an inert placeholder it never has to rebuild', () => {
    const pid = (p: PickleAssembler): void => {
      p.mark().unicode('storage').global('torch', 'FloatStorage');
      p.unicode('0').unicode('cpu').int(2).tuple();
    };
    const pkl = pickle().proto().emptyDict().mark()
      .unicode('model').emptyDict().unicode('w').rebuildTensor(pid, 0, [2], [1]).setitem()
      .unicode('opt').global('somelib', 'Optimizer').emptyTuple().raw(0x81)
      .setitems().stop().bytes();

    const checkpoint = readCheckpoint(zipWith(pkl), 'ok.pth');

    expect(checkpoint.wrapperKey).toBe('model');
    expect(checkpoint.placeholders).toEqual(['somelib.Optimizer']);
    expect(Array.from(checkpoint.tensors.get('w')?.values ?? [])).toEqual([1.5, -2]);
  });

  it('refuses a persistent id that is not a storage tuple as corrupt', () => {
    const pkl = pickle().proto().unicode('not a storage').binpersid().stop().bytes();

    expect(() => readCheckpoint(zipWith(pkl), 'p.pth')).toThrow(
      /archive\/data\.pkl is malformed at byte \d+ \(BINPERSID \(0x51\)\): a persistent id is not a \('storage', class, key, location, numel\) tuple/,
    );
  });
});
