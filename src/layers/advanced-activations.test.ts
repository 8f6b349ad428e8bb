import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../index.js';
import { assertClose, smooth } from '../../test/helpers.js';

await tf.setBackend('cpu');

const XS = [-3, -1, -0.5, 0, 0.5, 1, 2, 5, 8];
const x = () => sn.tensor([XS]);
const txs = () => tf.tensor([XS]);

/** Same values as a tfjs layer on the same input, within 1e-6. */
function sameAsTfjs(ours: sn.Layer, theirs: tf.layers.Layer, input: number[][]): void {
  const got = ours.apply(sn.tensor(input));
  const want = theirs.apply(tf.tensor(input)) as tf.Tensor;
  assertClose(got, Array.from(want.dataSync()), 1e-6, want.shape);
}

test('leakyReLU: default slope 0.3, as Keras and tfjs; any alpha as tfjs', () => {
  assertClose(
    sn.layers.leakyReLU().apply(x()),
    XS.map((v) => (v >= 0 ? v : 0.3 * v)),
  );
  sameAsTfjs(sn.layers.leakyReLU(), tf.layers.leakyReLU(), [XS]);
  sameAsTfjs(sn.layers.leakyReLU({ alpha: 0.05 }), tf.layers.leakyReLU({ alpha: 0.05 }), [XS]);
});

test('leakyReLU: a Keras 3 config (negative_slope) loads as alpha', () => {
  const layer = sn.layers.LeakyReLU.fromConfig({ name: 'lr', negativeSlope: 0.1 });
  assert.equal(layer.alpha, 0.1);
});

test('elu: alpha 1 as tfjs; other alphas by the formula (tfjs refuses alpha ≠ 1, Keras takes any)', () => {
  sameAsTfjs(sn.layers.elu(), tf.layers.elu(), [XS]);
  assertClose(
    sn.layers.elu({ alpha: 0.5 }).apply(x()),
    XS.map((v) => (v > 0 ? v : 0.5 * Math.expm1(v))),
  );
  assert.throws(() => tf.layers.elu({ alpha: 0.5 }), /not supported/);
});

test('reLU: maxValue as tfjs; negativeSlope and threshold by Keras 3 (tfjs has neither)', () => {
  sameAsTfjs(sn.layers.reLU(), tf.layers.reLU(), [XS]);
  sameAsTfjs(sn.layers.reLU({ maxValue: 1.5 }), tf.layers.reLU({ maxValue: 1.5 }), [XS]);
  // Keras: min(relu(x), max) − slope·relu(−x).
  assertClose(
    sn.layers.reLU({ maxValue: 6, negativeSlope: 0.1 }).apply(x()),
    [-0.3, -0.1, -0.05, 0, 0.5, 1, 2, 5, 6],
  );
  // threshold 1, slope 0.5: x above 1, 0.5·(x − 1) at or below.
  assertClose(
    sn.layers.reLU({ threshold: 1, negativeSlope: 0.5 }).apply(x()),
    [-2, -1, -0.75, -0.5, -0.25, 0, 2, 5, 8],
  );
  // threshold −1, slope 0.2: x above −1, 0.2·(x + 1) at or below.
  assertClose(
    sn.layers.reLU({ threshold: -1, negativeSlope: 0.2 }).apply(x()),
    [-0.4, 0, -0.5, 0, 0.5, 1, 2, 5, 8],
  );
  // Keras's composition with a negative threshold and a maxValue clips (−1, 0) to 0.
  assertClose(
    sn.layers.reLU({ threshold: -1, maxValue: 4 }).apply(x()),
    [0, 0, 0, 0, 0.5, 1, 2, 4, 4],
  );
  // tfjs ignores negativeSlope: its layer is a plain relu there.
  const theirs = tf.layers.reLU({ negativeSlope: 0.1 } as unknown as { maxValue: number });
  assert.equal((theirs.apply(txs()) as tf.Tensor).dataSync()[0], 0);
});

test('reLU: gradient by finite differences (away from the kinks)', () => {
  const layer = sn.layers.reLU({ maxValue: 1.2, negativeSlope: 0.3, threshold: 0.2 });
  sn.testing.gradCheck(
    (t) => layer.apply(t),
    [sn.tensor([-1.3, -0.4, 0.55, 0.9, 2.1, 0.05], [2, 3], 'float64')],
  );
});

test('softmax: axis −1 by default (Keras; tfjs defaults to axis 1), any axis and axis lists', () => {
  const input = [
    [
      [0.1, 2, -1],
      [0.5, 0.3, 0.2],
    ],
    [
      [1, 1, 1],
      [-2, 0, 2],
    ],
  ];
  const t = tf.tensor(input);
  const ours = (o: sn.layers.SoftmaxOptions) => sn.layers.softmax(o).apply(sn.tensor(input));
  assertClose(ours({}), Array.from(tf.softmax(t, -1).dataSync()), 1e-6);
  assertClose(
    ours({ axis: 2 }),
    Array.from((tf.layers.softmax({ axis: 2 }).apply(t) as tf.Tensor).dataSync()),
    1e-6,
  );
  // Axis 1, against tfjs's softmax on the transposed input.
  const middle = tf.transpose(tf.softmax(tf.transpose(t, [0, 2, 1])), [0, 2, 1]);
  assertClose(ours({ axis: 1 }), Array.from(middle.dataSync()), 1e-6);
  // tfjs's layer defaults to axis 1 (and its op refuses a non-last axis): sinew follows Keras.
  assert.throws(() => tf.layers.softmax().apply(t), /non-last dimension/);
  // Over axes [1, 2]: each sample's six values sum to 1.
  const both = Array.from(ours({ axis: [1, 2] }).dataSync());
  const flat = input.map((s) => s.flat());
  const expected = flat.flatMap((row) => {
    const z = row.reduce((a, v) => a + Math.exp(v), 0);
    return row.map((v) => Math.exp(v) / z);
  });
  assertClose(sn.tensor(both), expected, 1e-6);
});

test('softmax: gradient by finite differences', () => {
  const layer = sn.layers.softmax({ axis: [0, 1] });
  sn.testing.gradCheck((t) => sn.mul(layer.apply(t), smooth([2, 3])), [smooth([2, 3])]);
});

test('activation layers: a bad option is a ConfigError naming the layer and the option', () => {
  const cases: [() => unknown, RegExp][] = [
    [
      () => sn.layers.leakyReLU({ alpha: -0.1 }),
      /LeakyReLU '.*': alpha must be .*>= 0, received -0\.1/,
    ],
    [() => sn.layers.leakyReLU({ alpha: '0.1' as unknown as number }), /alpha must be/],
    [
      () => sn.layers.elu({ alpha: Number.NaN }),
      /ELU '.*': alpha must be a finite number, received NaN/,
    ],
    [() => sn.layers.reLU({ maxValue: -1 }), /ReLU '.*': maxValue must be .*>= 0, received -1/],
    [() => sn.layers.reLU({ negativeSlope: -0.5 }), /negativeSlope must be .*>= 0/],
    [() => sn.layers.reLU({ threshold: Infinity }), /threshold must be a finite number/],
    [() => sn.layers.softmax({ axis: 1.5 }), /Softmax '.*': axis must be an integer/],
    [() => sn.layers.softmax({ axis: [] }), /axis must be an integer or a non-empty array/],
  ];
  for (const [f, message] of cases)
    assert.throws(f, (e: Error) => e instanceof sn.ConfigError && message.test(e.message));
});
