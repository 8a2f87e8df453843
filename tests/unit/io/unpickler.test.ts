import { describe, expect, it } from 'vitest';

import { LabError } from '../../../src/io/errors';
import {
  PyComplex,
  PyDict,
  PyDtype,
  PyInert,
  PyList,
  PySet,
  PyTuple,
  StorageRef,
  TensorRef,
} from '../../../src/io/checkpoint/pyValues';
import { unpickle } from '../../../src/io/checkpoint/unpickler';
import { pickle } from './pickleAssembler';

import type { PyValue } from '../../../src/io/checkpoint/pyValues';

const noPersistentIds = (_pid: PyValue, fail: (what: string) => never): PyValue =>
  fail('no persistent ids here');

function load(bytes: Uint8Array): PyValue {
  return unpickle(bytes, { persistentLoad: noPersistentIds, label: 'test.pkl' }).value;
}

function text(source: string): Uint8Array {
  return pickle().text(source).bytes();
}

describe('unpickle on protocol 0 text opcodes', () => {
  it('reads INT, LONG, FLOAT, NONE and the INT spellings of booleans', () => {
    const value = load(text('(I42\nI-7\nI01\nI00\nL123456789012345678901L\nF-2.5e-3\nFinf\nNt.'));

    expect(value).toEqual(
      new PyTuple([42, -7, true, false, 123456789012345678901n, -0.0025, Infinity, null]),
    );
  });

  it('decodes STRING escapes and UNICODE \\u escapes', () => {
    const value = load(text("(S'a\\'b\\\\c\\x41\\n\\101'\nVcaf\\u00e9 \\U0001f600\nt."));

    expect(value).toEqual(new PyTuple(["a'b\\cA\nA", 'café 😀']));
  });

  it('builds DICT, LIST and TUPLE from marks and shares memo entries through PUT and GET', () => {
    const value = load(text('(dp0\nS\'k\'\n(lp1\nI1\naI2\nasS\'again\'\ng1\ns.'));

    expect(value).toBeInstanceOf(PyDict);
    const dict = value as PyDict;
    expect(dict.entries.get('k')).toBeInstanceOf(PyList);
    expect((dict.entries.get('k') as PyList).items).toEqual([1, 2]);
    expect(dict.entries.get('again')).toBe(dict.entries.get('k'));
  });

  it('applies POP, POP_MARK and DUP', () => {
    const value = load(text('(I1\nI2\n0(I3\nI4\n12t.'));

    expect(value).toEqual(new PyTuple([1, 1]));
  });
});

describe('unpickle on binary opcodes', () => {
  it('reads the binary ints, LONG1 of both signs, LONG4 and BINFLOAT', () => {
    const value = load(
      pickle().proto().mark().int(255).int(65535).int(-1).int(2 ** 40).int(-(2n ** 70n))
        .raw(0x8b, 2, 0, 0, 0, 0x00, 0x80).float(-0.1).tuple().stop().bytes(),
    );

    expect(value).toEqual(new PyTuple([255, 65535, -1, 2 ** 40, -(2n ** 70n), -32768, -0.1]));
  });

  it('reads bytes through SHORT_BINBYTES, BINBYTES, BYTEARRAY8 and _codecs.encode', () => {
    const value = load(
      pickle().proto(5).mark().raw(0x43, 2, 1, 2).raw(0x42).u32(1).raw(9).raw(0x96).u64(2).raw(7, 8)
        .global('_codecs', 'encode').unicode('\u00ff\u0001').unicode('latin1').raw(0x86).reduce()
        .tuple().stop().bytes(),
    );

    expect(value).toEqual(new PyTuple([
      Uint8Array.of(1, 2), Uint8Array.of(9), Uint8Array.of(7, 8), Uint8Array.of(0xff, 1),
    ]));
  });

  it('builds sets with EMPTY_SET, ADDITEMS, FROZENSET and builtins.set', () => {
    const value = load(
      pickle().proto(4).mark().raw(0x8f).mark().int(1).int(2).raw(0x90).mark().int(3).raw(0x91)
        .global('__builtin__', 'set').emptyList().mark().int(4).appends().raw(0x85).reduce()
        .tuple().stop().bytes(),
    ) as PyTuple;

    expect(value.items.map((s) => (s as PySet).items)).toEqual([[1, 2], [3], [4]]);
    expect(value.items.map((s) => (s as PySet).frozen)).toEqual([false, true, false]);
  });

  it('gives torch.Size, torch.device, complex and torch dtypes plain values', () => {
    const value = load(
      pickle().proto().mark()
        .global('torch', 'Size').mark().int(2).int(3).tuple().raw(0x85).reduce()
        .global('torch', 'device').unicode('cuda').int(1).raw(0x86).reduce()
        .global('builtins', 'complex').float(1.5).float(-2).raw(0x86).reduce()
        .global('torch', 'bfloat16').global('torch', 'complex64')
        .tuple().stop().bytes(),
    );

    expect(value).toEqual(new PyTuple([
      new PyTuple([2, 3]), 'cuda:1', new PyComplex(1.5, -2),
      new PyDtype('torch.bfloat16', 'bfloat16'), new PyDtype('torch.complex64', null),
    ]));
  });

  it('records BUILD state on an OrderedDict, as state_dict() _metadata needs', () => {
    const value = load(
      pickle().proto().global('collections', 'OrderedDict').emptyTuple().reduce()
        .unicode('a').int(1).setitem()
        .emptyDict().unicode('_metadata').emptyDict().setitem().build().stop().bytes(),
    ) as PyDict;

    expect(value.className).toBe('collections.OrderedDict');
    expect([...value.entries]).toEqual([['a', 1]]);
    expect((value.state as PyDict).entries.has('_metadata')).toBe(true);
  });
});

