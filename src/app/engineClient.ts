import * as Comlink from 'comlink';

import { installErrorTransfer } from '../../workers/protocol/errors';

import type { EngineApi } from '../../workers/engineApi';

/** The UI's one handle on the engine worker. */
export interface EngineClient {
  /** The engine, typed end to end. */
  api: Comlink.Remote<EngineApi>;
  /** Releases the proxy and stops the worker. */
  terminate(): void;
}

/** Starts the engine worker (a module worker bundled by Vite) and wraps it with comlink. */
export function createEngineClient(): EngineClient {
  installErrorTransfer();
  const worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'lab-engine' });
  const api = Comlink.wrap<EngineApi>(worker);
  return {
    api,
    terminate() {
      api[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
