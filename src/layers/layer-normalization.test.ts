import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../index.js';
import { assertClose, lcg, smooth } from '../../test/helpers.js';

await tf.setBackend('cpu');

const SHAPE = [3, 2, 4];
const X = Array.from(lcg(24, 5, -2, 2));

/** Our layer and tfjs's with the same (non-trivial) gamma and beta, both built. */
function pair(axis: number | number[], regularized: boolean) {
  const sizes = (typeof axis === 'number' ? [axis] : axis).map((a) => SHAPE.at(a)!);
  const n = sizes.reduce((a, b) => a * b, 1);
  const gamma = Array.from(lcg(n, 7, 0.5, 1.5));
  const beta = Array.from(lcg(n, 8, -0.5, 0.5));
  const ours = sn.layers.layerNormalization({
    axis,
    name: 'ln',
    ...(regularized && {
      gammaRegularizer: sn.regularizers.l2(0.05),
      betaRegularizer: sn.regularizers.l1(0.02),
    }),
  });
  ours.apply(sn.tensor(X, SHAPE));
  ours.setWeights([sn.tensor(gamma, sizes), sn.tensor(beta, sizes)]);
  const theirs = tf.layers.layerNormalization({ axis });
  theirs.apply(tf.tensor(X, SHAPE));
  theirs.setWeights([tf.tensor(gamma, sizes), tf.tensor(beta, sizes)]);
  return { ours, theirs, gamma, beta };
}

test('layerNormalization: same outputs as tfjs over the last axis and over axes [1, 2]', () => {
  for (const axis of [-1, [1, 2], 1]) {
    const { ours, theirs } = pair(axis, false);
    const want = theirs.apply(tf.tensor(X, SHAPE)) as tf.Tensor;
    assertClose(ours.apply(sn.tensor(X, SHAPE)), Array.from(want.dataSync()), 1e-5, SHAPE);
  }
});

test('layerNormalization: by hand, each sample has mean beta and the scale gamma', () => {
  const layer = sn.layers.layerNormalization({ epsilon: 1e-12 });
  const y = layer.apply(sn.tensor([[1, 2, 3, 4]]));
  // mean 2.5, variance 1.25
  const s = Math.sqrt(1.25);
  assertClose(y, [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s], 1e-6);
  assert.deepEqual(
    layer.weights.map((w) => [w.name, w.shape]),
    [
      [`${layer.name}/gamma`, [4]],
      [`${layer.name}/beta`, [4]],
    ],
  );
});

test('layerNormalization: gradients of a loss with gamma and beta penalties match tfjs', () => {
  for (const axis of [-1, [1, 2]]) {
    const { ours, theirs, gamma, beta } = pair(axis, true);
    const w = Array.from(lcg(24, 9, -1, 1));
    const xv = sn.variable(sn.tensor(X, SHAPE));
    const [g, b] = ours.trainableWeights;
    const { value, grads } = sn.valueAndGrads(
      () => sn.add(sn.sum(sn.mul(ours.apply(xv), sn.tensor(w, SHAPE))), sn.addN(ours.losses)),
      [xv, g!, b!],
    );
    const txv = tf.variable(tf.tensor(X, SHAPE));
    const [tg, tb] = theirs.trainableWeights.map((v) => v.read() as tf.Variable);
    const tfLoss = () =>
      tf.addN([
        tf.sum(tf.mul(theirs.apply(txv) as tf.Tensor, tf.tensor(w, SHAPE))),
        tf.regularizers.l2({ l2: 0.05 }).apply(tg!),
        tf.regularizers.l1({ l1: 0.02 }).apply(tb!),
      ]) as tf.Scalar;
    const expected = tf.variableGrads(tfLoss, [txv, tg!, tb!]);
    assertClose(value, expected.value.dataSync()[0]!, 1e-5);
    assertClose(grads.get(xv)!, Array.from(expected.grads[txv.name]!.dataSync()), 1e-5);
    assertClose(grads.get(g!)!, Array.from(expected.grads[tg!.name]!.dataSync()), 1e-5);
    assertClose(grads.get(b!)!, Array.from(expected.grads[tb!.name]!.dataSync()), 1e-5);
    // The penalties are named after the weights, with hand-computed values.
    const terms = Object.fromEntries(ours.lossTerms().map((t) => [t.name, t.value.item()]));
    assert.deepEqual(Object.keys(terms), ['ln/gamma', 'ln/beta']);
    assertClose(sn.scalar(terms['ln/gamma']!), 0.05 * gamma.reduce((a, v) => a + v * v, 0), 1e-6);
    assertClose(
      sn.scalar(terms['ln/beta']!),
      0.02 * beta.reduce((a, v) => a + Math.abs(v), 0),
      1e-6,
    );
  }
});