describe('unpickle on unknown globals', () => {
  it('turns NEWOBJ, APPENDS, SETITEMS and BUILD on an unknown class into an inert record', () => {
    const result = unpickle(
      pickle().proto().global('fastcore.foundation', 'L').emptyTuple().raw(0x81)
        .mark().int(1).appends().mark().unicode('k').int(2).setitems()
        .emptyDict().unicode('items').emptyList().setitem().build().stop().bytes(),
      { persistentLoad: noPersistentIds, label: 'test.pkl' },
    );

    const inert = result.value as PyInert;
    expect(inert).toBeInstanceOf(PyInert);
    expect(inert.className).toBe('fastcore.foundation.L');
    expect(inert.listItems).toEqual([1]);
    expect([...inert.dictItems]).toEqual([['k', 2]]);
    expect((inert.state as PyDict).entries.get('items')).toBeInstanceOf(PyList);
    expect([...result.placeholders]).toEqual(['fastcore.foundation.L']);
  });

  it('records the class copyreg._reconstructor is asked to build, and INST and OBJ classes', () => {
    const result = unpickle(
      pickle().proto().mark()
        .global('copy_reg', '_reconstructor').global('mylib', 'Thing')
        .global('__builtin__', 'object').none()
        .raw(0x87).reduce()
        .mark().int(5).raw(0x69).text('otherlib\nWidget\n')
        .mark().global('thirdlib', 'Gadget').int(6).raw(0x6f)
        .tuple().stop().bytes(),
      { persistentLoad: noPersistentIds, label: 'test.pkl' },
    );

    const items = (result.value as PyTuple).items as PyInert[];
    expect(items.map((i) => i.className)).toEqual(
      ['mylib.Thing', 'otherlib.Widget', 'thirdlib.Gadget'],
    );
    expect(items.map((i) => i.args)).toEqual([[], [5], [6]]);
    expect([...result.placeholders]).toEqual(
      ['mylib.Thing', 'builtins.object', 'otherlib.Widget', 'thirdlib.Gadget'],
    );
  });

  it("treats names that shadow JavaScript properties ('constructor', '__proto__') as placeholders", () => {
    const result = unpickle(
      pickle().proto().mark().global('constructor', 'x').global('toString', 'y').global('__proto__', 'z')
        .tuple().stop().bytes(),
      { persistentLoad: noPersistentIds, label: 'test.pkl' },
    );

    expect([...result.placeholders]).toEqual(['constructor.x', 'toString.y', '__proto__.z']);
  });

  it('rebuilds tensors as strided windows onto the storage a persistent id names', () => {
    const storage = new StorageRef('torch.HalfStorage', true, 'float16', '0', 'cpu', 12);
    const value = unpickle(
      pickle().proto().rebuildTensor((p) => p.unicode('any'), 2, [2, 3], [1, 2]).stop().bytes(),
      { persistentLoad: () => storage, label: 'test.pkl' },
    ).value;

    expect(value).toEqual(
      new TensorRef(storage, 'float16', 'torch.HalfStorage', 2, [2, 3], [1, 2]),
    );
  });

  it('unwraps _rebuild_from_type_v2 and _rebuild_parameter to the inner tensor', () => {
    const storage = new StorageRef('torch.FloatStorage', true, 'float32', '0', 'cpu', 4);
    // _rebuild_from_type_v2(_rebuild_parameter, Parameter, (tensor, False, OrderedDict()), {})
    const p = pickle().proto().global('torch._tensor', '_rebuild_from_type_v2').mark()
      .global('torch._utils', '_rebuild_parameter')
      .global('torch.nn.parameter', 'Parameter')
      .mark();
    p.rebuildTensor((q) => q.unicode('any'), 0, [4], [1]);
    p.newFalse().global('collections', 'OrderedDict').emptyTuple().reduce().tuple();
    const bytes = p.emptyDict().tuple().reduce().stop().bytes();

    const value = unpickle(bytes, { persistentLoad: () => storage, label: 'test.pkl' }).value;

    expect(value).toEqual(new TensorRef(storage, 'float32', 'torch.FloatStorage', 0, [4], [1]));
  });
});

