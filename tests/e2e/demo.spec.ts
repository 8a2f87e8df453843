import { expect, test } from '@playwright/test';

import { expectNoBrokenViews, openLab, shownBackend, shownMatrix, shownNumber, waitForAllViews } from './helpers/lab';
import { demoLogRowCount, naiveBiasedCka, naivePairStats, naiveUnbiasedCka, nodeFeatures } from './helpers/nodeReference';

// SwiftShader runs WebGPU on the CPU at about 0.4 GFLOP/s, so the sample stays tiny.
const N = 24;
const SEED = 3;

test('the demo opens on WebGPU with all five views drawn and numbers that match Node', async ({ page }) => {
  await openLab(page, { backend: 'webgpu', n: N, seed: SEED });
  await waitForAllViews(page);
  expect(await shownBackend(page)).toBe('webgpu');
  await expectNoBrokenViews(page);

  // Loss curve: every logged step of the CSV, and the ln K reference line.
  await expect(page.getByTestId('loss-readout')).toContainText(`${demoLogRowCount()} logged steps`);
  await expect(page.getByTestId('loss-panel').locator('svg')).toContainText('ln K');

  // Pairs: AUC and top-1 recomputed by brute force from embeddings made on tfjs-cpu in Node.
  const { a, b } = await nodeFeatures(0, N, SEED);
  for (const layer of ['encoder', 'projection'] as const) {
    const ra = a.reps.find((r) => r.name === layer)!;
    const rb = b.reps.find((r) => r.name === layer)!;
    const expected = naivePairStats(ra.values, rb.values, N, ra.d);
    expect(await shownNumber(page, `auc-${layer}`)).toBeCloseTo(expected.auc, 3);
    expect(await shownNumber(page, `top1-${layer}`)).toBeCloseTo(expected.top1 * 100, 0);
  }

  // Stage CKA (unbiased, the default): each cell against the estimator written out directly.
  const cka = await shownMatrix(page, 'stage-cka');
  const s = a.reps.length;
  expect(cka).toHaveLength(s * s);
  for (let i = 0; i < s; i++) {
    expect(cka[i * s + i]).toBeCloseTo(1, 5);
    for (let j = i + 1; j < s; j++) {
      const expected = naiveUnbiasedCka(a.reps[i].values, a.reps[i].d, a.reps[j].values, a.reps[j].d, N);
      expect(cka[i * s + j]).not.toBeNull();
      expect(cka[i * s + j]!).toBeCloseTo(expected, 3);
    }
  }

  // Spectra: an effective rank is shown for every spectrum.
  await expect(page.getByTestId('spectra-panel')).toContainText('effective rank');
  await page.screenshot({ path: 'test-results/demo-webgpu.png', fullPage: true });
});

test('the biased CKA estimator is selectable and matches its textbook formula', async ({ page }) => {
  await openLab(page, { backend: 'wasm', n: N, seed: SEED, cka: 'biased' });
  await waitForAllViews(page);
  const { a } = await nodeFeatures(0, N, SEED);
  const cka = await shownMatrix(page, 'stage-cka');
  const s = a.reps.length;
  for (let i = 0; i < s; i++) {
    for (let j = i + 1; j < s; j++) {
      expect(cka[i * s + j]!).toBeCloseTo(naiveBiasedCka(a.reps[i].values, a.reps[i].d, a.reps[j].values, a.reps[j].d, N), 3);
    }
  }
  await expect(page.getByTestId('cka-estimator')).toHaveValue('biased');
});

test('the scrubber moves every view to another checkpoint, by slider and arrow keys', async ({ page }) => {
  await openLab(page, { backend: 'wasm', n: 16 });
  await waitForAllViews(page);
  await expect(page.getByTestId('checkpoint-label')).toContainText('1 /');
  const aucFirst = await shownNumber(page, 'auc-projection');

  const marker = page.getByTestId('loss-panel').locator('line.lab-current-marker');
  const markerX = async () => Number(await marker.getAttribute('x1'));
  const xFirst = await markerX();

  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('checkpoint-label')).toContainText('2 /');
  // The current-checkpoint marker on the loss curve follows the scrubber.
  await expect.poll(markerX).toBeGreaterThan(xFirst);
  const step = Number(await page.getByTestId('checkpoint-step').textContent());
  await expect(page.getByTestId('pairs-projection')).toBeVisible();
  await expect.poll(async () => shownNumber(page, 'auc-projection')).not.toBe(aucFirst);

  const { a, b } = await nodeFeatures(1, 16, 0);
  const ra = a.reps.find((r) => r.name === 'projection')!;
  const rb = b.reps.find((r) => r.name === 'projection')!;
  expect(await shownNumber(page, 'auc-projection')).toBeCloseTo(naivePairStats(ra.values, rb.values, 16, ra.d).auc, 3);
  expect(step).toBeGreaterThan(0);

  // Back with the left arrow: the first checkpoint's results come from the cache.
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('checkpoint-label')).toContainText('1 /');
  await expect.poll(async () => shownNumber(page, 'auc-projection')).toBe(aucFirst);
});
