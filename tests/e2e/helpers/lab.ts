import { expect } from '@playwright/test';

import type { Page } from '@playwright/test';

/** What a test opens the lab with: the backend to force and the analysis sample size. */
export interface OpenOptions {
  /** `backend` URL parameter; omitted means auto. */
  backend?: 'webgpu' | 'webgl' | 'wasm' | 'cpu';
  /** Images per analysis (tiny on SwiftShader). */
  n?: number;
  /** Sample and augmentation seed. */
  seed?: number;
  /** CKA estimator. */
  cka?: 'unbiased' | 'biased';
}

/** Opens the lab and fails the test on any page error. */
export async function openLab(page: Page, options: OpenOptions = {}): Promise<void> {
  const params = new URLSearchParams();
  if (options.backend) params.set('backend', options.backend);
  if (options.n !== undefined) params.set('n', String(options.n));
  if (options.seed !== undefined) params.set('seed', String(options.seed));
  if (options.cka) params.set('cka', options.cka);
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(`/?${params}`);
}

/** Waits until all five views have drawn real data for the first checkpoint. */
export async function waitForAllViews(page: Page, timeout = 200_000): Promise<number> {
  await page.waitForFunction(() => window.__lab?.allViewsMs != null, null, { timeout, polling: 250 });
  return page.evaluate(() => window.__lab!.allViewsMs!);
}

/** The backend the badge names. */
export async function shownBackend(page: Page): Promise<string | null> {
  const badge = page.getByTestId('backend-badge');
  await expect(badge).toHaveAttribute('data-backend', /.+/);
  return badge.getAttribute('data-backend');
}

/** A number the page shows in the element with `testId`. */
export async function shownNumber(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(testId).textContent()) ?? '';
  const value = Number.parseFloat(text.replace('%', ''));
  expect(Number.isFinite(value), `${testId} shows "${text}"`).toBe(true);
  return value;
}

/** The values of a similarity matrix view, as the page drew them (null = undefined cell). */
export async function shownMatrix(page: Page, testId: string): Promise<(number | null)[]> {
  const raw = await page.getByTestId(testId).getAttribute('data-values');
  return JSON.parse(raw ?? '[]') as (number | null)[];
}

/** Asserts that no view shows NaN text or an error. */
export async function expectNoBrokenViews(page: Page): Promise<void> {
  const text = await page.locator('main.views').innerText();
  expect(text).not.toMatch(/\bNaN\b/);
  await expect(page.locator('.view-error')).toHaveCount(0);
}
