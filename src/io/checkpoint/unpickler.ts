/**
 * A restricted pickle VM (protocols 0 to 5). It builds plain data (pyValues.ts) and never runs
 * code: globals resolve through the fixed table in pickleGlobals.ts, calls go to knownCalls.ts
 * or yield inert records, and persistent ids are handed to the caller. Every read is bounded,
 * the stack, memo and containers are capped, and any malformed input throws LabError.
 * Opcode semantics follow CPython's Lib/pickle.py `_Unpickler` and Lib/pickletools.py.
 */

import { LabError } from '../errors';
import { ByteCursor } from './byteCursor';
import { callKnown } from './knownCalls';
import {
  addItems,
  appendItems,
  argumentItems,
  buildState,
  createSet,
  setItems,
} from './pickleObjects';
import { HIGHEST_PROTOCOL, OP, opcodeLabel } from './pickleOpcodes';
import { resolveGlobal } from './pickleGlobals';
import { PickleStack } from './pickleStack';
import {
  decodeLong,
  decodeRawUnicodeEscape,
  latin1,
  parseDecimal,
  parseFloatText,
  unquoteString,
} from './pickleText';
import { PyDict, PyGlobal, PyInert, PyList, PySet, PyTuple, describePyValue } from './pyValues';

import type { PyValue } from './pyValues';

/** Bytes in one string (names and keys are short; 16 MiB leaves room for odd metadata). */
const MAX_TEXT_BYTES = 16 * 1024 * 1024;
/** Bytes in a LONG1/LONG4 integer (2048 bits, far past any index or count). */
const MAX_LONG_BYTES = 256;
/** Bytes in a GLOBAL/INST module or name line, or a protocol 0 number line. */
const MAX_NAME_BYTES = 4096;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** What the caller of `unpickle` supplies. */
export interface UnpickleOptions {
  /** Turns a persistent id (BINPERSID/PERSID) into a value; may call `fail` to refuse it. */
  persistentLoad: (pid: PyValue, fail: (what: string) => never) => PyValue;
  /** The pickle's name in messages, e.g. 'archive/data.pkl'. */
  label: string;
  /** Offset of the pickle's first byte in `bytes`; 0 by default. */
  start?: number;
}

/** One unpickled object. */
export interface UnpickleResult {
  /** The object STOP returned. */
  value: PyValue;
  /** Offset just past the STOP opcode (legacy files hold several pickles back to back). */
  end: number;
  /** Qualified names of the inert globals met, in order of first appearance. */
  placeholders: Set<string>;
}

/**
 * Unpickles the pickle that starts at `options.start` in `bytes`. Throws LabError:
 * 'forbidden_global' for names like os.system, 'corrupt_file' (with byte offset and opcode in
 * the message and details) for truncated or malformed data.
 */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions): UnpickleResult {
  return new Machine(bytes, options).run();
}

class Machine {
  private readonly cursor: ByteCursor;
  private readonly stack = new PickleStack((what) => this.fail(what));
  private readonly placeholders = new Set<string>();
  private readonly failHere = (what: string): never => this.fail(what);
  private opcode = -1;
  private opcodeStart = 0;

  constructor(
    bytes: Uint8Array,
    private readonly options: UnpickleOptions,
  ) {
    this.cursor = new ByteCursor(bytes, options.start ?? 0, (needed, available) =>
      this.fail(
        `it needs ${byteCount(needed)} but only ${byteCount(available)} remain, so the file is truncated`,
      ),
    );
  }

  run(): UnpickleResult {
    for (;;) {
      this.opcodeStart = this.cursor.position;
      this.opcode = -1;
      if (this.cursor.remaining === 0) {
        this.fail('the data ends before the STOP opcode, so the file is truncated');
      }
      this.opcode = this.cursor.u8();
      if (this.opcode === OP.STOP) {
        const value = this.stack.pop();
        return { value, end: this.cursor.position, placeholders: this.placeholders };
      }
      this.step(this.opcode);
    }
  }

