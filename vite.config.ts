import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation lets the WASM backend use threads (SharedArrayBuffer); every asset
// is served from this origin, so COEP require-corp costs nothing.
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  // The engine worker is not minified: tfjs-backend-wasm starts its threads by serialising its
  // module factory with Function.prototype.toString, and a minifier renames the free variables
  // that source refers to ("e is not defined" in every pthread worker; WASM never starts).
  worker: { format: 'es', rolldownOptions: { output: { minify: false } } },
  build: { target: 'es2022', chunkSizeWarningLimit: 8192 },
});
