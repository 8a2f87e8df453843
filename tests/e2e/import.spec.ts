import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { expect, test } from '@playwright/test';

import { readSafetensors, readCheckpoint } from '../../src/io/checkpoint';
import { openLab, waitForAllViews } from './helpers/lab';

import type { Page } from '@playwright/test';

const FIXTURES = join(process.cwd(), 'tests/fixtures');
const PAIRS = join(FIXTURES, 'dataset/pairs');

async function dropFiles(page: Page, paths: string[]): Promise<void> {
  await page.getByTestId('file-input').setInputFiles(paths);
  await expect(page.getByTestId('import-report')).toBeVisible();
}

async function checkpointCount(page: Page): Promise<string> {
  return (await page.getByTestId('checkpoint-label').textContent()) ?? '';
}

test('a two-sensor dataset pairs id.jpg with id_rgn.jpg, lists what it could not use, and drives the views', async ({ page }) => {
  await openLab(page, { backend: 'wasm', n: 16 });
  await waitForAllViews(page);
  await dropFiles(page, readdirSync(PAIRS).map((f) => join(PAIRS, f)));

  const dataset = page.getByTestId('import-dataset');
  await expect(dataset).toContainText('10 pairs, 1 single');
  await expect(dataset).toContainText('10 items analysed at 64×64 px');
  await expect(page.getByTestId('run-data')).toContainText('pairs are the two sensors');
  await expect(page.getByTestId('pairs-panel')).toContainText('two sensors');
  // The demo encoder now sees the dropped pairs: 10 matching and 90 non-matching pairs.
  await expect(page.getByTestId('pairs-encoder')).toContainText('10 valid items');
  await expect(page.getByTestId('pairs-encoder')).toContainText('non-matching (90)');
  // notes.txt is neither a log nor an image: refused by name, nothing else lost.
  await expect(page.getByTestId('import-error')).toContainText('notes.txt');
  await expect(page.getByTestId('loss-readout')).toContainText('3510 logged steps');
});

test('a hostile pickle and a truncated checkpoint are refused with their reasons, and the run stays', async ({ page }) => {
  await openLab(page, { backend: 'wasm', n: 16 });
  await waitForAllViews(page);
  const before = await checkpointCount(page);
  await dropFiles(page, [join(FIXTURES, 'checkpoints/hostile_os_system.pth'), join(FIXTURES, 'checkpoints/truncated.pth')]);

  const errors = page.getByTestId('import-error');
  await expect(errors).toHaveCount(2);
  await expect(errors.nth(0)).toHaveAttribute('data-code', 'forbidden_global');
  await expect(errors.nth(0)).toContainText(/system/);
  await expect(errors.nth(1)).toHaveAttribute('data-code', 'corrupt_file');
  expect(await checkpointCount(page)).toBe(before);
  await expect(page.getByTestId('run-name')).toContainText('fmnist-swav');
});

test('a torchvision ResNet checkpoint is recognised, analysed on the demo images and exported as safetensors', async ({ page }) => {
  const file = join(FIXTURES, 'architectures/resnet18_w4_fc_half.pth');
  await openLab(page, { backend: 'wasm', n: 16 });
  await waitForAllViews(page);
  await dropFiles(page, [file]);
  await expect(page.getByTestId('import-checkpoint')).toContainText(/ResNet/i);
  await expect(page.getByTestId('checkpoint-label')).toContainText('1 / 1');
  await expect(page.getByTestId('pairs-encoder')).toContainText('ROC AUC');
  await expect(page.getByTestId('weight-spectra')).toContainText('no projection head');

  const download = page.waitForEvent('download');
  await page.getByTestId('export-checkpoint').click();
  const saved = await (await download).path();
  const exported = readSafetensors(new Uint8Array(readFileSync(saved))).tensors;
  const original = readCheckpoint(new Uint8Array(readFileSync(file)), file).tensors;
  expect([...exported.keys()].sort()).toEqual([...original.keys()].sort());
  for (const [key, tensor] of original) {
    expect(exported.get(key)!.shape, key).toEqual(tensor.shape);
    expect(Array.from(exported.get(key)!.values), key).toEqual(Array.from(tensor.values));
  }
});

