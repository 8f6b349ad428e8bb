/**
 * 'indexeddb://' and 'localstorage://' in sn.io.save/load, in headless Chromium: the page of
 * test/browser.test.ts (the bundle) and TensorFlow.js's own bundle (a devDependency) share
 * one origin. The oracles: a model stored by sinew predicts what the same model predicts in
 * Node, TensorFlow.js loads what sinew stored and lists it, sinew loads what TensorFlow.js
 * stored and predicts what TensorFlow.js predicts; damaged entries, weights over the limit and
 * a save over the localStorage quota are SerializationErrors, and a refused save leaves no key.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type * as Tf from '@tensorflow/tfjs';
import type { Browser, Page } from 'playwright-core';
import * as sn from '../src/index.js';
import { launchChromium } from './fixtures/chromium.js';
import { buildBrowserBundle, serveFiles, type FileServer } from './fixtures/file-server.js';

type Nested = number | Nested[];
/** A page with sinew's bundle (window.sn) and TensorFlow.js's (window.tf). */
type Win = { sn: typeof sn; tf: typeof Tf; snReady: Promise<string> };

const root = fileURLToPath(new URL('..', import.meta.url));
const modelDir = mkdtempSync(join(tmpdir(), 'sinew-storage-model-'));
const ROUTES: [string, string][] = [
  ['/dist/', join(root, 'dist')],
  ['/fixture/', join(root, 'test', 'fixtures', 'browser')],
  ['/tfjs/', join(root, 'node_modules', '@tensorflow', 'tfjs', 'dist')],
  ['/model/', modelDir],
];

let server: FileServer | undefined;
let origin: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const model = sn.sequential({
  layers: [
    sn.layers.dense({
      units: 4,
      inputShape: [3],
      activation: 'tanh',
      kernelInitializer: sn.initializers.glorotUniform({ seed: 3 }),
      biasInitializer: sn.initializers.randomNormal({ seed: 4 }),
    }),
    sn.layers.dense({ units: 2, kernelInitializer: sn.initializers.glorotUniform({ seed: 5 }) }),
  ],
});
const X = [
  [0.5, -1.25, 2],
  [0.1, 0.2, -0.3],
  [-1.5, 0.75, 0.25],
];
/** (3·4 + 4 + 4·2 + 2) float32 values. */
const WEIGHT_BYTES = (3 * 4 + 4 + 4 * 2 + 2) * 4;

function assertClose(actual: Nested, expected: Nested, what: string): void {
  const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
  const [a, e] = [flat(actual), flat(expected)];
  assert.equal(a.length, e.length, what);
  e.forEach((v, i) => assert.ok(Math.abs(a[i]! - v) <= 1e-5, `${what}[${i}]: ${a[i]} vs ${v}`));
}

