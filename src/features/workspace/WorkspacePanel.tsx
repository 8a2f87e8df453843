import { useEffect, useRef, useState } from 'react';

import { useController } from '../../app/controllerContext';
import { useLab } from '../../store/labStore';
import { filesFromDrop } from './droppedFiles';
import { PreprocessingControls } from './PreprocessingControls';

/**
 * Bring your own run: drop or pick checkpoints (.pth, .pt, safetensors), training logs and a
 * dataset folder or zip anywhere on the page. Shows what was recognised, what was refused and
 * why, the timeline order (movable), and what the browser keeps for the next visit.
 */
export function WorkspacePanel() {
  const controller = useController();
  const run = useLab((s) => s.run);
  const report = useLab((s) => s.importReport);
  const importing = useLab((s) => s.importing);
  const stored = useLab((s) => s.stored);
  const currentIndex = useLab((s) => s.currentIndex);
  const [dragging, setDragging] = useState(false);
  const folderInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onOver = (event: DragEvent) => {
      if (!event.dataTransfer?.types.includes('Files')) return;
      event.preventDefault();
      setDragging(true);
    };
    const onLeave = (event: DragEvent) => {
      if (event.relatedTarget === null) setDragging(false);
    };
    const onDrop = (event: DragEvent) => {
      if (!event.dataTransfer) return;
      event.preventDefault();
      setDragging(false);
      void filesFromDrop(event.dataTransfer).then(({ files, paths }) => controller.importFiles(files, paths));
    };
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [controller]);

  useEffect(() => {
    // webkitdirectory is not in React's attribute types.
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, []);

  const pick = (list: FileList | null) => {
    if (list && list.length > 0) void controller.importFiles([...list]);
  };

  const download = async () => {
    const blob = await controller.exportCheckpoint();
    const file = run?.checkpoints[currentIndex]?.file.replace(/^.*\//, '').replace(/\.[^.]+$/, '') ?? 'checkpoint';
    saveBlob(blob, `${file}.safetensors`);
  };

  return (
    <section className={`panel workspace ${dragging ? 'dragging' : ''}`} aria-label="Your files" data-testid="workspace-panel">
      <header>
        <h2>Your run</h2>
        <div className="controls">
          <label className="file-button">
            Checkpoints or logs… <input type="file" multiple data-testid="file-input" onChange={(e) => pick(e.target.files)} />
          </label>
          <label className="file-button">
            Dataset folder… <input ref={folderInput} type="file" multiple data-testid="folder-input" onChange={(e) => pick(e.target.files)} />
          </label>
          {run?.kind === 'user' && (
            <button type="button" onClick={() => void controller.useDemo()} data-testid="use-demo">
              Back to the demo
            </button>
          )}
          <button type="button" onClick={() => void download()} disabled={!run} data-testid="export-checkpoint" title="The current checkpoint's weights as safetensors, with the file's own key names (a DataParallel module. prefix stays, as in the file)">
            Export checkpoint (safetensors)
          </button>
        </div>
      </header>
      <p className="caption">
        Drop .pth / .pt / safetensors checkpoints, training logs (fastai CSV, W&amp;B CSV, TensorBoard events, CSV or JSON) or a folder or zip of images anywhere on this page.{' '}
        {importing ? <strong>Reading files…</strong> : null}
        {run && <span data-testid="run-data"> Analysing: {run.dataName} ({run.pairing === 'sensors' ? 'pairs are the two sensors' : 'pairs are two augmented views'}).</span>}
      </p>
      <PreprocessingControls />
      {report && <ImportReportView />}
      {run?.ownCheckpoints && run.checkpoints.length > 1 && (
        <ol className="timeline-list" data-testid="timeline-list">
          {run.checkpoints.map((c) => (
            <li key={`${c.index}-${c.file}`}>
              <code>{c.file}</code> {Number.isFinite(c.step) ? `step ${c.step}` : Number.isFinite(c.epoch) ? `epoch ${c.epoch}` : 'no step in name'}{' '}
              <button type="button" disabled={c.index === 0} onClick={() => void controller.moveCheckpoint(c.index, c.index - 1)} aria-label={`Move ${c.file} earlier`}>
                ↑
              </button>
              <button type="button" disabled={c.index === run.checkpoints.length - 1} onClick={() => void controller.moveCheckpoint(c.index, c.index + 1)} aria-label={`Move ${c.file} later`}>
                ↓
              </button>
            </li>
          ))}
        </ol>
      )}
      <p className="caption" data-testid="storage-info">
        {stored === null
          ? 'Checking the browser storage…'
          : stored.available
            ? `Kept in this browser for the next visit: ${stored.files} file${stored.files === 1 ? '' : 's'}, ${formatBytes(stored.bytes)}; results of ${stored.results} checkpoint analys${stored.results === 1 ? 'is' : 'es'}, ${formatBytes(stored.resultBytes)}. `
            : 'This browser offers no storage to keep files across visits. '}
        {stored?.available && stored.files + stored.results > 0 && (
          <button type="button" onClick={() => void controller.clearStorage()} data-testid="clear-storage">
            Clear stored files
          </button>
        )}
      </p>
    </section>
  );
}

function ImportReportView() {
  const report = useLab((s) => s.importReport)!;
  return (
    <div className="import-report" data-testid="import-report">
      {report.checkpoints.map((c) => (
        <p key={c.file} data-testid="import-checkpoint">
          ✓ <code>{c.file}</code>: {c.architecture}
          {Number.isFinite(c.step) ? `, step ${c.step}` : Number.isFinite(c.epoch) ? `, epoch ${c.epoch}` : ''}
          {c.placeholders.length > 0 ? `; ignored objects that are not weights: ${c.placeholders.join(', ')}` : ''}
          {c.unusedKeys.length > 0 ? `; ${c.unusedKeys.length} keys not used by the views (${c.unusedKeys.slice(0, 4).join(', ')}${c.unusedKeys.length > 4 ? ', …' : ''})` : ''}
        </p>
      ))}
      {report.logs.map((l) => (
        <p key={l.file} data-testid="import-log">
          ✓ <code>{l.file}</code>: {l.format} log with {l.series.join(', ')}
          {l.warnings.length > 0 ? ` (${l.warnings.join(' ')})` : ''}
        </p>
      ))}
      {report.dataset && (
        <div data-testid="import-dataset">
          <p>
            {report.dataset.items >= 8 ? '✓' : '✗'} Dataset: <strong>{report.dataset.summary}</strong>, {report.dataset.items} items {report.dataset.items >= 8 ? 'analysed' : 'usable (too few to analyse)'} at {report.dataset.imageSize}×{report.dataset.imageSize} px.
          </p>
          {report.dataset.warnings.map((w) => (
            <p key={w} className="caption">
              {w}
            </p>
          ))}
          {report.dataset.singles.length > 0 && <FileList title="Without a partner" rows={report.dataset.singles} />}
          {report.dataset.unreadable.length > 0 && <FileList title="Unreadable" rows={report.dataset.unreadable} />}
        </div>
      )}
      {report.errors.map((e) => (
        <p key={`${e.file}-${e.message}`} className="view-error" role="alert" data-testid="import-error" data-code={e.code}>
          ✗ <code>{e.file}</code>: {e.message.startsWith(`${e.file}: `) ? e.message.slice(e.file.length + 2) : e.message}
        </p>
      ))}
    </div>
  );
}

function FileList({ title, rows }: { title: string; rows: { path: string; reason: string }[] }) {
  return (
    <details>
      <summary>
        {title} ({rows.length})
      </summary>
      <ul>
        {rows.map((r) => (
          <li key={r.path}>
            <code>{r.path}</code>: {r.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

/** Starts a download of `blob` under `name`. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
