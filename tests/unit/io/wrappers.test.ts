import { describe, expect, it } from 'vitest';

import { readCheckpoint } from '../../../src/io/checkpoint';
import { EXPECTED, expectAllTensors, fixtureBytes } from './checkpointFixtures';

describe('readCheckpoint opening the wrapper around a state dict', () => {
  it("opens fastai's {model, opt} and lists the inert globals of the optimiser state", () => {
    const checkpoint = readCheckpoint(fixtureBytes('fastai_model_opt.pth'), 'learn.pth');

    expect(checkpoint.wrapperKey).toBe('model');
    expect(checkpoint.extras).toEqual({});
    expect(checkpoint.placeholders).toEqual([
      'fastcore.foundation.L',
      'numpy.core.multiarray.scalar',
      'numpy.dtype',
    ]);
    expect(checkpoint.placeholders).toEqual(EXPECTED['fastai_model_opt.pth'].placeholders);
    expectAllTensors(checkpoint.tensors, 'fastai_model_opt.pth');
  });

  it("opens {'state_dict': ...}, keeps 'module.' keys verbatim and puts scalars in extras (B01)", () => {
    const checkpoint = readCheckpoint(fixtureBytes('prefixed_module.pth'), 'ddp.pth.tar');

    expect(checkpoint.wrapperKey).toBe('state_dict');
    expect([...checkpoint.tensors.keys()].every((k) => k.startsWith('module.'))).toBe(true);
    expect(checkpoint.extras).toEqual({ epoch: 3, arch: 'resnet18', best_acc: 0.75 });
    expectAllTensors(checkpoint.tensors, 'prefixed_module.pth');
  });

  it("reads '_orig_mod.module.' keys to the same tensors as 'module.' ones (B01)", () => {
    const ddp = readCheckpoint(fixtureBytes('prefixed_module.pth'), 'ddp.pth').tensors;
    const compiled = readCheckpoint(fixtureBytes('prefixed_orig_mod.pth'), 'compiled.pth').tensors;

    expectAllTensors(compiled, 'prefixed_orig_mod.pth');
    expect([...compiled.values()]).toEqual([...ddp.values()]);
    expect([...compiled.keys()]).toEqual([...ddp.keys()].map((k) => `_orig_mod.${k}`));
    const tracked = compiled.get('_orig_mod.module.1.num_batches_tracked');
    expect(tracked?.values).toEqual(new Float64Array([7]));
  });

  it("opens {'model_state_dict': ...} and keeps float, bool and None extras", () => {
    const checkpoint = readCheckpoint(fixtureBytes('model_state_dict.pth'), 'ckpt.pt');

    expect(checkpoint.wrapperKey).toBe('model_state_dict');
    expect(checkpoint.extras).toEqual({ epoch: 5, loss: 0.5, done: true, note: null });
    expectAllTensors(checkpoint.tensors, 'model_state_dict.pth');
  });

  it.each(['whole_module.pth', 'whole_module_legacy.pth'])(
    'refuses a whole pickled nn.Module in %s, naming its class and saying to save the state dict',
    (file) => {
      expect(() => readCheckpoint(fixtureBytes(file), 'model.pt')).toThrowError(
        expect.objectContaining({
          code: 'unsupported_format',
          message: expect.stringMatching(
            /a pickled torch\.nn\.modules\.linear\.Linear object .*torch\.save\(model\.state_dict\(\)\)/,
          ),
        }),
      );
    },
  );

  it('refuses a file with no tensors at all, listing its top-level keys', () => {
    expect(() => readCheckpoint(fixtureBytes('no_tensors.pth'), 'notes.pth')).toThrowError(
      expect.objectContaining({
        code: 'unsupported_format',
        message: expect.stringMatching(/holds no tensors at its top level .*top-level keys: 'epoch', 'note'/),
      }),
    );
  });
});
