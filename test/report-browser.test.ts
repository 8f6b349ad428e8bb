/**
 * Opens the HTML report in headless Chromium (test/fixtures/chromium.ts, driven by
 * playwright-core) and checks that it renders offline: every chart drew, the feature grid and the
 * reconstruction strip are images of the right size, nothing was fetched from the network,
 * the console has no errors, and a screenshot can be saved.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { writeReport } from '../src/diagnostics/report/index.js';
import { launchChromium } from './fixtures/chromium.js';
import { syntheticReportInput } from './fixtures/report-input.js';

let browser: Browser;
let page: Page;
const requests: string[] = [];
const consoleErrors: string[] = [];
const dialogs: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'sinew-report-'));
const input = syntheticReportInput();

before(async () => {
  browser = await launchChromium('the report browser test');
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const path = writeReport(dir, input);
  await page.goto(`file://${path}`, { waitUntil: 'load' });
  await page.waitForFunction(() => document.documentElement.hasAttribute('data-charts'), null, {
    timeout: 10_000,
  });
});

after(async () => {
  await browser?.close();
});

/** Per canvas: its size and how many pixels are not fully transparent. */
function canvasInk(page: Page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('canvas')).map((canvas) => {
      const { width, height } = canvas;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
      let inked = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) inked++;
      return {
        chart: canvas.dataset.chart ?? '',
        part: canvas.dataset.part ?? '',
        width,
        height,
        inked,
        url: canvas.toDataURL(),
      };
    }),
  );
}

test('report: every chart drew on a non-empty canvas', async () => {
  // Per variant: loss + metrics + encoder (3 histograms) + decoder (no pre-activation: 2).
  const expected = input.variants.length * (1 + 1 + 3 + 2);
  const drawn = await page.evaluate(() => document.documentElement.getAttribute('data-charts'));
  assert.equal(drawn, String(expected), 'charts reported by the page script');
  const canvases = await canvasInk(page);
  assert.equal(canvases.length, expected);
  for (const c of canvases) {
    const name = `${c.chart} ${c.part}`;
    assert.ok(c.width > 0 && c.height > 0, `${name}: canvas has size ${c.width}×${c.height}`);
    // Axes, ticks and bars: far more than a few stray pixels.
    assert.ok(c.inked > 0.01 * c.width * c.height, `${name}: only ${c.inked} pixels drawn`);
  }
  const kinds = canvases.map((c) => `${c.chart}:${c.part}`);
  assert.equal(kinds.filter((k) => k === 'loss:').length, 2);
  assert.equal(kinds.filter((k) => k === 'histogram:preActivation').length, 2);
  assert.equal(kinds.filter((k) => k === 'histogram:weights').length, 4);
});

test('report: the epoch slider redraws the histograms of its layer', async () => {
  const before = await canvasInk(page);
  const slider = page.locator('input[data-epoch-slider][data-variant="0"][data-layer="0"]');
  await slider.fill('0');
  const label = page.locator('output[data-epoch-label][data-variant="0"][data-layer="0"]');
  assert.equal(await label.textContent(), '1');
  const afterMove = await canvasInk(page);
  // The three histograms of variant 0, layer 0 come right after its loss and metrics charts.
  for (const i of [2, 3, 4]) {
    assert.notEqual(afterMove[i]!.url, before[i]!.url, `histogram ${i} did not change`);
  }
  // Another layer's charts are untouched.
  assert.equal(afterMove[5]!.url, before[5]!.url);
});

test('report: the log-scale toggle redraws every histogram', async () => {
  const before = await canvasInk(page);
  await page.locator('#log-counts').check();
  const afterToggle = await canvasInk(page);
  before.forEach((c, i) => {
    const changed = afterToggle[i]!.url !== c.url;
    assert.equal(changed, c.chart === 'histogram', `${c.chart} ${c.part} #${i}`);
  });
  await page.locator('#log-counts').uncheck();
});

test('report: feature grid and reconstructions are images of the right size', async () => {
  const images = await page.evaluate(() =>
    Array.from(document.querySelectorAll('img[data-kind]')).map((img) => {
      const el = img as HTMLImageElement;
      return {
        kind: el.dataset.kind,
        complete: el.complete,
        naturalWidth: el.naturalWidth,
        naturalHeight: el.naturalHeight,
        width: Number(el.getAttribute('width')),
        height: Number(el.getAttribute('height')),
      };
    }),
  );
  // 4×4 tiles of 28×28 with 1-pixel separators: 4·29+1 = 117 square; 8 pairs: 8·29+1 by 2·29+1.
  const features = images.filter((i) => i.kind === 'features');
  const strips = images.filter((i) => i.kind === 'reconstructions');
  assert.equal(features.length, 2);
  assert.equal(strips.length, 2);
  for (const img of features) {
    assert.ok(img.complete);
    assert.deepEqual([img.naturalWidth, img.naturalHeight], [117, 117]);
    assert.deepEqual([img.width, img.height], [234, 234], 'width/height attributes: 2× the PNG');
  }
  for (const img of strips) {
    assert.deepEqual([img.naturalWidth, img.naturalHeight], [233, 59]);
    assert.deepEqual([img.width, img.height], [466, 118]);
  }
});

test('report: nothing fetched from the network, no console errors, no script injected', () => {
  assert.ok(requests.length > 0, 'the page itself was requested');
  const remote = requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'));
  assert.deepEqual(remote, [], 'requests other than file: and data:');
  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(dialogs, [], 'escaped <script> in the input must not run');
});

test('report: escaped text shows as text', async () => {
  const title = await page.locator('h1').textContent();
  assert.equal(title, input.title);
  const cell = await page.locator('#summary-table tbody tr:nth-child(2) td:nth-child(4)');
  assert.equal(await cell.textContent(), '<script>alert(1)</script>');
});

test('report: a screenshot is saved', async () => {
  const shot = join(dir, 'report.png');
  await page.screenshot({ path: shot, fullPage: true });
  assert.ok(statSync(shot).size > 10_000, 'screenshot is a non-trivial PNG');
  assert.deepEqual([...readFileSync(shot).subarray(1, 4)], [0x50, 0x4e, 0x47], 'PNG signature');
  console.log(`report screenshot: ${shot}`);
});
