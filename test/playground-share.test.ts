/**
 * Leaving the playground: "copy code" and "download model" checked in Node, and the command
 * that serves the page. Oracles: the snippet run by Node on the same seed and backend (wasm)
 * against the page's first five losses; the downloaded files read by sn.io.load and evaluated
 * in Node on the same validation digits against the page's validation loss; the served page's
 * response headers and the command's exit after SIGINT.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as sn from 'sinew';
import { DATA } from '../playground/model.js';
import { root } from './fixtures/file-server.js';
import {
  openPage,
  openSite,
  state,
  type PlaygroundSite,
  type PlaygroundState,
} from './fixtures/playground-page.js';

let site: PlaygroundSite;
const temp = mkdtempSync(join(tmpdir(), 'sinew-playground-'));
before(async () => {
  site = await openSite('test/playground-share.test.ts');
});
after(async () => {
  await site?.close();
  rmSync(temp, { recursive: true, force: true });
});

/** The first `n` losses of the snippet, run by Node (tsx) on the wasm backend. */
function runSnippet(code: string, n: number): number[] {
  const file = join(temp, 'train.ts');
  const source = code
    .replace("from 'sinew'", `from ${JSON.stringify(join(root, 'src', 'index.ts'))}`)
    .replace(/step < \d+;/, `step < ${n};`);
  writeFileSync(file, source);
  const run = spawnSync(process.execPath, ['--import', 'tsx', file], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, SINEW_BACKEND: 'wasm' },
    timeout: 300_000,
  });
  assert.equal(run.status, 0, run.stderr);
  return [...run.stdout.matchAll(/^step \d+ loss (\S+)$/gm)].map((m) => Number(m[1]));
}

test('"copy code" gives a Node program that reproduces the page\'s first 5 losses within 1e-5', async () => {
  const { page, context } = await openPage(site, site.isolated);
  // Not the defaults: a kernel and an activity penalty, another optimizer, batch and seed.
  await page.selectOption('#preset', 'kl');
  await page.selectOption('#kernelRegularizer', 'l2');
  await page.selectOption('#optimizer', 'rmsprop');
  for (const [selector, value] of [
    ['#batchSize', '64'],
    ['#seed', '5'],
    ['#inputScale', '2'],
  ] as const) {
    await page.fill(selector, value);
    await page.press(selector, 'Tab');
  }
  await page.waitForFunction(
    () =>
      (window as unknown as { playground: PlaygroundState }).playground.current.views?.step === 0,
  );
  for (let i = 1; i <= 5; i++) {
    await page.click('#step');
    await page.waitForFunction(
      (n) =>
        (window as unknown as { playground: PlaygroundState }).playground.current.losses.length >=
        n,
      i,
    );
  }
  const pageLosses = (await state(page)).current.losses.map((l) => l.loss);
  await page.click('#copy-code');
  const code = await page.inputValue('#code');
  assert.match(code, /klSparsity\(\{ rho: 0\.05, beta: 0\.05 \}\)/);
  assert.match(code, /sn\.optimizers\.rmsprop/);
  assert.match(code, /sn\.mul\(x, 2\)/);
  const nodeLosses = runSnippet(code, 5);
  assert.equal(pageLosses.length, 5);
  assert.equal(nodeLosses.length, 5);
  pageLosses.forEach((l, i) =>
    assert.ok(
      Math.abs(l - nodeLosses[i]!) <= 1e-5,
      `step ${i + 1}: page ${l}, Node ${nodeLosses[i]}`,
    ),
  );
  await context.close();
});