describe('unpickle on malformed data', () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['data that ends before STOP', pickle().proto().int(1).bytes(), /at byte 4 \(end of data\): the data ends before the STOP opcode/],
    ['a string longer than the data', pickle().proto().raw(0x58).u32(100).text('abc').bytes(), /at byte 2 \(BINUNICODE \(0x58\)\): it needs 100 bytes but only 3 bytes remain/],
    ['a missing memo entry', pickle().proto().raw(0x68, 7).stop().bytes(), /at byte 2 \(BINGET \(0x68\)\): the memo has no entry 7/],
    ['a pop from an empty stack', pickle().proto().raw(0x85).stop().bytes(), /at byte 2 \(TUPLE1 \(0x85\)\): it needs 1 values on the stack/],
    ['a pop below the latest MARK', pickle().proto().int(1).mark().raw(0x61).stop().bytes(), /at byte 5 \(APPEND \(0x61\)\): it pops from an empty stack/],
    ['a TUPLE with no MARK', pickle().proto().int(1).tuple().stop().bytes(), /\(TUPLE \(0x74\)\): there is no MARK to return to/],
    ['an unknown opcode', pickle().proto().raw(0xff).bytes(), /at byte 2 \(unknown opcode \(0xff\)\): this is not a pickle opcode/],
    ['protocol 6', pickle().proto(6).bytes(), /\(PROTO \(0x80\)\): pickle protocol 6 is newer than 5/],
    ['an out-of-band buffer', pickle().proto(5).raw(0x97).bytes(), /NEXT_BUFFER \(0x97\)\): it asks for an out-of-band buffer/],
    ['SETITEM on a list', pickle().proto().emptyList().int(1).int(2).setitem().stop().bytes(), /SETITEM \(0x73\)\): cannot set items on a list of 0 items/],
    ['REDUCE on a string', pickle().proto().unicode('f').emptyTuple().reduce().stop().bytes(), /REDUCE \(0x52\)\): cannot call the string 'f'/],
    ['a LONG4 of a gigabyte', pickle().proto().raw(0x8b).u32(2 ** 30).stop().bytes(), /LONG4 \(0x8b\)\): an integer of 1073741824 bytes is out of range/],
    ['invalid UTF-8', pickle().proto().raw(0x8c, 2, 0xc3, 0x28).stop().bytes(), /SHORT_BINUNICODE \(0x8c\)\): a string is not valid UTF-8/],
    ['a self-nested _rebuild_from_type_v2', pickle().proto().global('torch._tensor', '_rebuild_from_type_v2').mark().global('torch._tensor', '_rebuild_from_type_v2').none().emptyTuple().none().tuple().reduce().stop().bytes(), /_rebuild_from_type_v2 is nested inside itself/],
    ['a bad rebuild argument', pickle().proto().global('torch._utils', '_rebuild_tensor_v2').mark().int(1).int(0).emptyTuple().emptyTuple().tuple().reduce().stop().bytes(), /torch\._utils\._rebuild_tensor_v2 expects a storage as its first argument, found the number 1/],
  ];

  it.each(cases)('reports %s as corrupt_file with the byte offset and opcode', (_, bytes, message) => {
    let error: unknown;
    try {
      load(bytes);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).code).toBe('corrupt_file');
    expect((error as LabError).message).toMatch(/^test\.pkl is malformed at byte \d+ /);
    expect((error as LabError).message).toMatch(message);
    expect((error as LabError).details).toHaveProperty('offset');
  });

});

describe('unpickle limits', () => {
  it('builds containers of 200k items without overflowing the call stack', () => {
    const many = new Array<number>(200_000).fill(0).flatMap(() => [0x4b, 1]);
    const p = pickle().proto(4).mark().raw(many).raw(0x91).mark().raw(many).tuple();
    const bytes = p.raw(0x86).stop().bytes();

    const [set, tuple] = (load(bytes) as PyTuple).items as [PySet, PyTuple];

    expect(set.items.length).toBe(200_000);
    expect(tuple.items.length).toBe(200_000);
  });

  it('caps MARK nesting instead of growing without bound', () => {
    const deep = pickle().proto().raw(...new Array<number>(10_001).fill(0x28)).bytes();

    expect(() => load(deep)).toThrow(/MARKs nest deeper than 10000/);
  });
});