  /** Executes one opcode other than STOP. */
  private step(op: number): void {
    const c = this.cursor;
    const s = this.stack;
    const fail = this.failHere;
    switch (op) {
      case OP.PROTO: {
        const protocol = c.u8();
        if (protocol > HIGHEST_PROTOCOL) {
          fail(`pickle protocol ${protocol} is newer than ${HIGHEST_PROTOCOL}`);
        }
        return;
      }
      case OP.FRAME: {
        const length = c.u64();
        if (length > c.remaining) {
          fail(`the frame announces ${length} bytes but ${c.remaining} remain`);
        }
        return;
      }
      case OP.MARK:
        return s.mark();
      case OP.POP:
        if (s.hasValueAboveMark()) s.pop();
        else s.popMark();
        return;
      case OP.POP_MARK:
        s.popMark();
        return;
      case OP.DUP:
        return s.push(s.top());

      case OP.NONE:
        return s.push(null);
      case OP.NEWTRUE:
        return s.push(true);
      case OP.NEWFALSE:
        return s.push(false);
      case OP.INT: {
        const text = this.textLine();
        if (text === '01' || text === '00') return s.push(text === '01');
        return s.push(parseDecimal(text) ?? fail(`'${text}' is not an integer`));
      }
      case OP.LONG: {
        const text = this.textLine();
        return s.push(parseDecimal(text) ?? fail(`'${text}' is not an integer`));
      }
      case OP.BININT:
        return s.push(c.i32());
      case OP.BININT1:
        return s.push(c.u8());
      case OP.BININT2:
        return s.push(c.u16());
      case OP.LONG1:
        return s.push(decodeLong(c.take(c.u8())));
      case OP.LONG4: {
        const length = c.i32();
        if (length < 0 || length > MAX_LONG_BYTES) {
          fail(`an integer of ${length} bytes is out of range`);
        }
        return s.push(decodeLong(c.take(length)));
      }
      case OP.FLOAT: {
        const text = this.textLine();
        return s.push(parseFloatText(text) ?? fail(`'${text}' is not a float`));
      }
      case OP.BINFLOAT:
        return s.push(c.f64BigEndian());

      case OP.STRING: {
        const raw = unquoteString(c.line(MAX_TEXT_BYTES));
        return s.push(this.utf8(raw ?? fail('the string literal is not properly quoted')));
      }
      case OP.BINSTRING:
        return s.push(this.utf8(c.take(this.textLength(c.i32()))));
      case OP.SHORT_BINSTRING:
      case OP.SHORT_BINUNICODE:
        return s.push(this.utf8(c.take(c.u8())));
      case OP.UNICODE: {
        const text = decodeRawUnicodeEscape(c.line(MAX_TEXT_BYTES));
        return s.push(text ?? fail('a \\u escape is malformed'));
      }
      case OP.BINUNICODE:
        return s.push(this.utf8(c.take(this.textLength(c.u32()))));
      case OP.BINUNICODE8:
        return s.push(this.utf8(c.take(this.textLength(c.u64()))));
      case OP.SHORT_BINBYTES:
        return s.push(c.take(c.u8()));
      case OP.BINBYTES:
        return s.push(c.take(c.u32()));
      case OP.BINBYTES8:
        return s.push(c.take(c.u64()));
      case OP.BYTEARRAY8:
        return s.push(c.take(c.u64()).slice());
      case OP.NEXT_BUFFER:
        return fail('it asks for an out-of-band buffer, which a saved file cannot supply');
      case OP.READONLY_BUFFER:
        s.top();
        return;

      case OP.EMPTY_TUPLE:
        return s.push(new PyTuple([]));
      case OP.TUPLE1:
      case OP.TUPLE2:
      case OP.TUPLE3:
        return s.push(new PyTuple(s.popCount(op - OP.TUPLE1 + 1)));
      case OP.TUPLE:
        return s.push(new PyTuple(s.popMark()));
      case OP.EMPTY_LIST:
        return s.push(new PyList());
      case OP.LIST: {
        const list = new PyList();
        appendItems(list, s.popMark(), fail);
        return s.push(list);
      }
      case OP.EMPTY_DICT:
        return s.push(new PyDict('dict'));
      case OP.DICT: {
        const dict = new PyDict('dict');
        setItems(dict, s.popMark(), fail);
        return s.push(dict);
      }
      case OP.EMPTY_SET:
        return s.push(new PySet(false));
      case OP.FROZENSET:
        return s.push(createSet(s.popMark(), true, fail));
      case OP.APPEND: {
        const value = s.pop();
        return appendItems(s.top(), [value], fail);
      }
      case OP.APPENDS: {
        const items = s.popMark();
        return appendItems(s.top(), items, fail);
      }
      case OP.SETITEM: {
        const value = s.pop();
        const key = s.pop();
        return setItems(s.top(), [key, value], fail);
      }
      case OP.SETITEMS: {
        const items = s.popMark();
        return setItems(s.top(), items, fail);
      }
      case OP.ADDITEMS: {
        const items = s.popMark();
        return addItems(s.top(), items, fail);
      }
      case OP.BUILD: {
        const state = s.pop();
        return buildState(s.top(), state, fail);
      }

      case OP.GET:
        return s.push(s.memoGet(this.memoIndexLine()));
      case OP.BINGET:
        return s.push(s.memoGet(c.u8()));
      case OP.LONG_BINGET:
        return s.push(s.memoGet(c.u32()));
      case OP.PUT:
        return s.memoPut(this.memoIndexLine());
      case OP.BINPUT:
        return s.memoPut(c.u8());
      case OP.LONG_BINPUT:
        return s.memoPut(c.u32());
      case OP.MEMOIZE:
        return s.memoPut(s.memoSize);

      case OP.GLOBAL: {
        const module = this.nameLine();
        return s.push(this.global(module, this.nameLine()));
      }
      case OP.STACK_GLOBAL: {
        const name = s.pop();
        const module = s.pop();
        if (typeof module !== 'string' || typeof name !== 'string') {
          return fail('the module and name must be strings');
        }
        return s.push(this.global(module, name));
      }
      case OP.REDUCE:
      case OP.NEWOBJ: {
        const args = argumentItems(s.pop(), fail);
        return s.push(this.invoke(s.pop(), args));
      }
      case OP.NEWOBJ_EX: {
        s.pop(); // keyword arguments: no known callable takes any
        const args = argumentItems(s.pop(), fail);
        return s.push(this.invoke(s.pop(), args));
      }
      case OP.INST: {
        const module = this.nameLine();
        const cls = this.global(module, this.nameLine());
        return s.push(this.invoke(cls, s.popMark()));
      }
      case OP.OBJ: {
        const [cls, ...args] = s.popMark();
        if (cls === undefined) return fail('it needs a class after the MARK');
        return s.push(this.invoke(cls, args));
      }
      case OP.BINPERSID:
        return s.push(this.options.persistentLoad(s.pop(), fail));
      case OP.PERSID:
        return s.push(this.options.persistentLoad(this.textLine(), fail));
      case OP.EXT1:
      case OP.EXT2:
      case OP.EXT4:
        throw new LabError(
          'unsupported_format',
          `${this.options.label} uses the copyreg extension registry (${opcodeLabel(op)} at byte ${this.opcodeStart}), which PyTorch never writes. Save the checkpoint again with torch.save(model.state_dict()).`,
          { details: { offset: this.opcodeStart, opcode: op } },
        );
      default:
        fail('this is not a pickle opcode');
    }
  }

