import { useLab } from '../../store/labStore';

/** Shows which tfjs backend the engine runs on and why, with the WebGPU adapter it found. */
export function BackendBadge() {
  const backend = useLab((s) => s.backend);
  const status = useLab((s) => s.engineStatus);
  if (!backend) return <span className="backend-badge" data-testid="backend-badge">{status === 'error' ? 'engine failed' : 'starting engine…'}</span>;
  const adapter = backend.adapter;
  const title = backend.candidates.map((c) => `${c.name}: ${c.available ? 'available' : 'unavailable'} (${c.note})`).join('\n');
  return (
    <span className="backend-badge" data-testid="backend-badge" data-backend={backend.name} title={title}>
      <strong>{backend.name.toUpperCase()}</strong>
      <span className="backend-reason"> {backend.reason}</span>
      {backend.wasm && <span className="backend-detail"> · {backend.wasm.threads} thread{backend.wasm.threads === 1 ? '' : 's'}{backend.wasm.simd ? ', SIMD' : ''}</span>}
      {adapter && backend.name !== 'webgpu' && (
        <span className="backend-detail"> · WebGPU adapter: {[adapter.vendor, adapter.architecture].filter(Boolean).join(' ') || 'unnamed'}{adapter.isFallback ? ' (software)' : ''}</span>
      )}
    </span>
  );
}
