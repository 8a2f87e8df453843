import { expect, test } from '@playwright/test';

import { openLab, shownBackend, waitForAllViews } from './helpers/lab';

test('auto picks WASM over a software WebGPU adapter and says why, WebGPU over a hardware one', async ({ page }) => {
  await openLab(page, { n: 16 });
  await waitForAllViews(page);
  const badge = page.getByTestId('backend-badge');
  const adapterIsSoftware = await page.evaluate(async () => {
    const adapter = await navigator.gpu?.requestAdapter();
    return !adapter || (adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter === true || /swiftshader/i.test(adapter.info.architecture);
  });
  // On a machine with a hardware adapter, auto rightly picks WebGPU instead.
  if (adapterIsSoftware) {
    expect(await shownBackend(page)).toBe('wasm');
    await expect(badge).toContainText(/software fallback/);
  } else {
    expect(await shownBackend(page)).toBe('webgpu');
  }
});

for (const backend of ['webgpu', 'webgl', 'wasm', 'cpu'] as const) {
  test(`the ${backend} backend reproduces PyTorch's outputs for every checkpoint and every reference output`, async ({ page }) => {
    await openLab(page, { backend, n: 8 });
    await expect(page.getByTestId('run-name')).toBeVisible({ timeout: 120_000 });
    expect(await shownBackend(page)).toBe(backend);
    const slider = page.getByTestId('checkpoint-slider');
    const last = Number(await slider.getAttribute('max'));
    for (let index = 0; index <= last; index++) {
      await slider.fill(String(index));
      await expect(page.getByTestId('checkpoint-label')).toContainText(`${index + 1} /`);
      await page.getByTestId('parity-run').click();
      const table = page.getByTestId('parity-table');
      await expect(table).toHaveAttribute('data-checkpoint', String(index));
      await expect(table).toHaveAttribute('data-pass', 'true');
      for (const output of ['stem', 'stage1', 'stage2', 'stage3', 'stage4', 'pooled', 'projector', 'embedding', 'scores']) {
        const scaled = Number(await page.getByTestId(`parity-${output}`).textContent());
        expect(scaled, `${output} at checkpoint ${index}`).toBeLessThanOrEqual(1e-4);
      }
    }
  });
}
