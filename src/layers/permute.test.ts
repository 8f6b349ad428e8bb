import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../index.js';
import { assertClose, iota, smooth } from '../../test/helpers.js';

await tf.setBackend('cpu');

test('permute: same values and shapes as tfjs, for every permutation of three axes', () => {
  const shape = [2, 3, 4, 5];
  const x = Array.from(iota(shape).dataSync());
  for (const dims of [
    [1, 2, 3],
    [1, 3, 2],
    [2, 1, 3],
    [2, 3, 1],
    [3, 1, 2],
    [3, 2, 1],
  ]) {
    const theirs = tf.layers.permute({ dims }).apply(tf.tensor(x, shape)) as tf.Tensor;
    const layer = sn.layers.permute({ dims });
    assertClose(layer.apply(sn.tensor(x, shape)), Array.from(theirs.dataSync()), 0, theirs.shape);
    assert.deepEqual(layer.computeOutputShape([null, 3, 4, 5]), [
      null,
      ...dims.map((d) => shape[d]),
    ]);
  }
});

test('permute: by hand, [2, 1] transposes each sample; gradient by finite differences', () => {
  const y = sn.layers.permute({ dims: [2, 1] }).apply(
    sn.tensor([
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ]),
  );
  assertClose(y, [1, 4, 2, 5, 3, 6], 0, [1, 3, 2]);
  const layer = sn.layers.permute({ dims: [3, 1, 2] });
  sn.testing.gradCheck((t) => sn.mul(layer.apply(t), smooth([2, 4, 2, 3])), [smooth([2, 2, 3, 4])]);
});

test('repeatVector: same values as tfjs; by hand; the gradient sums over the repeats', () => {
  const x = [
    [1, 2],
    [3, 4],
  ];
  const theirs = tf.layers.repeatVector({ n: 3 }).apply(tf.tensor(x)) as tf.Tensor;
  const layer = sn.layers.repeatVector({ n: 3 });
  const y = layer.apply(sn.tensor(x));
  assertClose(y, Array.from(theirs.dataSync()), 0, [2, 3, 2]);
  assertClose(y, [1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4], 0);
  assert.deepEqual(layer.computeOutputShape([null, 2]), [null, 3, 2]);
  const [g] = sn.grads((t: sn.Tensor) => sn.sum(layer.apply(t)))([sn.tensor(x)]);
  assertClose(g!, [3, 3, 3, 3], 0);
  sn.testing.gradCheck((t) => sn.mul(layer.apply(t), smooth([2, 3, 2])), [smooth([2, 2])]);
});

test('permute and repeatVector: bad options and input ranks are typed errors naming the layer', () => {
  for (const dims of [[1, 1], [0, 1], [1, 3], [], [1.5], 'ab', undefined]) {
    assert.throws(
      () => sn.layers.permute({ dims } as unknown as sn.layers.PermuteOptions),
      (e: Error) =>
        e instanceof sn.ConfigError &&
        /Permute '.*': dims must be a permutation of 1\.\.n/.test(e.message),
      JSON.stringify(dims),
    );
  }
  assert.throws(
    () => sn.layers.permute({ dims: [2, 1] }).apply(sn.ones([2, 3])),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      /Permute '.*' with dims \[2, 1\] expected input of rank 3/.test(e.message),
  );
  for (const n of [0, -1, 2.5, '3', undefined]) {
    assert.throws(
      () => sn.layers.repeatVector({ n } as unknown as sn.layers.RepeatVectorOptions),
      (e: Error) =>
        e instanceof sn.ConfigError &&
        /RepeatVector '.*': n must be an integer >= 1/.test(e.message),
    );
  }
  assert.throws(
    () => sn.layers.repeatVector({ n: 2 }).apply(sn.ones([2, 3, 4])),
    (e: Error) =>
      e instanceof sn.ShapeError && /RepeatVector '.*' expected input of rank 2/.test(e.message),
  );
});
