import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as sn from '../index.js';

const digitFile = (d: number): number[] => {
  const require = createRequire(import.meta.url);
  return (
    JSON.parse(readFileSync(require.resolve(`mnist/src/digits/${d}.json`), 'utf8')) as {
      data: number[];
    }
  ).data;
};

test('mnist loads every digit the package ships, split 8,000 / 2,000', () => {
  const data = sn.data.mnist({ seed: 1 });
  const perClass = Array.from({ length: 10 }, (_, d) => Math.floor(digitFile(d).length / 784));
  const total = perClass.reduce((a, b) => a + b, 0);
  assert.ok(total >= 10000, `${total} digits`);
  assert.deepEqual(data.xTest.shape, [2000, 784]);
  assert.deepEqual(data.xTrain.shape, [total - 2000, 784]);
  assert.equal(data.yTrain.dtype, 'int32');
  const labels = [...data.yTrain.dataSync(), ...data.yTest.dataSync()];
  const counts = Array.from({ length: 10 }, (_, d) => labels.filter((l) => l === d).length);
  assert.deepEqual(counts, perClass);
  const pixels = data.xTest.dataSync();
  assert.ok(pixels.every((p) => p >= 0 && p <= 1));
  assert.ok(sn.max(data.xTest).item() === 1 && sn.min(data.xTest).item() === 0);
});

test("the split is reproducible by seed, and the images are the package's images", () => {
  const a = sn.data.mnist({ seed: 3, testSize: 100 });
  const b = sn.data.mnist({ seed: 3, testSize: 100 });
  const c = sn.data.mnist({ seed: 4, testSize: 100 });
  assert.deepEqual(a.yTest.dataSync(), b.yTest.dataSync());
  assert.notDeepEqual(a.yTest.dataSync(), c.yTest.dataSync());
  // The first test image, found in the package's file for its label.
  const label = a.yTest.dataSync()[0]!;
  const image = Array.from(sn.slice(a.xTest, [0, 0], { size: [1, 784] }).dataSync());
  const file = digitFile(label);
  let found = false;
  for (let i = 0; i + 784 <= file.length && !found; i += 784) {
    found = file.slice(i, i + 784).every((v, j) => Math.abs(v - image[j]!) < 1e-6);
  }
  assert.ok(found, `test image 0 (label ${label}) is one of the package's images of ${label}`);
  assert.throws(() => sn.data.mnist({ testSize: 1e6 }), sn.SinewError);
});
