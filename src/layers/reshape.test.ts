import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../index.js';
import { assertClose, iota, smooth } from '../../test/helpers.js';

await tf.setBackend('cpu');

test('reshape: same result as tf.layers.reshape, with and without -1', () => {
  const x = iota([2, 12]);
  for (const targetShape of [[3, 4], [2, -1, 3], [-1]]) {
    const ours = sn.layers.reshape({ targetShape }).apply(x);
    const theirs = tf.layers
      .reshape({ targetShape })
      .apply(tf.tensor(Array.from(x.dataSync()), [2, 12])) as tf.Tensor;
    assertClose(ours, Array.from(theirs.dataSync()), 0, theirs.shape);
  }
});

test('reshape: -1 is inferred (12 values / (2·3) = 2)', () => {
  assert.deepEqual(
    sn.layers.reshape({ targetShape: [2, -1, 3] }).apply(iota([5, 12])).shape,
    [5, 2, 2, 3],
  );
});

test('reshape: computeOutputShape, also with unknown input dimensions', () => {
  const layer = sn.layers.reshape({ targetShape: [-1, 4] });
  assert.deepEqual(layer.computeOutputShape([null, 8]), [null, 2, 4]);
  assert.deepEqual(layer.computeOutputShape([null, null]), [null, null, 4]);
  assert.deepEqual(
    sn.layers.reshape({ targetShape: [28, 28] }).apply(sn.input({ shape: [784] })).shape,
    [null, 28, 28],
  );
});

test('reshape: a size mismatch is a ShapeError naming the layer, the input shape and the target', () => {
  assert.throws(
    () => sn.layers.reshape({ targetShape: [5, 5], name: 'rs' }).apply(iota([2, 12])),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      /Reshape 'rs'/.test(e.message) &&
      /\[2, 12\]/.test(e.message) &&
      /\[5, 5\]/.test(e.message),
  );
  assert.throws(
    () => sn.layers.reshape({ targetShape: [5, -1] }).apply(sn.input({ shape: [12] })),
    (e: Error) =>
      e instanceof sn.ShapeError && /\[null, 12\]/.test(e.message) && /\[5, -1\]/.test(e.message),
  );
});

test('reshape: a bad targetShape is a ConfigError', () => {
  for (const targetShape of [[-1, -1], [0, 3], [2.5], 'abc', undefined]) {
    assert.throws(
      () => sn.layers.reshape({ targetShape } as unknown as sn.layers.ReshapeOptions),
      (e: Error) =>
        e instanceof sn.ConfigError &&
        /targetShape/.test(e.message) &&
        /at most one -1/.test(e.message),
    );
  }
});

test('reshape: gradient flows back unchanged', () => {
  const layer = sn.layers.reshape({ targetShape: [3, 2] });
  sn.testing.gradCheck((x) => layer.apply(x), [smooth([2, 6])]);
});

test('reshape: getConfig → JSON → fromConfig round trip', () => {
  const layer = sn.layers.reshape({ targetShape: [-1, 4], name: 'rs_rt' });
  const config = JSON.parse(JSON.stringify(layer.getConfig()));
  assert.deepEqual(config.targetShape, [-1, 4]);
  const copy = sn.layers.Reshape.fromConfig(config);
  assert.deepEqual(copy.getConfig(), layer.getConfig());
  assert.deepEqual(copy.apply(iota([1, 8])).shape, [1, 2, 4]);
});
