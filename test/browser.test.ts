/**
 * sinew in a browser: the bundle (scripts/bundle-browser.mjs → dist/browser/sinew.js) is
 * served with a fixture page (test/fixtures/browser/) from a loopback server and opened in
 * headless Chromium (test/fixtures/chromium.ts, driven by playwright-core). Checked in the page:
 * cpu runs until `await sn.ready()`, then the wasm backend, single-threaded (no
 * SharedArrayBuffer without cross-origin isolation, and no worker is started; the threads of
 * an isolated page are tested in test/browser-threads.test.ts); an op and its
 * gradients, a fit with an activity regularizer, and a model loaded from a URL give the
 * numbers Node gives; saving as 'downloads://m' downloads m.json and m.weights.bin, which Node
 * loads back. Nothing is requested outside the server, and the console has no errors.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Download, Page } from 'playwright-core';
import * as sn from '../src/index.js';
import { launchChromium } from './fixtures/chromium.js';
import { buildBrowserBundle, serveFiles, type FileServer } from './fixtures/file-server.js';

type Nested = number | Nested[];

/** What test/fixtures/browser/page.js puts on window. */
interface PageChecks {
  opAndGrad(args: { x: number[][]; w: number[][]; c: number[][] }): {
    y: number;
    gx: Nested;
    gw: Nested;
    softmax: Nested;
  };
  loadAndPredict(args: { url: string; x: number[][] }): Promise<Nested>;
  saveAsDownload(args: { url: string; name: string }): Promise<string[]>;
  fit(args: FitArgs & { url: string }): Promise<{
    backend: string;
    history: Record<string, number[]>;
  }>;
  nodeOnly(): [string, string][];
}
declare global {
  interface Window {
    sn: typeof sn;
    checks: PageChecks;
    snReady: Promise<string>;
    startup: {
      backendBeforeReady: string;
      crossOriginIsolated: boolean;
      sharedArrayBuffer: boolean;
    };
  }
}

