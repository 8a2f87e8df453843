import fc from 'fast-check';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';

import { readCheckpoint, readSafetensors } from '../../../src/io/checkpoint';
import { StorageRef } from '../../../src/io/checkpoint/pyValues';
import { unpickle } from '../../../src/io/checkpoint/unpickler';
import { openZip } from '../../../src/io/checkpoint/zipArchive';
import { LabError } from '../../../src/io/errors';
import { fixtureBytes } from './checkpointFixtures';
import { pickle } from './pickleAssembler';
import { buildZip } from './zipBuilder';

/** Runs per property: enough to hit every opcode many times, small enough for a 2-core CI. */
const RUNS = 300;
const SEED = 20_240_611;

/** Runs `read` and lets only LabError escape (success is fine too). */
function onlyLabErrors(read: () => unknown): boolean {
  try {
    read();
  } catch (error) {
    if (!(error instanceof LabError)) throw error;
  }
  return true;
}

/** A copy of `base` with bytes overwritten at random positions, then possibly truncated. */
const mutated = (base: Uint8Array): fc.Arbitrary<Uint8Array> =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 8,
      }),
      fc.option(fc.nat(base.length), { nil: undefined }),
    )
    .map(([edits, cut]) => {
      const copy = base.slice(0, cut ?? base.length);
      for (const [at, byte] of edits) if (at < copy.length) copy[at] = byte;
      return copy;
    });

const withPrefix = (prefix: number[]): fc.Arbitrary<Uint8Array> =>
  fc.uint8Array({ maxLength: 300 }).map((tail) => Uint8Array.from([...prefix, ...tail]));

describe('checkpoint readers on arbitrary bytes', () => {
  it('readCheckpoint throws only LabError on random bytes', () => {
    const property = fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) =>
      onlyLabErrors(() => readCheckpoint(bytes, 'r')),
    );
    fc.assert(property, { numRuns: RUNS, seed: SEED });
  });

  it('readCheckpoint throws only LabError on random bytes after a pickle, zip or header start', () => {
    const starts = fc.oneof(
      withPrefix([0x80, 0x02]),
      withPrefix([0x80, 0x04, 0x95]),
      withPrefix([0x50, 0x4b, 0x03, 0x04]),
      withPrefix([0x20, 0, 0, 0, 0, 0, 0, 0, 0x7b]),
    );
    const property = fc.property(starts, (bytes) => onlyLabErrors(() => readCheckpoint(bytes, 'r')));
    fc.assert(property, { numRuns: RUNS, seed: SEED });
  });

  it.each([
    'zip_dtypes.pth',
    'legacy_dtypes.pth',
    'fastai_model_opt.pth',
    'shared_views_legacy.pth',
    'valid.safetensors',
    'zip_deflate.pth',
  ])('readCheckpoint throws only LabError on damaged copies of %s', (file) => {
    const property = fc.property(mutated(fixtureBytes(file)), (bytes) =>
      onlyLabErrors(() => readCheckpoint(bytes, file)),
    );
    fc.assert(property, { numRuns: RUNS, seed: SEED });
  });

  it.each(['zip_dtypes.pth', 'fastai_model_opt.pth', 'shared_views.pth', 'zip_protocol4.pth'])(
    'readCheckpoint throws only LabError when the entries of %s are damaged behind valid CRCs',
    (file) => {
      const entries = Object.entries(unzipSync(fixtureBytes(file)));
      const damaged = fc.tuple(fc.nat(entries.length - 1), fc.nat()).chain(([index, seed]) => {
        const [name, data] = entries[index === 0 ? 0 : seed % entries.length];
        const source = data.length > 0 ? data : new Uint8Array(1);
        return mutated(source).map((bytes) => ({ name, bytes }));
      });
      fc.assert(
        fc.property(damaged, ({ name, bytes }) => {
          const files = entries.map(([n, data]) => ({ name: n, data: n === name ? bytes : data }));
          return onlyLabErrors(() => readCheckpoint(buildZip(files), file));
        }),
        { numRuns: RUNS, seed: SEED },
      );
    },
  );

  it('unpickle throws only LabError on random opcodes, with a storage for every persistent id', () => {
    const storage = new StorageRef('torch.FloatStorage', true, 'float32', '0', 'cpu', 4);
    const options = { persistentLoad: () => storage, label: 'f' };
    const property = fc.property(withPrefix([0x80, 0x02]), (bytes) =>
      onlyLabErrors(() => unpickle(bytes, options)),
    );
    fc.assert(property, { numRuns: RUNS * 3, seed: SEED });
  });

  it('unpickle throws only LabError for globals of any module and name', () => {
    const word = fc.string({ maxLength: 24 }).filter((w) => !w.includes('\n'));
    const property = fc.property(word, word, (module, name) =>
      onlyLabErrors(() => {
        const bytes = pickle().proto().global(module, name).emptyTuple().reduce().stop().bytes();
        unpickle(bytes, { persistentLoad: (_pid, fail) => fail('none'), label: 'g' });
      }),
    );
    fc.assert(property, { numRuns: RUNS, seed: SEED });
  });

  it('openZip and its entry reads throw only LabError on damaged archives', () => {
    const base = fixtureBytes('zip_bytesio.pth');
    fc.assert(
      fc.property(mutated(base), (bytes) =>
        onlyLabErrors(() => {
          const zip = openZip(bytes);
          for (const entry of zip.entries) onlyLabErrors(() => zip.read(entry));
        }),
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('readSafetensors throws only LabError on arbitrary JSON headers', () => {
    const files = fc.tuple(fc.json(), fc.uint8Array({ maxLength: 64 })).map(([json, data]) => {
      const header = new TextEncoder().encode(json);
      const out = new Uint8Array(8 + header.length + data.length);
      new DataView(out.buffer).setUint32(0, header.length, true);
      out.set(header, 8);
      out.set(data, 8 + header.length);
      return out;
    });
    const property = fc.property(files, (bytes) => onlyLabErrors(() => readSafetensors(bytes)));
    fc.assert(property, { numRuns: RUNS, seed: SEED });
  });

  it('a damaged copy of a fixture is either refused or read to a non-empty state dict', () => {
    const base = fixtureBytes('zip_dtypes.pth');
    fc.assert(
      fc.property(mutated(base), (bytes) => {
        try {
          expect(readCheckpoint(bytes, 'm').tensors.size).toBeGreaterThan(0);
        } catch (error) {
          if (!(error instanceof LabError)) throw error;
        }
      }),
      { numRuns: 100, seed: SEED },
    );
  });
});
