/**
 * The unpickler's stack, MARK positions and memo, with their caps. Underflow, a missing MARK, a
 * missing memo entry or a cap being passed are reported through the owner's `fail`, which
 * throws with the current opcode and offset.
 */

import type { PyValue } from './pyValues';

/** Memo entries; a ResNet-50 state dict with Adam state uses about 3k, so this is ample. */
const MAX_MEMO_ENTRIES = 1_000_000;
/** Values on the stack at once; pickle batches SETITEMS/APPENDS by 1000, so real use is small. */
const MAX_STACK_ITEMS = 1_000_000;
/** Nested MARKs; nesting in state dicts is a handful deep. */
const MAX_MARK_DEPTH = 10_000;

/** The stack machine state of one unpickling run. */
export class PickleStack {
  private readonly values: PyValue[] = [];
  private readonly marks: number[] = [];
  private readonly memo = new Map<number, PyValue>();

  constructor(private readonly fail: (what: string) => never) {}

  /** Entries in the memo (MEMOIZE stores at this index). */
  get memoSize(): number {
    return this.memo.size;
  }

  /** Pushes one value. */
  push(value: PyValue): void {
    if (this.values.length >= MAX_STACK_ITEMS) {
      this.fail(`the stack grows past ${MAX_STACK_ITEMS} values`);
    }
    this.values.push(value);
  }

  /** Pops the top value; values below the latest MARK are out of reach. */
  pop(): PyValue {
    if (this.values.length <= this.markBase()) this.fail('it pops from an empty stack');
    return this.values.pop() as PyValue;
  }

  /** Returns the top value without popping it. */
  top(): PyValue {
    if (this.values.length <= this.markBase()) {
      this.fail('it needs a value on the stack, which is empty');
    }
    return this.values[this.values.length - 1];
  }

  /** Pops the top `count` values, oldest first. */
  popCount(count: number): PyValue[] {
    if (this.values.length - count < this.markBase()) {
      this.fail(`it needs ${count} values on the stack`);
    }
    return this.values.splice(this.values.length - count, count);
  }

  /** True when values sit above the latest MARK (or on the stack, without one). */
  hasValueAboveMark(): boolean {
    return this.values.length > this.markBase();
  }

  /** Records a MARK at the current stack height. */
  mark(): void {
    if (this.marks.length >= MAX_MARK_DEPTH) this.fail(`MARKs nest deeper than ${MAX_MARK_DEPTH}`);
    this.marks.push(this.values.length);
  }

  /** Removes the latest MARK and returns the values pushed since, oldest first. */
  popMark(): PyValue[] {
    const mark = this.marks.pop();
    if (mark === undefined) return this.fail('there is no MARK to return to');
    return this.values.splice(mark);
  }

  /** The memo entry at `index`. */
  memoGet(index: number): PyValue {
    const value = this.memo.get(index);
    if (value === undefined) return this.fail(`the memo has no entry ${index}`);
    return value;
  }

  /** Stores the top value in the memo at `index`. */
  memoPut(index: number): void {
    if (!this.memo.has(index) && this.memo.size >= MAX_MEMO_ENTRIES) {
      this.fail(`the memo grows past ${MAX_MEMO_ENTRIES} entries`);
    }
    this.memo.set(index, this.top());
  }

  private markBase(): number {
    return this.marks.length === 0 ? 0 : this.marks[this.marks.length - 1];
  }
}
