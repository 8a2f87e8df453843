import { readFileSync } from 'node:fs';

import { expect, test } from '@playwright/test';

import { openLab, shownMatrix, waitForAllViews } from './helpers/lab';

import type { Page } from '@playwright/test';

async function download(page: Page, container: string, button: string): Promise<Buffer> {
  const pending = page.waitForEvent('download');
  await page.getByTestId(container).getByRole('button', { name: button, exact: true }).click();
  return readFileSync((await (await pending).path())!);
}

test('charts export as SVG and PNG, and matrices as CSV with the values the page shows', async ({ page }) => {
  await openLab(page, { backend: 'wasm', n: 16 });
  await waitForAllViews(page);

  const svg = (await download(page, 'export-stage-cka-cka-unbiased', 'SVG')).toString('utf8');
  expect(svg).toMatch(/^(<\?xml[^>]*>\s*)?<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg).not.toContain('var(--');

  const png = await download(page, 'export-loss-curve', 'PNG');
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  const csv = (await download(page, 'export-stage-cka-cka-unbiased', 'CSV')).toString('utf8').trim().split('\r\n');
  const shown = await shownMatrix(page, 'stage-cka');
  const labels = csv[0].split(',').slice(1);
  expect(labels).toEqual(['stem', 'stage1', 'stage2', 'stage3', 'stage4', 'encoder', 'projection']);
  const s = labels.length;
  for (let i = 0; i < s; i++) {
    const cells = csv[i + 1].split(',');
    expect(cells[0]).toBe(labels[i]);
    for (let j = 0; j < s; j++) expect(Number(cells[j + 1])).toBeCloseTo(shown[i * s + j]!, 5);
  }

  const lossCsv = (await download(page, 'export-loss-curve', 'CSV')).toString('utf8').trim().split('\r\n');
  expect(lossCsv[0]).toBe('series,step,value,ema_0.9');
  expect(lossCsv).toHaveLength(3511);
});
