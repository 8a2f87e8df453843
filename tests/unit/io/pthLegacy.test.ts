import { describe, expect, it } from 'vitest';

import { readCheckpoint } from '../../../src/io/checkpoint';
import { LEGACY_MAGIC } from '../../../src/io/checkpoint/pthLegacy';
import { expectAllTensors, fixtureBytes } from './checkpointFixtures';
import { pickle } from './pickleAssembler';

/** The three header pickles of a legacy file; `littleEndian` goes into sys_info. */
function legacyHeader(littleEndian = true): Uint8Array[] {
  return [
    pickle().proto().int(LEGACY_MAGIC).stop().bytes(),
    pickle().proto().int(1001).stop().bytes(),
    pickle()
      .proto()
      .emptyDict()
      .unicode('little_endian')
      .raw(littleEndian ? 0x88 : 0x89)
      .setitem()
      .stop()
      .bytes(),
  ];
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** An 8-byte element count followed by float32 elements. */
function floatRecord(values: number[]): Uint8Array {
  const out = new Uint8Array(8 + 4 * values.length);
  const view = new DataView(out.buffer);
  view.setBigInt64(0, BigInt(values.length), true);
  values.forEach((v, i) => view.setFloat32(8 + 4 * i, v, true));
  return out;
}

describe('readCheckpoint on the legacy torch.save stream', () => {
  it('reads every dtype to the same values as the zip format (B05)', () => {
    const legacy = readCheckpoint(fixtureBytes('legacy_dtypes.pth'), 'old.pth');
    const zip = readCheckpoint(fixtureBytes('zip_dtypes.pth'), 'new.pth');

    expect(legacy.format).toBe('pth-legacy');
    expectAllTensors(legacy.tensors, 'legacy_dtypes.pth');
    expect(legacy.tensors).toEqual(zip.tensors);
  });

  it('resolves the view metadata of very old files as an element offset into the root', () => {
    const pid = (p: ReturnType<typeof pickle>): void => {
      p.mark().unicode('storage').global('torch', 'FloatStorage');
      p.unicode('root').unicode('cpu').int(5);
      p.mark().unicode('view').int(2).int(3).tuple().tuple();
    };
    const main = pickle().proto().emptyDict().unicode('w').rebuildTensor(pid, 1, [2], [1]);
    const mainBytes = main.setitem().stop().bytes();
    const keys = pickle().proto().emptyList().mark().unicode('root').appends().stop().bytes();
    const file = concat([...legacyHeader(), mainBytes, keys, floatRecord([10, 11, 12, 13, 14])]);

    const w = readCheckpoint(file, 'ancient.pth').tensors.get('w');

    expect(w?.shape).toEqual([2]);
    expect(Array.from(w?.values ?? [])).toEqual([13, 14]);
  });

  it('refuses a stream written on a big-endian machine', () => {
    const file = concat([...legacyHeader(false), pickle().proto().emptyDict().stop().bytes()]);

    expect(() => readCheckpoint(file, 'sparc.pth')).toThrow(
      /sparc\.pth: This legacy checkpoint was saved on a big-endian machine/,
    );
  });

  it('refuses a stream cut off inside its storage records, saying it is truncated', () => {
    const whole = fixtureBytes('legacy_dtypes.pth');

    expect(() => readCheckpoint(whole.subarray(0, whole.length - 10), 'cut.pth')).toThrowError(
      expect.objectContaining({
        code: 'corrupt_file',
        message: expect.stringMatching(
          /record of storage \d+ needs bytes up to \d+ but the file has \d+, so it is truncated/,
        ),
      }),
    );
  });

  it('refuses a stream cut off inside its main pickle, naming the byte offset and opcode', () => {
    const whole = fixtureBytes('legacy_dtypes.pth');

    expect(() => readCheckpoint(whole.subarray(0, 400), 'cut.pth')).toThrow(
      /the checkpoint pickle is malformed at byte \d+ \(([A-Z_0-9]+ \(0x[0-9a-f]{2}\)|end of data)\): .*, so the file is truncated\./,
    );
  });

  it('refuses a plain pickle that is not a torch.save file', () => {
    const plain = pickle().proto().emptyDict().stop().bytes();

    expect(() => readCheckpoint(plain, 'data.pkl')).toThrow(
      /data\.pkl: This file is a plain Python pickle, not a torch\.save checkpoint/,
    );
  });

  it("refuses PyTorch's pre-2017 tar layout with a message telling the user to re-save", () => {
    expect(() => readCheckpoint(fixtureBytes('ancient_tar.pth'), 'ancient.pth')).toThrowError(
      expect.objectContaining({
        code: 'unsupported_format',
        message: expect.stringMatching(/tar archive: PyTorch's pre-2017 checkpoint layout .*save it again with torch\.save/),
      }),
    );
  });
});