interface FitArgs {
  x: number[][];
  y: number[][];
  learningRate: number;
  epochs: number;
  batchSize: number;
  seed: number;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const modelDir = mkdtempSync(join(tmpdir(), 'sinew-browser-model-'));
const downloadDir = mkdtempSync(join(tmpdir(), 'sinew-browser-downloads-'));
/** URL prefixes the server answers, and the folders behind them. */
const ROUTES: [string, string][] = [
  ['/dist/', join(root, 'dist')],
  ['/fixture/', join(root, 'test', 'fixtures', 'browser')],
  ['/model/', modelDir],
];

let server: FileServer | undefined;
let origin: string;
let browser: Browser;
let page: Page;
const requests: string[] = [];
const consoleErrors: string[] = [];
const workers: string[] = [];

/** The model every check uses: an activity regularizer on the first layer. */
function regularizedModel(): sn.Model {
  return sn.sequential({
    layers: [
      sn.layers.dense({
        units: 4,
        inputShape: [3],
        activation: 'tanh',
        kernelInitializer: sn.initializers.glorotUniform({ seed: 1 }),
        kernelRegularizer: sn.regularizers.l2(0.01),
        activityRegularizer: sn.regularizers.l1(0.05),
      }),
      sn.layers.dense({ units: 2, kernelInitializer: sn.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
}

const model = regularizedModel();
const X = [
  [0.5, -1.25, 2],
  [0.1, 0.2, -0.3],
  [-1.5, 0.75, 0.25],
  [2, 1, -1],
  [0, -0.5, 0.5],
  [1.5, -2, 0.125],
];
const Y = X.map(([a = 0, b = 0, c = 0]) => [a - b, 0.5 * c]);

function flat(values: Nested): number[] {
  return Array.isArray(values) ? values.flatMap(flat) : [values];
}

function assertClose(actual: Nested, expected: Nested, tolerance: number, what: string): void {
  const [a, e] = [flat(actual), flat(expected)];
  assert.equal(a.length, e.length, `${what}: ${a.length} values, expected ${e.length}`);
  e.forEach((v, i) =>
    assert.ok(
      Math.abs(a[i]! - v) <= tolerance * Math.max(1, Math.abs(v)),
      `${what}[${i}]: browser ${a[i]}, Node ${v}`,
    ),
  );
}

before(async () => {
  buildBrowserBundle();
  await sn.io.save(model, modelDir, { onWarning: () => {} }); // TensorFlow.js compatibility notes
  server = await serveFiles(ROUTES);
  origin = server.origin;
  browser = await launchChromium('the browser test');
  page = await browser.newPage({ acceptDownloads: true });
  page.on('request', (request) => requests.push(request.url()));
  page.on('worker', (worker) => workers.push(worker.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  await page.goto(`${origin}/fixture/index.html`, { waitUntil: 'load' });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the bundle runs cpu until sn.ready(), then the wasm backend on one thread', async () => {
  const backend = await page.evaluate(() => window.snReady);
  const startup = await page.evaluate(() => window.startup);
  assert.equal(startup.backendBeforeReady, 'cpu', 'cpu runs while the kernels load');
  assert.equal(backend, 'wasm');
  assert.equal(await page.evaluate(() => window.sn.getBackend()), 'wasm');
  // Served without COOP/COEP headers: no SharedArrayBuffer, so no threads.
  assert.deepEqual(
    { isolated: startup.crossOriginIsolated, shared: startup.sharedArrayBuffer },
    { isolated: false, shared: false },
  );
  assert.deepEqual(workers, [], 'no worker was started');
  const kernels = requests.filter((u) => u.endsWith('.wasm')).map((u) => new URL(u).pathname);
  assert.equal(kernels.length, 1, `one kernel module fetched: ${kernels.join(', ')}`);
  assert.match(kernels[0]!, /^\/dist\/browser\/wasm\/sinew-(relaxed|simd)\.wasm$/);
});

test('an op and its gradients give the numbers Node gives', async () => {
  const x = [
    [0.5, -1, 2, 0.25],
    [-0.75, 1.5, 0.1, -2],
    [1, 0, -0.5, 0.3],
  ];
  const w = [
    [0.2, -0.4],
    [0.7, 0.1],
    [-0.3, 0.5],
    [0.05, -0.9],
  ];
  const c = [
    [1, -2],
    [0.5, 3],
    [-1, 1],
  ];
  const got = await page.evaluate((args) => window.checks.opAndGrad(args), { x, w, c });
  const f = (xt: sn.Tensor, wt: sn.Tensor): sn.Tensor =>
    sn.sum(sn.mul(sn.tanh(sn.matmul(xt, wt)), sn.tensor(c)));
  const [xt, wt] = [sn.tensor(x), sn.tensor(w)];
  const [gx, gw] = sn.grads(f)([xt, wt]);
  assertClose(got.y, f(xt, wt).item(), 1e-6, 'y');
  assertClose(got.gx, gx!.arraySync() as Nested, 1e-6, 'dy/dx');
  assertClose(got.gw, gw!.arraySync() as Nested, 1e-6, 'dy/dw');
  assertClose(got.softmax, sn.softmax(xt).arraySync() as Nested, 1e-6, 'softmax');
});

test('io.load from a URL predicts what the model predicts in Node', async () => {
  const got = await page.evaluate((args) => window.checks.loadAndPredict(args), {
    url: `${origin}/model/model.json`,
    x: X,
  });
  assertClose(got, (model.predict(sn.tensor(X)) as sn.Tensor).arraySync() as Nested, 1e-6, 'y');
});

test("io.save to 'downloads://m' downloads files that load back in Node", async () => {
  const downloads: Download[] = [];
  const both = new Promise<void>((resolve) => {
    const onDownload = (d: Download): void => {
      downloads.push(d);
      if (downloads.length === 2) {
        page.off('download', onDownload);
        resolve();
      }
    };
    page.on('download', onDownload);
  });
  const files = await page.evaluate((args) => window.checks.saveAsDownload(args), {
    url: `${origin}/model/model.json`,
    name: 'm',
  });
  assert.deepEqual(files, ['m.json', 'm.weights.bin']);
  await both;
  const names = downloads.map((d) => d.suggestedFilename()).sort();
  assert.deepEqual(names, ['m.json', 'm.weights.bin']);
  mkdirSync(downloadDir, { recursive: true });
  for (const d of downloads) await d.saveAs(join(downloadDir, d.suggestedFilename()));
  const json = JSON.parse(readFileSync(join(downloadDir, 'm.json'), 'utf8')) as {
    weightsManifest: { paths: string[] }[];
  };
  assert.deepEqual(json.weightsManifest[0]!.paths, ['m.weights.bin']);
  const loaded = await sn.io.load(join(downloadDir, 'm.json'));
  const x = sn.tensor(X);
  assertClose(
    (loaded.predict(x) as sn.Tensor).arraySync() as Nested,
    (model.predict(x) as sn.Tensor).arraySync() as Nested,
    1e-6,
    'prediction of the downloaded model',
  );
});

test('fit with an activity regularizer logs regularization_loss as in Node', async () => {
  const args: FitArgs = { x: X, y: Y, learningRate: 0.1, epochs: 3, batchSize: 3, seed: 7 };
  const got = await page.evaluate((a) => window.checks.fit(a), {
    ...args,
    url: `${origin}/model/model.json`,
  });
  assert.equal(got.backend, 'wasm');
  const twin = await sn.io.load(modelDir);
  twin.compile({ optimizer: sn.optimizers.sgd({ learningRate: args.learningRate }), loss: 'mse' });
  const history = await twin.fit(sn.tensor(X), sn.tensor(Y), {
    epochs: args.epochs,
    batchSize: args.batchSize,
    seed: args.seed,
    verbose: 0,
  });
  const reg = got.history['regularization_loss'];
  assert.ok(reg && reg.length === args.epochs, 'regularization_loss logged every epoch');
  assert.ok(
    reg.every((v) => v > 0),
    `the penalties are positive: ${reg.join(', ')}`,
  );
  assertClose(reg, history.history['regularization_loss']!, 1e-5, 'regularization_loss');
  assertClose(got.history['loss']!, history.history['loss']!, 1e-5, 'loss');
});

test('the Node-only functions (MNIST, the report) say so in a browser', async () => {
  const [mnist, report] = await page.evaluate(() => window.checks.nodeOnly());
  assert.equal(mnist![0], 'SinewError');
  assert.match(mnist![1], /sn\.data\.mnist\(\) .*works under Node\.js .* only/);
  assert.equal(report![0], 'SinewError');
  assert.match(report![1], /writeReport\(\) works under Node\.js .* only/);
});

test('a cross-origin isolated page (SharedArrayBuffer) runs wasm too', async () => {
  const isolated = await browser.newPage();
  isolated.on('request', (request) => requests.push(request.url()));
  isolated.on('worker', (worker) => workers.push(worker.url()));
  isolated.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  isolated.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  try {
    await isolated.goto(`${origin}/fixture/index.html?isolated`, { waitUntil: 'load' });
    assert.equal(await isolated.evaluate(() => window.snReady), 'wasm');
    const startup = await isolated.evaluate(() => window.startup);
    assert.deepEqual(
      { isolated: startup.crossOriginIsolated, shared: startup.sharedArrayBuffer },
      { isolated: true, shared: true },
    );
    // It may start Web Workers (one per core but one: see test/browser-threads.test.ts).
    const cores = await isolated.evaluate(() => navigator.hardwareConcurrency);
    assert.equal(workers.length, Math.min(64, cores) - 1);
    const y = await isolated.evaluate(() =>
      window.sn.matmul(window.sn.tensor([[1, 2]]), window.sn.tensor([[3], [4]])).arraySync(),
    );
    assert.deepEqual(y, [[11]]);
  } finally {
    await isolated.close();
  }
});

test('nothing was requested outside the loopback server, and the console has no errors', () => {
  const outside = requests.filter(
    (u) => !u.startsWith(`${origin}/`) && !u.startsWith(`blob:${origin}/`),
  );
  assert.deepEqual(outside, []);
  assert.deepEqual(consoleErrors, []);
});
