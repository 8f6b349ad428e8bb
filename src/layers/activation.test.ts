import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../index.js';
import { assertClose, smooth } from '../../test/helpers.js';

await tf.setBackend('cpu');

const values = [
  [-2, -0.5, 0, 0.5],
  [1, 2, -3, 4],
];

test('activation: relu by hand (max(x, 0)), shape kept', () => {
  const y = sn.layers.activation({ activation: 'relu' }).apply(sn.tensor(values));
  assertClose(y, [0, 0, 0, 0.5, 1, 2, 0, 4], 0, [2, 4]);
});

test('activation: same outputs as tf.layers.activation for several activations', () => {
  for (const name of ['relu', 'sigmoid', 'tanh', 'softplus', 'elu', 'softmax', 'linear'] as const) {
    const ours = sn.layers.activation({ activation: name }).apply(sn.tensor(values));
    const theirs = tf.layers.activation({ activation: name }).apply(tf.tensor(values)) as tf.Tensor;
    assertClose(ours, Array.from(theirs.dataSync()), 1e-6, theirs.shape);
  }
});

test('activation: gradient through the layer matches finite differences', () => {
  const layer = sn.layers.activation({ activation: 'tanh' });
  sn.testing.gradCheck((x) => layer.apply(x), [smooth([2, 3])]);
});

test('activation: computeOutputShape keeps the shape; symbolic apply', () => {
  const x = sn.input({ shape: [5, 3] });
  const y = sn.layers.activation({ activation: 'relu' }).apply(x);
  assert.deepEqual(y.shape, [null, 5, 3]);
});

test('activation: getConfig → JSON → fromConfig round trip', () => {
  const layer = sn.layers.activation({ activation: 'hard_sigmoid', name: 'act' });
  const config = JSON.parse(JSON.stringify(layer.getConfig()));
  assert.equal(config.activation, 'hard_sigmoid');
  const copy = sn.layers.Activation.fromConfig(config);
  assert.deepEqual(copy.getConfig(), layer.getConfig());
  // hard_sigmoid(x) = relu6(x + 3) / 6: at x = 1, 4/6.
  assertClose(copy.apply(sn.tensor([[1]])), [4 / 6], 1e-6);
});

test('activation: missing or unknown activation is a ConfigError', () => {
  assert.throws(
    () => sn.layers.activation({} as sn.layers.ActivationOptions),
    (e: Error) => e instanceof sn.ConfigError && /activation option is required/.test(e.message),
  );
  assert.throws(
    () => sn.layers.activation({ activation: 'relux' }),
    (e: Error) => e instanceof sn.ConfigError && /relux/.test(e.message) && /relu/.test(e.message),
  );
});
