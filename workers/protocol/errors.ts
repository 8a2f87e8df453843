import * as Comlink from 'comlink';

import { LabError } from '../../src/io/errors';

import type { LabErrorCode } from '../../src/io/errors';

/** Brand of a serialised error on the wire. */
const ERROR_BRAND = 'lab.engine.error';

/** An error as plain data: everything the UI branches on survives the trip. */
export interface SerialisedError {
  brand: typeof ERROR_BRAND;
  name: string;
  message: string;
  stack: string;
  code: LabErrorCode | null;
  details: Record<string, unknown>;
}

/** Turns any thrown value into plain data. */
export function serialiseError(value: unknown): SerialisedError {
  const error = value instanceof Error ? value : new Error(String(value));
  const lab = error instanceof LabError ? error : null;
  return {
    brand: ERROR_BRAND,
    name: error.name,
    message: error.message,
    stack: error.stack ?? '',
    code: lab ? lab.code : null,
    details: lab ? structuredCloneSafe(lab.details) : {},
  };
}

/** Rebuilds an error from plain data: a LabError when it carried a code. */
export function deserialiseError(data: SerialisedError): Error {
  if (data.code) {
    const lab = new LabError(data.code, data.message, { details: data.details });
    lab.stack = data.stack;
    return lab;
  }
  const error = new Error(data.message);
  error.name = data.name;
  error.stack = data.stack;
  return error;
}

/**
 * Replaces comlink's default 'throw' handler so errors cross the worker with name, message,
 * stack, code and details intact. Both sides must call this before the first call.
 */
export function installErrorTransfer(): void {
  const builtin = Comlink.transferHandlers.get('throw');
  if (!builtin) throw new Error('comlink has no throw handler to extend');
  Comlink.transferHandlers.set('throw', {
    // comlink marks thrown values with a private symbol; its own predicate recognises them.
    canHandle: builtin.canHandle,
    serialize: (thrown: unknown) => [serialiseError((thrown as { value: unknown }).value), []],
    deserialize: (data: unknown) => {
      throw deserialiseError(data as SerialisedError);
    },
  });
}

function structuredCloneSafe(details: Record<string, unknown>): Record<string, unknown> {
  try {
    return structuredClone(details);
  } catch {
    return { note: 'details could not be copied across the worker boundary' };
  }
}