test('a fastai CSV log shows train and valid loss, and dropped files come back after a reload until cleared', async ({ page }) => {
  await openLab(page, { backend: 'wasm', n: 16 });
  await waitForAllViews(page);
  const logs = readdirSync(join(FIXTURES, 'logs')).filter((f) => /fastai/i.test(f) && f.endsWith('.csv'));
  expect(logs.length).toBeGreaterThan(0);
  await dropFiles(page, [join(FIXTURES, 'logs', logs[0])]);
  await expect(page.getByTestId('import-log')).toContainText('fastai-csv');
  await expect(page.getByTestId('loss-readout')).toContainText('train_loss');
  await expect(page.getByTestId('loss-readout')).toContainText('valid_loss');
  await expect(page.getByTestId('storage-info')).toContainText('1 file');

  await page.reload();
  await expect(page.getByTestId('import-log')).toContainText('fastai-csv');
  await expect(page.getByTestId('loss-readout')).toContainText('valid_loss');
  await page.getByTestId('clear-storage').click();
  await expect(page.getByTestId('storage-info')).toContainText('0 files');
  await page.getByTestId('use-demo').click();
  await expect(page.getByTestId('loss-readout')).toContainText('3510 logged steps');
});

test('dropped pairs can be stacked as RGB+NIR, resized, and renormalised; a bad setting is refused and changes nothing', async ({ page }) => {
  await openLab(page, { backend: 'wasm', n: 16 });
  await waitForAllViews(page);
  await dropFiles(page, readdirSync(PAIRS).filter((f) => f.endsWith('.jpg') || f.endsWith('.csv')).map((f) => join(PAIRS, f)));
  await expect(page.getByTestId('pairs-encoder')).toContainText('10 valid items');

  await page.getByTestId('norm-std').fill('0');
  await page.getByTestId('norm-apply').click();
  await expect(page.getByTestId('preprocessing-error')).toContainText('standard deviation must be a positive number');
  await expect(page.getByTestId('run-data')).toContainText('pairs are the two sensors');

  await page.getByTestId('stack-sensors').click();
  await expect(page.getByTestId('stack-sensors')).toBeChecked();
  await expect(page.getByTestId('run-data')).toContainText('stacked as RGB+NIR');
  await expect(page.getByTestId('run-data')).toContainText('two augmented views');
  // The demo's 1-channel encoder now takes 4 channels: its stem filter is copied to each.
  await expect(page.getByTestId('norm-mean')).toHaveValue(/^[\d.]+, [\d.]+, [\d.]+, [\d.]+$/);
  await expect(page.getByTestId('pairs-encoder')).toContainText('10 valid items');

  await page.getByTestId('image-size').selectOption('32');
  await expect(page.getByTestId('image-size')).toHaveValue('32');
  await expect(page.getByTestId('import-dataset')).toContainText('at 32×32 px');
  await expect(page.getByTestId('pairs-encoder')).toContainText('ROC AUC');
  await expect(page.locator('.view-error')).toHaveCount(0);
});

test('a tfjs LayersModel (model.json with its weight file) is read as a checkpoint and drives the views', async ({ page }) => {
  await openLab(page, { backend: 'wasm', n: 16 });
  await waitForAllViews(page);
  await dropFiles(page, [join(FIXTURES, 'tfjs/model.json'), join(FIXTURES, 'tfjs/tiny_convnet.weights.bin')]);
  await expect(page.getByTestId('import-checkpoint')).toContainText('tfjs LayersModel "tiny_convnet"');
  await expect(page.getByTestId('import-error')).toHaveCount(0);
  await expect(page.getByTestId('checkpoint-label')).toContainText('1 / 1');
  await expect(page.getByTestId('pairs-encoder')).toContainText('16 valid items');
  const cka = page.getByTestId('stage-cka');
  await expect(cka).toBeVisible();
  expect(JSON.parse((await cka.getAttribute('data-values'))!)).toHaveLength(16);
});

