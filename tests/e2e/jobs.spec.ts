import { expect, test } from '@playwright/test';

import { openLab, shownMatrix, waitForAllViews } from './helpers/lab';

test('a long analysis shows a count and the time left, and Cancel stops it without restarting', async ({ page }) => {
  // 2,000 images through the plain CPU backend take minutes: long enough to cancel.
  await openLab(page, { backend: 'cpu', n: 2000 });
  const progress = page.getByTestId('progress');
  await expect(progress).toContainText(/embedding view A \(\d+ \/ 2000 images\) · \d+%/);
  await expect(progress).toContainText(/left/);
  await progress.getByRole('button', { name: 'Cancel' }).click();

  await expect(page.getByTestId('analysis-cancelled').first()).toBeVisible();
  await expect(progress.locator('progress')).toHaveCount(0);
  // The rest of the lab is untouched: the run and its loss curve are still there.
  await expect(page.getByTestId('loss-readout')).toContainText('logged steps');

  await page.getByTestId('analysis-retry').first().click();
  await expect(progress).toContainText(/embedding view A · \d+%/);
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('analysis-cancelled').first()).toBeVisible();
});

test('one stage compared across every checkpoint gives a CKA matrix with a unit diagonal', async ({ page }) => {
  await openLab(page, { backend: 'wasm', n: 16 });
  await waitForAllViews(page);
  await page.getByTestId('cross-stage').selectOption({ label: 'encoder' });
  await page.getByTestId('cross-compute').click();
  await expect(page.getByTestId('cross-cka')).toBeVisible();
  const cka = await shownMatrix(page, 'cross-cka');
  const count = Math.round(Math.sqrt(cka.length));
  expect(count).toBe(10);
  for (let i = 0; i < count; i++) expect(cka[i * count + i]).toBeCloseTo(1, 5);
  // Neighbouring late checkpoints are more alike than the first and the last.
  expect(cka[(count - 2) * count + (count - 1)]!).toBeGreaterThan(cka[count - 1]!);
  await expect(page.getByTestId('cross-rsa')).toBeVisible();
});

test('Cancel is heard during the similarity analysis too, not only while embedding', async ({ page }) => {
  // On WASM 2,000 images embed in about a second; the CKA and RSA work after it takes longer.
  await openLab(page, { backend: 'wasm', n: 2000 });
  const progress = page.getByTestId('progress');
  await expect(progress).toContainText(/CKA between stages|RSA between stages|comparing encoder pairs|comparing projection pairs/, { timeout: 60_000 });
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('analysis-cancelled').first()).toBeVisible({ timeout: 15_000 });
  await expect(progress.locator('progress')).toHaveCount(0);
});