test('layerNormalization: a frozen layer is not penalised (SEMANTICS rule 12)', () => {
  const { ours } = pair(-1, true);
  assert.equal(ours.losses.length, 2);
  ours.trainable = false;
  assert.equal(ours.losses.length, 0);
});

test('layerNormalization: gradient by finite differences in float64, no center or scale too', () => {
  for (const options of [{ axis: [1, 2] }, { center: false, scale: false, epsilon: 0.1 }]) {
    const layer = sn.layers.layerNormalization({ ...options, dtype: 'float64' });
    sn.testing.gradCheck((t) => sn.mul(layer.apply(t), smooth([2, 3, 2])), [smooth([2, 3, 2])]);
  }
});

test('layerNormalization: bad options and inputs are typed errors naming the layer', () => {
  const config: [sn.layers.LayerNormalizationOptions, RegExp][] = [
    [{ axis: 1.5 }, /LayerNormalization '.*': axis must be an integer or a non-empty array/],
    [{ axis: [] }, /axis must be an integer or a non-empty array/],
    [{ epsilon: 0 }, /epsilon must be a finite number > 0, received 0/],
    [{ center: 'yes' as unknown as boolean }, /center must be true or false/],
    [{ scale: 1 as unknown as boolean }, /scale must be true or false/],
    [{ gammaRegularizer: 'l3' as 'l2' }, /l3/],
  ];
  for (const [options, message] of config) {
    assert.throws(
      () => sn.layers.layerNormalization(options),
      (e: Error) => e instanceof sn.ConfigError && message.test(e.message),
      JSON.stringify(options),
    );
  }
  const x = sn.ones([2, 3]);
  assert.throws(
    () => sn.layers.layerNormalization({ axis: 2 }).apply(x),
    (e: Error) =>
      e instanceof sn.SinewError &&
      /axis 2 names 2, which is not an axis of input shape \[null, 3\]/.test(e.message),
  );
  assert.throws(
    () => sn.layers.layerNormalization({ axis: [1, -1] }).apply(x),
    (e: Error) => e instanceof sn.SinewError && /repeats an axis/.test(e.message),
  );
  const built = sn.layers.layerNormalization();
  built.apply(x);
  assert.throws(
    () => built.apply(sn.ones([2, 4])),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      /LayerNormalization '.*' expected input with dimension 1 3, received shape \[2, 4\]/.test(
        e.message,
      ),
  );
});

test('layerNormalization: a Keras 3 config with rms_scaling false loads; true is refused', () => {
  const layer = sn.layers.LayerNormalization.fromConfig({
    name: 'k3',
    axis: -1,
    rmsScaling: false,
  });
  assert.equal(layer.epsilon, 1e-3);
  assert.throws(
    () => sn.layers.LayerNormalization.fromConfig({ name: 'k3', rmsScaling: true }),
    (e: Error) =>
      e instanceof sn.ConfigError &&
      /'k3': rms_scaling true \(Keras 3\) is not supported/.test(e.message),
  );
});
