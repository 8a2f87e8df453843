import { useState } from 'react';

import { tableToCsv } from '../../io/export/csv';
import { useLab } from '../../store/labStore';
import { saveBlob } from '../workspace/WorkspacePanel';

import type { LabController } from '../../app/labController';
import type { ParityReport } from '../../../workers/engineApi';

/** Runs PyTorch's reference inputs through the current checkpoint and shows the differences. */
export function ParityPanel({ controller }: { controller: LabController }) {
  const hasReference = useLab((s) => s.run?.hasReference ?? true);
  const [report, setReport] = useState<ParityReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setReport(await controller.checkParity());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel parity" aria-label="Parity with PyTorch" data-testid="parity-panel">
      <h2>Parity with PyTorch</h2>
      {!hasReference && <p className="view-wait">These checkpoints came without PyTorch reference outputs, so there is nothing to compare with; the bundled demo has them for every checkpoint.</p>}
      <p hidden={!hasReference}>
        The run ships the outputs PyTorch computed for four images from each checkpoint's weights. <button type="button" onClick={() => void run()} disabled={busy} data-testid="parity-run">
          {busy ? 'Checking…' : 'Check this checkpoint'}
        </button>
      </p>
      {error && <p className="view-error" role="alert">{error}</p>}
      {report && (
        <button
          type="button"
          data-testid="parity-csv"
          onClick={() => saveBlob(new Blob([tableToCsv(['output', 'shape', 'max_abs_diff', 'scaled_diff', 'ref_max_abs'], report.outputs.map((o) => [o.name, o.shape.join('x'), o.maxAbsDiff, o.scaledDiff, o.refMaxAbs]))], { type: 'text/csv' }), `parity-checkpoint-${report.checkpointIndex}.csv`)}
        >
          CSV
        </button>
      )}
      {report && (
        <table data-testid="parity-table" data-pass={String(report.pass)} data-checkpoint={report.checkpointIndex}>
          <caption>
            {report.pass ? 'Matches' : 'Does not match'} PyTorch within {report.tolerance} on {report.backend} (max abs difference, scaled by the largest reference value where it exceeds 1)
          </caption>
          <thead>
            <tr>
              <th>output</th>
              <th>shape</th>
              <th>max |diff|</th>
              <th>scaled</th>
            </tr>
          </thead>
          <tbody>
            {report.outputs.map((o) => (
              <tr key={o.name} className={o.scaledDiff <= report.tolerance ? 'ok' : 'bad'}>
                <td>{o.name}</td>
                <td>[{o.shape.join(', ')}]</td>
                <td>{o.maxAbsDiff.toExponential(2)}</td>
                <td data-testid={`parity-${o.name}`}>{o.scaledDiff.toExponential(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
