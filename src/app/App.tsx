import { BackendBadge } from '../features/backend/BackendBadge';
import { LossCurvePanel } from '../features/lossCurve/LossCurvePanel';
import { PairsPanel } from '../features/pairs/PairsPanel';
import { ParityPanel } from '../features/parity/ParityPanel';
import { ProgressBar } from '../features/progress/ProgressBar';
import { ScrubberPanel } from '../features/scrubber/ScrubberPanel';
import { SimilarityPanel } from '../features/similarity/SimilarityPanel';
import { SpectraPanel } from '../features/spectra/SpectraPanel';
import { WorkspacePanel } from '../features/workspace/WorkspacePanel';
import { useLab } from '../store/labStore';
import { ControllerContext } from './controllerContext';

import type { LabController } from './labController';

/** The lab's shell: header with the backend, the scrubber, and the five views. */
export function App({ controller, notices = [] }: { controller: LabController; notices?: string[] }) {
  const run = useLab((s) => s.run);
  const status = useLab((s) => s.engineStatus);
  const error = useLab((s) => s.engineError);
  return (
    <ControllerContext.Provider value={controller}>
    <div className="lab">
      <header className="lab-header">
        <h1>SwAV interpretability lab</h1>
        <BackendBadge />
      </header>
      {notices.length > 0 && (
        <ul className="url-notices" data-testid="url-notices">
          {notices.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {status === 'error' && (
        <p className="view-error" role="alert" data-testid="engine-error">
          The engine could not start: {error}
        </p>
      )}
      {run && (
        <p className="run-description" data-testid="run-name">
          <strong>{run.name}</strong> · {run.architecture.description} · {run.architecture.encoderParams.toLocaleString('en')} encoder parameters · {run.imageCount} analysis images. {run.description}
        </p>
      )}
      <WorkspacePanel />
      <ProgressBar controller={controller} />
      <ScrubberPanel />
      <main className="views">
        <LossCurvePanel />
        <PairsPanel />
        <SimilarityPanel controller={controller} />
        <SpectraPanel />
        <ParityPanel controller={controller} />
      </main>
    </div>
    </ControllerContext.Provider>
  );
}
