import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

import { LabError } from '../src/io/errors';

import type {
  AdapterSummary,
  BackendCandidate,
  BackendJob,
  BackendName,
  BackendReport,
  BackendRequest,
} from './engineApi';

/** Renderer strings of software WebGL implementations: correct, but slower than WASM. */
const SOFTWARE_GL_RENDERERS = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/** A backend that has not initialised by then is treated as unavailable, so start-up never hangs. */
const BACKEND_INIT_TIMEOUT_MS = 30_000;

/** The wasm backend's threads; more than the cores only adds contention. */
const MAX_WASM_THREADS = 8;

/** Orders to try, per job. WASM has no Conv2DBackpropFilter (tfjs 4.22), so it cannot train. */
const HARDWARE_FIRST: Record<BackendJob, BackendName[]> = {
  inference: ['webgpu', 'webgl', 'wasm', 'cpu'],
  training: ['webgpu', 'webgl', 'cpu'],
};

/**
 * Picks the fastest backend that works for `job` and makes it current. A software WebGPU or
 * WebGL adapter (SwiftShader) is skipped in favour of WASM for inference, since emulating the
 * GPU on the CPU is far slower than WASM's SIMD kernels; a forced request is honoured as is.
 */
export async function selectBackend(request: BackendRequest, job: BackendJob): Promise<BackendReport> {
  const candidates: BackendCandidate[] = [];
  const adapter = await probeWebGpuAdapter();

  if (request !== 'auto') {
    const ok = await tryBackend(request);
    if (!ok.available) {
      throw new LabError('backend_unavailable', `The ${request} backend was requested but could not start: ${ok.note} Remove the backend parameter from the address to let the lab choose.`);
    }
    candidates.push({ ...ok, note: 'forced by the backend URL parameter' });
    let onAdapter = request === 'webgpu' && adapter ? ` on adapter ${describeAdapter(adapter)}${adapter.isFallback ? ' (a software fallback: expect minutes for a full sample)' : ''}` : '';
    if (request === 'webgl') {
      const renderer = probeWebGlRenderer();
      if (renderer) onAdapter = ` on renderer ${renderer}${SOFTWARE_GL_RENDERERS.test(renderer) ? ' (software: slower than WASM)' : ''}`;
    }
    return finish(request, request, `forced by the URL parameter backend=${request}${onAdapter}`, adapter, candidates);
  }

  let softwareFallbackReason = '';
  for (const name of HARDWARE_FIRST[job]) {
    if (name === 'webgpu') {
      if (!adapter) {
        candidates.push({ name, available: false, note: 'no WebGPU adapter in this browser' });
        continue;
      }
      if (adapter.isFallback) {
        candidates.push({ name, available: true, note: `adapter ${describeAdapter(adapter)} is a software fallback, far slower than WASM` });
        softwareFallbackReason = `the only WebGPU adapter (${describeAdapter(adapter)}) is a software fallback`;
        continue;
      }
    }
    if (name === 'webgl') {
      const renderer = probeWebGlRenderer();
      if (renderer === null) {
        candidates.push({ name, available: false, note: 'no WebGL 2 context in this worker' });
        continue;
      }
      if (SOFTWARE_GL_RENDERERS.test(renderer)) {
        candidates.push({ name, available: true, note: `renderer ${renderer} is software` });
        softwareFallbackReason ||= `WebGL runs on a software renderer (${renderer})`;
        continue;
      }
    }
    const attempt = await tryBackend(name);
    candidates.push(attempt);
    if (!attempt.available) continue;
    const reason = reasonFor(name, job, adapter, softwareFallbackReason);
    return finish(name, request, reason, adapter, candidates);
  }
  throw new LabError('backend_unavailable', 'No tfjs backend could start in this browser. Try a current Chrome, Edge or Firefox.');
}

/** The adapter WebGPU would hand tfjs, or null; never throws. */
async function probeWebGpuAdapter(): Promise<AdapterSummary | null> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return null;
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return null;
    const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
    const legacy = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
    return {
      vendor: info?.vendor ?? '',
      architecture: info?.architecture ?? '',
      description: info?.description ?? '',
      isFallback: Boolean(info?.isFallbackAdapter ?? legacy) || /swiftshader/i.test(info?.architecture ?? ''),
    };
  } catch {
    return null;
  }
}

/** The unmasked WebGL 2 renderer string of an OffscreenCanvas context, or null without one. */
function probeWebGlRenderer(): string | null {
  if (typeof OffscreenCanvas === 'undefined') return null;
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return String(renderer);
  } catch {
    return null;
  }
}

async function tryBackend(name: BackendName): Promise<BackendCandidate> {
  try {
    if (name === 'wasm') configureWasm();
    const ok = await withTimeout(tf.setBackend(name), BACKEND_INIT_TIMEOUT_MS);
    if (ok === 'timeout') return { name, available: false, note: `did not initialise within ${BACKEND_INIT_TIMEOUT_MS / 1000} s` };
    if (!ok) return { name, available: false, note: 'tfjs could not initialise it' };
    await tf.ready();
    // A tiny op proves the backend computes, not only that it registered.
    const probe = tf.tidy(() => tf.add(tf.scalar(1, 'float32'), tf.scalar(2, 'float32')));
    const value = (await probe.data())[0];
    probe.dispose();
    if (value !== 3) return { name, available: false, note: `a test op gave ${value} instead of 3` };
    return { name, available: true, note: 'initialised' };
  } catch (error) {
    return { name, available: false, note: error instanceof Error ? error.message : String(error) };
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function configureWasm(): void {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlainUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
  });
  const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
  setThreadsCount(Math.max(1, Math.min(MAX_WASM_THREADS, cores)));
}

function reasonFor(name: BackendName, job: BackendJob, adapter: AdapterSummary | null, softwareFallback: string): string {
  switch (name) {
    case 'webgpu':
      return `on a hardware adapter (${describeAdapter(adapter)})`;
    case 'webgl':
      return adapter ? 'on a hardware GPU; WebGPU did not start' : 'on a hardware GPU; this browser has no WebGPU';
    case 'wasm':
      return softwareFallback
        ? `on the CPU, because ${softwareFallback}`
        : 'on the CPU: no hardware GPU backend started';
    case 'cpu':
      return job === 'training'
        ? `plain CPU: WASM cannot train convolutions (no Conv2DBackpropFilter)${softwareFallback ? ` and ${softwareFallback}` : ''}`
        : 'plain CPU: no faster backend started';
    default: {
      const unreachable: never = name;
      throw new Error(`unsupported backend ${String(unreachable)}`);
    }
  }
}

function describeAdapter(adapter: AdapterSummary | null): string {
  if (!adapter) return 'none';
  const parts = [adapter.vendor, adapter.architecture, adapter.description].filter((s) => s.length > 0);
  return parts.length > 0 ? parts.join(' ') : 'unnamed adapter';
}

async function finish(
  name: BackendName,
  requested: BackendRequest,
  reason: string,
  adapter: AdapterSummary | null,
  candidates: BackendCandidate[],
): Promise<BackendReport> {
  let wasm: BackendReport['wasm'] = null;
  if (name === 'wasm') {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threadsOk = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
    wasm = { threads: threadsOk ? Math.max(1, Math.min(MAX_WASM_THREADS, cores)) : 1, simd: Boolean(simd) };
  }
  return { name, requested, reason, adapter, wasm, candidates };
}