test('the conv preset\'s "copy code" reproduces the page\'s first 5 losses within 1e-5 in Node', async () => {
  const { page, context } = await openPage(site, site.isolated);
  await page.selectOption('#preset', 'conv');
  await page.selectOption('#activityRegularizer', 'l1');
  for (const [selector, value] of [
    ['#batchSize', '32'],
    ['#seed', '6'],
  ] as const) {
    await page.fill(selector, value);
    await page.press(selector, 'Tab');
  }
  await page.waitForFunction(() => {
    const views = (window as unknown as { playground: PlaygroundState }).playground.current.views;
    return views?.model === 'conv' && views.step === 0;
  });
  for (let i = 1; i <= 5; i++) {
    await page.click('#step');
    await page.waitForFunction(
      (n) =>
        (window as unknown as { playground: PlaygroundState }).playground.current.losses.length >=
        n,
      i,
    );
  }
  const pageLosses = (await state(page)).current.losses.map((l) => l.loss);
  await page.click('#copy-code');
  const code = await page.inputValue('#code');
  assert.match(code, /sn\.layers\.conv2d\(\{\n\s+name: 'encoder',\n\s+filters: 8,/);
  assert.match(code, /activityRegularizer: sn\.regularizers\.l1\(0\.001\)/);
  const nodeLosses = runSnippet(code, 5);
  assert.equal(pageLosses.length, 5);
  assert.equal(nodeLosses.length, 5);
  pageLosses.forEach((l, i) =>
    assert.ok(
      Math.abs(l - nodeLosses[i]!) <= 1e-5,
      `step ${i + 1}: page ${l}, Node ${nodeLosses[i]}`,
    ),
  );
  await context.close();
});

/** Downloads the model of a preset after 3 steps; sn.io.load reads it with these layer names and the page's validation loss. */
async function checkDownload(preset: string, names: string[]): Promise<void> {
  const { page, context } = await openPage(site, site.isolated);
  await page.selectOption('#preset', preset);
  const model = preset === 'conv' ? 'conv' : 'dense';
  await page.waitForFunction((kind) => {
    const views = (window as unknown as { playground: PlaygroundState }).playground.current.views;
    return views?.model === kind && views.step === 0;
  }, model);
  for (let i = 1; i <= 3; i++) {
    await page.click('#step');
    await page.waitForFunction(
      (n) =>
        (window as unknown as { playground: PlaygroundState }).playground.current.views?.step === n,
      i,
    );
  }
  const valLoss = (await state(page)).current.views!.valLoss;
  const downloads: string[] = [];
  rmSync(join(temp, 'playground.json'), { force: true });
  rmSync(join(temp, 'playground.weights.bin'), { force: true });
  const saved = new Promise<void>((resolve) => {
    page.on('download', (download) => {
      const path = join(temp, download.suggestedFilename());
      void download.saveAs(path).then(() => {
        downloads.push(path);
        if (downloads.length === 2) resolve();
      });
    });
  });
  await page.click('#download');
  await saved;
  assert.deepEqual(downloads.map((p) => p.slice(temp.length + 1)).sort(), [
    'playground.json',
    'playground.weights.bin',
  ]);
  const loaded = await sn.io.load(join(temp, 'playground.json'));
  assert.deepEqual(
    loaded.layers.map((l) => l.name),
    names,
  );
  // The same validation digits as the page (views use the first 500): the same loss.
  const { xTest } = sn.data.mnist({ seed: DATA.split });
  const val = sn.slice(xTest, [0, 0], { size: [500, -1] });
  loaded.compile({ optimizer: 'adam', loss: 'mse' });
  const logs = loaded.evaluate(val, val, { batchSize: 500 });
  assert.ok(Math.abs(logs.loss! - valLoss) < 1e-5, `Node ${logs.loss}, page ${valLoss}`);
  await context.close();
}

test('"download model" saves model.json and weights that sn.io.load reads in Node', async () => {
  await checkDownload('activity-l1', ['encoder', 'decoder']);
});

test('"download model" of the conv preset: sn.io.load reads the conv model in Node', async () => {
  await checkDownload('conv', [
    'image',
    'conv1',
    'pool',
    'encoder',
    'upsample',
    'decoder',
    'pixels',
  ]);
});

test('sinew playground serves the page cross-origin isolated, prints the URL and stops on Ctrl-C', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'cli', 'sinew.ts'), 'playground', '--port', '0', '--no-build'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: string) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) resolve(m[0]);
    });
    child.on('exit', () => reject(new Error(`exited early:\n${out}`)));
  });
  const response = await fetch(url);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cross-origin-opener-policy'), 'same-origin');
  assert.equal(response.headers.get('cross-origin-embedder-policy'), 'require-corp');
  assert.match(await response.text(), /sinew regularization playground/);
  assert.equal((await fetch(`${url}../../package.json`)).status, 404);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  assert.equal(await exited, 0, out);
  assert.match(out, /stopped/);
});
