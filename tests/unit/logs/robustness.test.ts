import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { isLabError } from '../../../src/io/errors';
import { parseTrainingLog } from '../../../src/io/logs';
import { logFixture } from './logFixtures';

const FIXTURES = [
  'events.out.tfevents.1700000000.lab-host.1234.0',
  'fastai_history.csv',
  'wandb_export.csv',
  'b24_loss.csv',
  'bom_crlf.tsv',
  'lightning_metrics.csv',
  'dino_log.txt',
  'records.json',
  'pairs.json',
  'trainer_state.json',
];

/** Runs the parser and fails unless it returns a log or throws a LabError. */
function expectLogOrLabError(bytes: Uint8Array, name: string): void {
  try {
    const log = parseTrainingLog(bytes, name);
    for (const series of log.series) {
      expect(series.values.length).toBe(series.steps.length);
      for (let i = 1; i < series.steps.length; i++) expect(series.steps[i]).toBeGreaterThanOrEqual(series.steps[i - 1]);
    }
  } catch (error) {
    if (!isLabError(error)) throw error;
  }
}

describe('parseTrainingLog on damaged input', () => {
  it('returns a log or throws a LabError for every fixture with bytes changed or cut off', () => {
    const damaged = fc.record({
      file: fc.constantFrom(...FIXTURES),
      edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
      cut: fc.option(fc.nat(), { nil: undefined }),
    });
    fc.assert(
      fc.property(damaged, ({ file, edits, cut }) => {
        let bytes = logFixture(file);
        for (const [at, value] of edits) bytes[at % bytes.length] = value;
        if (cut !== undefined) bytes = bytes.subarray(0, cut % (bytes.length + 1));
        expectLogOrLabError(bytes, file);
      }),
      { numRuns: 400 },
    );
  });

  it('returns a log or throws a LabError for arbitrary bytes and arbitrary text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.string({ maxLength: 200 }), (bytes, text) => {
        expectLogOrLabError(bytes, 'random.bin');
        expectLogOrLabError(new TextEncoder().encode(text), 'random.csv');
      }),
      { numRuns: 400 },
    );
  });
});
