import { MessageChannel } from 'node:worker_threads';

import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';

import { LabError, isLabError } from '../../../src/io/errors';
import { deserialiseError, installErrorTransfer, serialiseError } from '../../../workers/protocol/errors';

describe('errors across the worker boundary', () => {
  it('serialiseError and deserialiseError keep name, message, stack, code and details', () => {
    const original = new LabError('forbidden_global', 'it names os.system', { details: { global: 'os.system' } });
    const back = deserialiseError(structuredClone(serialiseError(original)));
    expect(isLabError(back)).toBe(true);
    expect(back).toMatchObject({ name: 'LabError', message: 'it names os.system', code: 'forbidden_global', details: { global: 'os.system' } });
    expect(back.stack).toBe(original.stack);
  });

  it('a LabError thrown by a comlink-exposed method arrives as a LabError with its code', async () => {
    installErrorTransfer();
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(
      {
        load() {
          throw new LabError('corrupt_file', 'model.pth: truncated at byte 12', { details: { offset: 12 } });
        },
        plain() {
          throw new TypeError('not a LabError');
        },
      },
      port1 as unknown as Comlink.Endpoint,
    );
    const remote = Comlink.wrap<{ load(): void; plain(): void }>(port2 as unknown as Comlink.Endpoint);
    await expect(remote.load()).rejects.toMatchObject({ code: 'corrupt_file', message: 'model.pth: truncated at byte 12', details: { offset: 12 } });
    await expect(remote.plain()).rejects.toMatchObject({ name: 'TypeError', message: 'not a LabError' });
    port1.close();
    port2.close();
  });
});