  private global(module: string, name: string): PyValue {
    return resolveGlobal(module, name, (qualified) => this.placeholders.add(qualified));
  }

  /** Calls `callee` on `args` as REDUCE does: known callables run, anything else is inert. */
  private invoke(callee: PyValue, args: readonly PyValue[]): PyValue {
    if (!(callee instanceof PyGlobal)) return this.fail(`cannot call ${describePyValue(callee)}`);
    if (callee.binding.kind !== 'callable') return new PyInert(callee.qualifiedName, args);
    return callKnown(callee.binding.call, callee.qualifiedName, args, {
      fail: this.failHere,
      invoke: (inner, innerArgs) => this.invoke(inner, innerArgs),
    });
  }

  private memoIndexLine(): number {
    const index = parseDecimal(this.textLine());
    if (typeof index !== 'number' || index < 0) {
      return this.fail('the memo index is not a non-negative integer');
    }
    return index;
  }

  private textLength(length: number): number {
    if (length < 0 || length > MAX_TEXT_BYTES) {
      this.fail(`a string of ${length} bytes is out of range`);
    }
    return length;
  }

  private textLine(): string {
    return latin1(this.cursor.line(MAX_NAME_BYTES));
  }

  private nameLine(): string {
    return this.utf8(this.cursor.line(MAX_NAME_BYTES));
  }

  private utf8(bytes: Uint8Array): string {
    try {
      return UTF8.decode(bytes);
    } catch {
      return this.fail('a string is not valid UTF-8');
    }
  }

  /** Throws LabError 'corrupt_file' naming the pickle, the opcode and its byte offset. */
  private fail(what: string): never {
    const opcode = this.opcode < 0 ? 'end of data' : opcodeLabel(this.opcode);
    throw new LabError(
      'corrupt_file',
      `${this.options.label} is malformed at byte ${this.opcodeStart} (${opcode}): ${what}. The file is damaged or not a PyTorch checkpoint; save it again or download it again.`,
      { details: { offset: this.opcodeStart, opcode: this.opcode } },
    );
  }
}

function byteCount(count: number): string {
  return count === 1 ? '1 byte' : `${count} bytes`;
}