before(async () => {
  buildBrowserBundle();
  await sn.io.save(model, modelDir);
  server = await serveFiles(ROUTES);
  origin = server.origin;
  browser = await launchChromium('the browser storage test');
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${origin}/fixture/index.html`, { waitUntil: 'load' });
  await page.evaluate(() => (window as unknown as Win).snReady);
  await page.addScriptTag({ url: `${origin}/tfjs/tf.min.js` });
  // tsx names the helpers inside the evaluated functions with esbuild's __name: give the page one.
  await page.evaluate('window.__name = (f) => f');
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('sinew stores a model in IndexedDB and localStorage and loads it back, in both libraries', async () => {
  const got = await page.evaluate(
    async ({ url, x }) => {
      const { sn, tf } = window as unknown as Win;
      const m = await sn.io.load(url);
      const out: Record<string, unknown> = {};
      for (const dest of ['indexeddb://sn-idb', 'localstorage://sn-ls']) {
        out[`${dest} files`] = (await sn.io.save(m, dest)).files;
        const back = await sn.io.load(dest);
        out[`${dest} sinew`] = (back.predict(sn.tensor(x)) as sn.Tensor).arraySync();
        const theirs = await tf.loadLayersModel(dest);
        out[`${dest} tfjs`] = (theirs.predict(tf.tensor(x)) as Tf.Tensor).arraySync();
      }
      return out;
    },
    { url: `${origin}/model/model.json`, x: X },
  );
  const expected = (model.predict(sn.tensor(X)) as sn.Tensor).arraySync() as Nested;
  for (const dest of ['indexeddb://sn-idb', 'localstorage://sn-ls']) {
    assert.deepEqual(got[`${dest} files`], [dest]);
    assertClose(got[`${dest} sinew`] as Nested, expected, `${dest} loaded by sinew`);
    assertClose(got[`${dest} tfjs`] as Nested, expected, `${dest} loaded by TensorFlow.js`);
  }
});

test('sinew loads what TensorFlow.js stored and predicts what TensorFlow.js predicts', async () => {
  const got = await page.evaluate(async (x) => {
    const { sn, tf } = window as unknown as Win;
    const theirs = tf.sequential({
      layers: [
        tf.layers.dense({ units: 3, inputShape: [3], activation: 'relu' }),
        tf.layers.dense({ units: 1 }),
      ],
    });
    const want = (theirs.predict(tf.tensor(x)) as Tf.Tensor).arraySync();
    const out: Record<string, unknown> = { want };
    for (const dest of ['indexeddb://tf-idb', 'localstorage://tf-ls']) {
      await theirs.save(dest);
      out[dest] = ((await sn.io.load(dest)).predict(sn.tensor(x)) as sn.Tensor).arraySync();
    }
    return out;
  }, X);
  for (const dest of ['indexeddb://tf-idb', 'localstorage://tf-ls']) {
    assertClose(got[dest] as Nested, got['want'] as Nested, dest);
  }
});

test('listModels and removeModel see the models of both libraries, as TensorFlow.js does', async () => {
  const got = await page.evaluate(async () => {
    const { sn, tf } = window as unknown as Win;
    const ours = await sn.io.listModels();
    const theirs = await tf.io.listModels();
    const removed = await sn.io.removeModel('indexeddb://sn-idb');
    await tf.io.removeModel('localstorage://sn-ls');
    const errors: [boolean, string][] = [];
    for (const url of ['indexeddb://sn-idb', 'localstorage://sn-ls']) {
      try {
        await sn.io.load(url);
        errors.push([false, 'loaded']);
      } catch (e) {
        errors.push([e instanceof sn.io.SerializationError, (e as Error).message]);
      }
    }
    return {
      ours: Object.keys(ours).sort(),
      theirs: Object.keys(theirs).sort(),
      bytes: ours['indexeddb://sn-idb']?.weightDataBytes,
      dated: ours['localstorage://sn-ls']?.dateSaved instanceof Date,
      removed: removed.weightDataBytes,
      after: Object.keys(await tf.io.listModels()).sort(),
      errors,
    };
  });
  const all = [
    'indexeddb://sn-idb',
    'indexeddb://tf-idb',
    'localstorage://sn-ls',
    'localstorage://tf-ls',
  ];
  assert.deepEqual(got.theirs, all);
  assert.deepEqual(got.ours, got.theirs);
  assert.equal(got.bytes, WEIGHT_BYTES);
  assert.equal(got.dated, true);
  assert.equal(got.removed, WEIGHT_BYTES);
  assert.deepEqual(got.after, ['indexeddb://tf-idb', 'localstorage://tf-ls']);
  for (const [typed, message] of got.errors) {
    assert.equal(typed, true, message);
    assert.match(
      message,
      /no model of that name in this origin's (IndexedDB|localStorage)\. Fix: save it first/,
    );
  }
});

test('damaged entries, weights over the limit and a save over the quota are SerializationErrors', async () => {
  const got = await page.evaluate(async (url) => {
    const { sn } = window as unknown as Win;
    const m = await sn.io.load(url);
    const key = (part: string): string => `tensorflowjs_models/bad/${part}`;
    const attempt = async (f: () => Promise<unknown>): Promise<[boolean, string]> => {
      try {
        await f();
        return [false, 'no error'];
      } catch (e) {
        return [e instanceof sn.io.SerializationError, (e as Error).message];
      }
    };
    const damage = async (part: string, value: string | null): Promise<[boolean, string]> => {
      await sn.io.save(m, 'localstorage://bad');
      if (value === null) localStorage.removeItem(key(part));
      else localStorage.setItem(key(part), value);
      return attempt(() => sn.io.load('localstorage://bad'));
    };
    const out: Record<string, [boolean, string]> = {
      truncated: await damage('weight_data', btoa('\x00\x00\x80\x3f')),
      notBase64: await damage('weight_data', '%%%'),
      topology: await damage('model_topology', '{'),
      specs: await damage('weight_specs', null),
      limit: await attempt(() => sn.io.load('indexeddb://tf-idb', { maxWeightBytes: 8 })),
      noName: await attempt(() => sn.io.save(m, 'indexeddb://')),
    };
    // An IndexedDB record whose weights were cut off, written as TensorFlow.js lays it out.
    const artifacts = sn.io.toMemory(m);
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('tensorflowjs', 1);
      open.onsuccess = () => {
        const tx = open.result.transaction('models_store', 'readwrite');
        tx.objectStore('models_store').put({
          modelPath: 'cut',
          modelArtifacts: { ...artifacts, weightData: artifacts.weightData!.slice(0, 10) },
        });
        tx.oncomplete = () => {
          open.result.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error);
      };
    });
    out['idbTruncated'] = await attempt(() => sn.io.load('indexeddb://cut'));
    // 3 million weights: 12 MB, 16 MB as base64, over localStorage's quota.
    const big = sn.sequential({ layers: [sn.layers.dense({ units: 3000, inputShape: [999] })] });
    out['quota'] = await attempt(() => sn.io.save(big, 'localstorage://big'));
    const left = Object.keys(localStorage).filter((k) => k.startsWith('tensorflowjs_models/big/'));
    out['left'] = [left.length === 0, left.join(', ')];
    return out;
  }, `${origin}/model/model.json`);
  const expect: [string, RegExp][] = [
    [
      'truncated',
      /localstorage:\/\/bad: the stored model is damaged: its weight data is truncated: expected 104 bytes, found 4/,
    ],
    ['notBase64', /the key 'tensorflowjs_models\/bad\/weight_data' is not base64/],
    ['topology', /the key 'tensorflowjs_models\/bad\/model_topology' is not JSON/],
    ['specs', /the key 'tensorflowjs_models\/bad\/weight_specs' is missing\. Fix: remove it/],
    [
      'limit',
      /indexeddb:\/\/tf-idb: weightSpecs claim 64 bytes of weights, more than the limit of 8 bytes/,
    ],
    ['noName', /"indexeddb:\/\/" names no model\. Fix: add a name/],
    [
      'idbTruncated',
      /indexeddb:\/\/cut: the stored model is damaged: its weight data is truncated: expected 104 bytes, found 10/,
    ],
    [
      'quota',
      /localstorage:\/\/big: localStorage refused the model .*quota.*Fix: save a model this large to 'indexeddb:\/\/name'/,
    ],
  ];
  for (const [name, pattern] of expect) {
    const [typed, message] = got[name]!;
    assert.equal(typed, true, `${name}: a SerializationError, got: ${message}`);
    assert.match(message, pattern, name);
  }
  assert.deepEqual(got['left'], [true, ''], 'a refused save leaves no key behind');
  assert.deepEqual(pageErrors, []);
});
