import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../index.js';
import { assertClose, lcg, smooth } from '../../test/helpers.js';

await tf.setBackend('cpu');

const SHAPE = [3, 2, 4];
// Away from 0, where relu's derivative is a matter of convention.
const X = Array.from(lcg(24, 3, -2, 2)).map((v) => (Math.abs(v) < 0.05 ? v + 0.1 : v));

function pair(sharedAxes: number[] | undefined) {
  const alphaShape = SHAPE.slice(1).map((d, i) => (sharedAxes?.includes(i + 1) ? 1 : d));
  const alpha = Array.from(
    lcg(
      alphaShape.reduce((a, b) => a * b, 1),
      4,
      0.05,
      0.6,
    ),
  );
  const ours = sn.layers.prelu({
    name: 'pr',
    alphaRegularizer: sn.regularizers.l2(0.1),
    ...(sharedAxes && { sharedAxes }),
  });
  ours.apply(sn.tensor(X, SHAPE));
  ours.setWeights([sn.tensor(alpha, alphaShape)]);
  const theirs = tf.layers.prelu(sharedAxes ? { sharedAxes } : {});
  theirs.apply(tf.tensor(X, SHAPE));
  theirs.setWeights([tf.tensor(alpha, alphaShape)]);
  return { ours, theirs, alpha, alphaShape };
}

test('prelu: alpha has the input shape without the batch, shared axes collapsed; zeros at first', () => {
  const layer = sn.layers.prelu({ sharedAxes: [1] });
  const y = layer.apply(sn.tensor(X, SHAPE));
  assert.deepEqual(
    layer.weights.map((w) => [w.name, w.shape]),
    [[`${layer.name}/alpha`, [1, 4]]],
  );
  // alpha 0: a relu.
  assertClose(
    y,
    X.map((v) => Math.max(v, 0)),
    0,
  );
  assert.deepEqual(sn.layers.prelu({ sharedAxes: 2 }).sharedAxes, [2]);
});

test('prelu: same outputs as tfjs, with and without shared axes', () => {
  for (const shared of [undefined, [1], [1, 2]]) {
    const { ours, theirs } = pair(shared);
    const want = theirs.apply(tf.tensor(X, SHAPE)) as tf.Tensor;
    assertClose(ours.apply(sn.tensor(X, SHAPE)), Array.from(want.dataSync()), 1e-6, SHAPE);
  }
});

test('prelu: gradients of a loss with the alpha penalty match tfjs; the penalty is <layer>/alpha', () => {
  for (const shared of [undefined, [1]]) {
    const { ours, theirs, alpha } = pair(shared);
    const w = Array.from(lcg(24, 9, -1, 1));
    const xv = sn.variable(sn.tensor(X, SHAPE));
    const a = ours.trainableWeights[0]!;
    const { value, grads } = sn.valueAndGrads(
      () => sn.add(sn.sum(sn.mul(ours.apply(xv), sn.tensor(w, SHAPE))), sn.addN(ours.losses)),
      [xv, a],
    );
    const txv = tf.variable(tf.tensor(X, SHAPE));
    const ta = theirs.trainableWeights[0]!.read() as tf.Variable;
    const expected = tf.variableGrads(
      () =>
        tf.add(
          tf.sum(tf.mul(theirs.apply(txv) as tf.Tensor, tf.tensor(w, SHAPE))),
          tf.regularizers.l2({ l2: 0.1 }).apply(ta),
        ) as tf.Scalar,
      [txv, ta],
    );
    assertClose(value, expected.value.dataSync()[0]!, 1e-5);
    assertClose(grads.get(xv)!, Array.from(expected.grads[txv.name]!.dataSync()), 1e-5);
    assertClose(grads.get(a)!, Array.from(expected.grads[ta.name]!.dataSync()), 1e-5);
    const terms = ours.lossTerms();
    assert.deepEqual(
      terms.map((t) => t.name),
      ['pr/alpha'],
    );
    assertClose(terms[0]!.value, 0.1 * alpha.reduce((s, v) => s + v * v, 0), 1e-6);
    ours.trainable = false;
    assert.deepEqual(ours.lossTerms(), [], 'a frozen layer is not penalised');
  }
});

test('prelu: gradient by finite differences in float64', () => {
  const layer = sn.layers.prelu({
    sharedAxes: [2],
    alphaInitializer: sn.initializers.constant({ value: 0.2 }),
    dtype: 'float64',
  });
  sn.testing.gradCheck((t) => sn.mul(layer.apply(t), smooth([2, 3, 2])), [smooth([2, 3, 2])]);
});

test('prelu: bad options and inputs are typed errors naming the layer', () => {
  for (const sharedAxes of [0, [1.5], ['1'], -1]) {
    assert.throws(
      () => sn.layers.prelu({ sharedAxes: sharedAxes as number[] }),
      (e: Error) =>
        e instanceof sn.ConfigError && /PReLU '.*': sharedAxes must be an axis/.test(e.message),
    );
  }
  assert.throws(
    () => sn.layers.prelu({ alphaInitializer: 'zeroes' }),
    (e: Error) => e instanceof sn.ConfigError && /zeroes/.test(e.message),
  );
  assert.throws(
    () => sn.layers.prelu({ sharedAxes: [3] }).apply(sn.ones([2, 3, 4])),
    (e: Error) =>
      e instanceof sn.SinewError && /sharedAxes has axis 3, beyond input shape/.test(e.message),
  );
  const built = sn.layers.prelu({ sharedAxes: [1] });
  built.apply(sn.ones([2, 3, 4]));
  assert.throws(
    () => built.apply(sn.ones([2, 3, 5])),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      /PReLU '.*' expected input with dimension 2 4, received shape \[2, 3, 5\]/.test(e.message),
  );
});
