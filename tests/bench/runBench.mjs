// The lab's benchmark, one browser run: throughput of the engine against a plain tfjs
// LayersModel.predict of the same network on each backend that starts here, the longest
// main-thread task while the demo's embeddings are computed, and the time from opening the page
// to all five views drawn. Ratios are measured side by side in one run, since these machines are
// shared and noisy; absolute numbers are for this machine only.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

import { chromium } from 'playwright-core';

const PORT = 4174;
const BASE = `http://127.0.0.1:${PORT}/`;
// Images timed per backend: SwiftShader WebGPU and the plain CPU backend are slow here.
const IMAGES = { webgpu: 64, webgl: 128, wasm: 512, cpu: 64 };
const BATCH = 64;

// Its own process group, so the whole server goes when the benchmark ends; --bypass-lock lets it
// run beside a preview the developer already has open.
const server = spawn('node_modules/.bin/vite', ['preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort', '--bypass-lock'], { stdio: 'ignore', detached: true });
const browser = await chromium.launch({
  executablePath: process.env.LAB_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

try {
  await waitForServer();
  const rows = [];
  for (const backend of Object.keys(IMAGES)) {
    const page = await browser.newPage();
    try {
      await page.goto(`${BASE}?backend=${backend}&n=8&bench=1`);
      await page.waitForFunction(() => document.querySelector('[data-testid="run-name"]') || document.querySelector('[data-testid="engine-error"]'), null, { timeout: 180_000 });
      if (await page.$('[data-testid="engine-error"]')) {
        rows.push({ backend, note: (await page.textContent('[data-testid="engine-error"]'))?.trim() });
        continue;
      }
      const report = await page.evaluate(([n, b]) => window.__labBench.measureThroughput(n, b), [IMAGES[backend], BATCH]);
      rows.push({ backend, ...report });
    } catch (error) {
      rows.push({ backend, note: String(error).split('\n')[0] });
    } finally {
      await page.close();
    }
  }

  // The default experience: auto backend, default sample, first checkpoint.
  const page = await browser.newPage();
  const opened = Date.now();
  await page.goto(BASE);
  await page.waitForFunction(() => window.__lab?.allViewsMs != null, null, { timeout: 600_000, polling: 100 });
  const wall = Date.now() - opened;
  const lab = await page.evaluate(() => ({ ...window.__lab, backend: document.querySelector('[data-testid="backend-badge"]')?.getAttribute('data-backend'), n: document.querySelector('[data-testid="stage-cka"] figcaption')?.textContent }));
  await page.close();

  console.log('\nThroughput (images/s), engine vs plain tfjs LayersModel.predict, same backend, same run:');
  console.log('backend  images  engine img/s  predict img/s  engine/predict  max |diff|');
  for (const r of rows) {
    if (r.note) console.log(`${r.backend.padEnd(8)} not available: ${r.note}`);
    else console.log(`${r.backend.padEnd(8)} ${String(r.images).padStart(6)}  ${r.engineImagesPerSecond.toFixed(1).padStart(12)}  ${r.baselineImagesPerSecond.toFixed(1).padStart(13)}  ${(r.engineImagesPerSecond / r.baselineImagesPerSecond).toFixed(2).padStart(14)}  ${r.maxAbsDiff.toExponential(1)}`);
  }
  console.log(`\nDefault page (backend ${lab.backend}, ${lab.n}):`);
  console.log(`  open to all five views drawn: ${(lab.allViewsMs / 1000).toFixed(2)} s (performance.now at the last view; ${(wall / 1000).toFixed(2)} s wall from goto)`);
  console.log(`  longest main-thread task: ${lab.longestTaskMs.toFixed(0)} ms (${lab.longTasks} tasks over 50 ms)`);
} finally {
  await browser.close();
  process.kill(-server.pid, 'SIGTERM');
}

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(BASE);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await sleep(200);
  }
  throw new Error(`vite preview did not start on ${BASE}`);
}