const ARCHITECTURES = readdirSync(join(FIXTURES, 'architectures')).filter((f) => f.endsWith('.pth') && !f.startsWith('b01_'));

for (const file of ARCHITECTURES) {
  test(`the ${file} fixture (real PyTorch) is recognised and analysed when dropped`, async ({ page }) => {
    await openLab(page, { backend: 'wasm', n: 16 });
    await waitForAllViews(page);
    await dropFiles(page, [join(FIXTURES, 'architectures', file)]);
    await expect(page.getByTestId('import-error')).toHaveCount(0);
    await expect(page.getByTestId('import-checkpoint')).toContainText(/XResNet|ResNet/);
    await expect(page.getByTestId('pairs-encoder')).toContainText('16 valid items');
    await expect(page.getByTestId('stage-cka')).toBeVisible();
    await expect(page.locator('.view-error')).toHaveCount(0);
  });
}

test('three saves of one state dict (plain, module., _orig_mod.module.) form a timeline of three', async ({ page }) => {
  await openLab(page, { backend: 'wasm', n: 16 });
  await waitForAllViews(page);
  const files = readdirSync(join(FIXTURES, 'architectures')).filter((f) => f.startsWith('b01_'));
  await dropFiles(page, files.map((f) => join(FIXTURES, 'architectures', f)));
  await expect(page.getByTestId('import-checkpoint')).toHaveCount(3);
  await expect(page.getByTestId('checkpoint-label')).toContainText('1 / 3');
  const items = page.getByTestId('timeline-list').locator('li');
  await expect(items).toHaveCount(3);

  // Moved by hand, the order holds when another checkpoint is dropped: the new one goes last.
  const second = (await items.nth(1).locator('code').textContent())!;
  await items.nth(0).getByRole('button', { name: /later/ }).click();
  await expect(items.nth(0).locator('code')).toHaveText(second);
  await dropFiles(page, [join(FIXTURES, 'architectures/resnet18_w4_fc_half.pth')]);
  await expect(items).toHaveCount(4);
  await expect(items.nth(0).locator('code')).toHaveText(second);
  await expect(items.nth(3).locator('code')).toHaveText(/resnet18_w4_fc_half\.pth$/);
});

test('a safetensors file of no known architecture and one whose header lies are refused by reason', async ({ page }) => {
  await openLab(page, { backend: 'wasm', n: 16 });
  await waitForAllViews(page);
  await dropFiles(page, [join(FIXTURES, 'checkpoints/valid.safetensors'), join(FIXTURES, 'checkpoints/lying_header.safetensors')]);
  const errors = page.getByTestId('import-error');
  await expect(errors).toHaveCount(2);
  await expect(errors.nth(0)).toHaveAttribute('data-code', 'unknown_architecture');
  await expect(errors.nth(1)).toHaveAttribute('data-code', 'corrupt_file');
  await expect(page.getByTestId('run-name')).toContainText('fmnist-swav');
});

test('computed results are kept across a reload and reused instead of recomputed', async ({ page }) => {
  await openLab(page, { backend: 'wasm', n: 16, seed: 11 });
  await waitForAllViews(page);
  const timing = page.getByTestId('analysis-timing');
  const first = await timing.getAttribute('data-embed-ms');
  await expect(page.getByTestId('storage-info')).toContainText('results of 1 checkpoint analysis');

  await page.reload();
  await waitForAllViews(page);
  // The stored result carries the timings of the run that computed it.
  expect(await page.getByTestId('analysis-timing').getAttribute('data-embed-ms')).toBe(first);
  await page.getByTestId('clear-storage').click();
  await expect(page.getByTestId('storage-info')).toContainText('results of 0 checkpoint analyses');
});

