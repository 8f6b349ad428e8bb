import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../index.js';
import { assertClose, iota, smooth } from '../../test/helpers.js';

await tf.setBackend('cpu');

test('flatten: [2, 3, 4] → [2, 12] in row-major order, as tf.layers.flatten', () => {
  const x = iota([2, 3, 4]);
  const y = sn.layers.flatten().apply(x);
  const theirs = tf.layers
    .flatten()
    .apply(tf.tensor(Array.from(x.dataSync()), [2, 3, 4])) as tf.Tensor;
  assert.deepEqual(theirs.shape, [2, 12]);
  assertClose(y, Array.from(theirs.dataSync()), 0, [2, 12]);
});

test('flatten: a rank-1 input [batch] becomes [batch, 1] (Keras; tfjs requires rank >= 3)', () => {
  assertClose(sn.layers.flatten().apply(sn.tensor([1, 2, 3])), [1, 2, 3], 0, [3, 1]);
});

test('flatten: computeOutputShape multiplies known dimensions, null when one is unknown', () => {
  const layer = sn.layers.flatten();
  assert.deepEqual(layer.computeOutputShape([null, 28, 28]), [null, 784]); // 28·28
  assert.deepEqual(layer.computeOutputShape([4, null, 3]), [4, null]);
  assert.deepEqual(sn.layers.flatten().apply(sn.input({ shape: [2, 5] })).shape, [null, 10]);
});

test('flatten: gradient is a reshape of the upstream gradient', () => {
  const layer = sn.layers.flatten();
  sn.testing.gradCheck((x) => layer.apply(x), [smooth([2, 2, 3])]);
});

test('flatten: a scalar input is a ShapeError naming the layer', () => {
  assert.throws(
    () => sn.layers.flatten({ name: 'flat' }).apply(sn.scalar(1)),
    (e: Error) =>
      e instanceof sn.ShapeError && /Flatten 'flat'/.test(e.message) && /rank >= 1/.test(e.message),
  );
});

test('flatten: getConfig → JSON → fromConfig round trip', () => {
  const layer = sn.layers.flatten({ name: 'flat_rt', inputShape: [3, 4] });
  const config = JSON.parse(JSON.stringify(layer.getConfig()));
  assert.deepEqual(config.batchInputShape, [null, 3, 4]);
  assert.deepEqual(sn.layers.Flatten.fromConfig(config).getConfig(), layer.getConfig());
});
