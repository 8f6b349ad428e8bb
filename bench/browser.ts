// The wasm backend in a browser: headless Chromium (test/fixtures/chromium.ts) opens a page
// served from a loopback server with the COOP/COEP headers (cross-origin isolated, so the backend may start
// Web Workers), imports the bundle (dist/browser/sinew.js) and measures, with 1 and then 2
// threads: sgemm GFLOP/s at 128×784·784×256 (and its two transposed backward products), and the
// lab autoencoder's training step (784 → 256 sigmoid, activity L1 → 784 sigmoid, Adam, mse,
// batch 128) on random pixels. Medians; a program, never a test.
// Then the playground (dist/playground, rebuilt from the sources), cross-origin isolated, on 1
// and 2 threads: its training steps per second (default configuration, the lab's autoencoder)
// and the longest main-thread task while it trains (bench/playground-browser.ts).
//   npm run build && npx tsx bench/browser.ts
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../test/fixtures/chromium.js';
import { benchPlayground } from './playground-browser.js';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sinew bench</title>
<link rel="icon" href="data:,">
<script type="module">
import * as sn from '/dist/browser/sinew.js';
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function timeMedian(fn, budgetMs) {
  for (let i = 0; i < 5; i++) fn();
  const times = [];
  const end = performance.now() + budgetMs;
  while (performance.now() < end || times.length < 10) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return median(times);
}
window.run = async (threads) => {
  sn.setBackend('wasm', { threads });
  await sn.ready();
  const out = { threads: sn.backendInfo().threads, sgemm: {} };
  const cases = [
    ['128×784·784×256', [128, 784], [784, 256], {}],
    ['xᵀ·dZ 784×128·128×256', [128, 784], [128, 256], { transposeA: true }],
    ['dZ·Wᵀ 128×256·256×784', [128, 256], [784, 256], { transposeB: true }],
  ];
  for (const [label, sa, sb, opts] of cases) {
    const a = sn.randomUniform(sa, { seed: 1 });
    const b = sn.randomUniform(sb, { seed: 2 });
    const ms = timeMedian(() => sn.matmul(a, b, opts).dataSync(), 1500);
    out.sgemm[label] = (2 * 128 * 784 * 256) / (ms * 1e6);
  }
  const model = sn.sequential({ layers: [
    sn.layers.dense({ units: 256, activation: 'sigmoid', inputShape: [784],
      activityRegularizer: sn.regularizers.l1(1e-5) }),
    sn.layers.dense({ units: 784, activation: 'sigmoid' }),
  ] });
  model.compile({ optimizer: sn.optimizers.adam({ learningRate: 1e-3 }), loss: 'mse' });
  const x = sn.randomUniform([128, 784], { seed: 3 });
  out.stepMs = timeMedian(() => model.trainOnBatch(x, x), 3000);
  return out;
};
window.benchReady = true;
</script></head><body></body></html>`;

const dist = join(fileURLToPath(new URL('..', import.meta.url)), 'dist');
if (!existsSync(join(dist, 'browser', 'sinew.js'))) {
  console.error('dist/browser/sinew.js is missing: run `npm run build` first.');
  process.exit(1);
}
const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-embedder-policy', 'require-corp');
  if (path === '/') {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(PAGE);
    return;
  }
  const file = normalize(join(dist, decodeURIComponent(path).slice('/dist/'.length)));
  if (!path.startsWith('/dist/') || !file.startsWith(dist) || !existsSync(file)) {
    res.statusCode = 404;
    res.end();
    return;
  }
  res.setHeader('content-type', file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript');
  res.end(readFileSync(file));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await launchChromium('bench/browser.ts');
try {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => (window as unknown as { benchReady?: boolean }).benchReady);
  console.log(`Chromium ${browser.version()}, cross-origin isolated page, wasm backend`);
  const rows: Record<string, number | Record<string, number>>[] = [];
  for (const threads of [1, 2]) {
    rows.push(
      await page.evaluate(
        (t) => (window as unknown as { run(t: number): Promise<never> }).run(t),
        threads,
      ),
    );
  }
  const [one, two] = rows as { threads: number; sgemm: Record<string, number>; stepMs: number }[];
  console.log(`${'sgemm GFLOP/s'.padEnd(28)}${'1 thread'.padStart(10)}${'2 threads'.padStart(11)}`);
  for (const label of Object.keys(one!.sgemm)) {
    const cells = [one!.sgemm[label]!, two!.sgemm[label]!].map((v, i) =>
      v.toFixed(1).padStart(i === 0 ? 10 : 11),
    );
    console.log(`${label.padEnd(28)}${cells.join('')}`);
  }
  console.log(
    `${'training step, ms'.padEnd(28)}${one!.stepMs.toFixed(2).padStart(10)}` +
      `${two!.stepMs.toFixed(2).padStart(11)}   (threads reported: ${one!.threads}, ${two!.threads})`,
  );
  await benchPlayground(browser);
} finally {
  await browser.close();
  server.close();
}