const FORMAT_FIXTURES = Object.keys(JSON.parse(readFileSync(join(FIXTURES, 'checkpoints/expected.json'), 'utf8')) as Record<string, unknown>);

test('every checkpoint format fixture is read in the page: its tensors parse, and the lab says no encoder is among them', async ({ page }) => {
  // These files hold tensors of every dtype, layout and container (zip, legacy, protocol 4,
  // DEFLATE, BytesIO, fastai {model, opt}, prefixes, shared storages) but no encoder, so a read
  // that worked ends at the architecture check, never at a format or corruption error.
  await openLab(page, { backend: 'wasm', n: 16 });
  await waitForAllViews(page);
  await dropFiles(page, FORMAT_FIXTURES.map((f) => join(FIXTURES, 'checkpoints', f)));
  const errors = page.getByTestId('import-error');
  await expect(errors).toHaveCount(FORMAT_FIXTURES.length);
  for (let i = 0; i < FORMAT_FIXTURES.length; i++) await expect(errors.nth(i)).toHaveAttribute('data-code', 'unknown_architecture');
  await expect(page.getByTestId('run-name')).toContainText('fmnist-swav');
});

test('JPEG (baseline, progressive, gray, CMYK, EXIF-rotated), PNG (gray, 16-bit, palette, RGBA), WebP, GIF and BMP all decode in the worker', async ({ page }) => {
  const dir = join(FIXTURES, 'dataset/images');
  const files = readdirSync(dir);
  await openLab(page, { backend: 'wasm', n: 16 });
  await waitForAllViews(page);
  await dropFiles(page, files.map((f) => join(dir, f)));
  const dataset = page.getByTestId('import-dataset');
  await expect(dataset).toContainText(`${files.length} items analysed at 64×64 px`);
  // CMYK and YCCK files are kept but flagged by name, since decoders convert them differently.
  await expect(dataset).toContainText('cmyk_adobe.jpg');
  await expect(page.getByTestId('run-data')).toContainText('two augmented views');
  await expect(page.getByTestId('pairs-encoder')).toContainText(`${Math.min(16, files.length)} valid items`);
});

test('dropping the same dataset twice and reloading brings back what was on screen, and a lone unreadable image keeps the pairs', async ({ page }, testInfo) => {
  const pairs = readdirSync(PAIRS).filter((f) => f.endsWith('.jpg') || f.endsWith('.csv')).map((f) => join(PAIRS, f));
  await openLab(page, { backend: 'wasm', n: 16 });
  await waitForAllViews(page);
  await dropFiles(page, pairs);
  await dropFiles(page, pairs);
  await expect(page.getByTestId('pairs-encoder')).toContainText('10 valid items');

  await page.reload();
  await expect(page.getByTestId('import-dataset')).toContainText('10 pairs');
  await expect(page.getByTestId('import-error')).toHaveCount(0);
  await expect(page.getByTestId('pairs-encoder')).toContainText('10 valid items');

  const fake = testInfo.outputPath('notreally.jpg');
  writeFileSync(fake, 'this is text, not a JPEG\n');
  await dropFiles(page, [fake]);
  await expect(page.getByTestId('import-error')).toContainText('need at least 8');
  await expect(page.getByTestId('import-dataset')).toContainText('1 unreadable');
  await expect(page.getByTestId('run-data')).toContainText('10 pairs');
  await expect(page.getByTestId('pairs-encoder')).toContainText('10 valid items');

  await page.getByTestId('use-demo').click();
  await page.reload();
  await expect(page.getByTestId('run-name')).toContainText('fmnist-swav');
  await expect(page.getByTestId('run-data')).toContainText('Fashion-MNIST');
});
