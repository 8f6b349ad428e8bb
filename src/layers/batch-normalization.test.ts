import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../index.js';
import { assertClose, smooth } from '../../test/helpers.js';

await tf.setBackend('cpu');

const xRows = [
  [1, 2, -1],
  [3, 0, 2],
  [-2, 4, 0.5],
  [0, 6, 1.5],
];
const gamma = [1.5, 0.5, 2];
const beta = [0.1, -0.2, 0.3];
const movingMean = [0.5, 2, -0.5];
const movingVariance = [2, 4, 0.25];

/** Per-column mean and biased variance, and Keras's normalisation, written out independently. */
function columnStats(rows: number[][]): { mean: number[]; variance: number[] } {
  const n = rows.length;
  const mean = rows[0]!.map((_, j) => rows.reduce((a, r) => a + r[j]!, 0) / n);
  const variance = mean.map((m, j) => rows.reduce((a, r) => a + (r[j]! - m) ** 2, 0) / n);
  return { mean, variance };
}
function normalise(rows: number[][], mean: number[], variance: number[], eps: number): number[][] {
  return rows.map((r) =>
    r.map((v, j) => gamma[j]! * ((v - mean[j]!) / Math.sqrt(variance[j]! + eps)) + beta[j]!),
  );
}

/** A built layer with the fixed gamma, beta and moving statistics. */
function makeLayer(
  options: sn.layers.BatchNormalizationOptions = {},
): sn.layers.BatchNormalization {
  const layer = sn.layers.batchNormalization(options);
  layer.apply(sn.zeros([1, 3]));
  layer.setWeights([
    sn.tensor(gamma),
    sn.tensor(beta),
    sn.tensor(movingMean),
    sn.tensor(movingVariance),
  ]);
  return layer;
}
function makeTfLayer(options: { momentum?: number; epsilon?: number } = {}): tf.layers.Layer {
  const layer = tf.layers.batchNormalization(options);
  layer.apply(tf.zeros([1, 3]));
  layer.setWeights([
    tf.tensor(gamma),
    tf.tensor(beta),
    tf.tensor(movingMean),
    tf.tensor(movingVariance),
  ]);
  return layer;
}

test('batchNormalization: weights gamma, beta (trainable), moving_mean, moving_variance (not)', () => {
  const layer = sn.layers.batchNormalization({ name: 'bn' });
  layer.apply(sn.zeros([2, 3]));
  assert.deepEqual(
    layer.weights.map((w) => [w.name, w.trainable, w.shape]),
    [
      ['bn/gamma', true, [3]],
      ['bn/beta', true, [3]],
      ['bn/moving_mean', false, [3]],
      ['bn/moving_variance', false, [3]],
    ],
  );
  // Keras defaults: gamma 1, beta 0, moving mean 0, moving variance 1.
  assert.deepEqual(
    layer.getWeights().map((w) => Array.from(w.dataSync())),
    [
      [1, 1, 1],
      [0, 0, 0],
      [0, 0, 0],
      [1, 1, 1],
    ],
  );
  const bare = sn.layers.batchNormalization({ center: false, scale: false, name: 'bn_bare' });
  bare.apply(sn.zeros([2, 3]));
  assert.deepEqual(
    bare.weights.map((w) => w.name),
    ['bn_bare/moving_mean', 'bn_bare/moving_variance'],
  );
});

test('batchNormalization: inference uses the moving statistics, same as tf.layers.batchNormalization', () => {
  const ours = makeLayer().apply(sn.tensor(xRows));
  const theirs = makeTfLayer().apply(tf.tensor(xRows)) as tf.Tensor;
  assertClose(ours, Array.from(theirs.dataSync()), 1e-5, [4, 3]);
  assertClose(ours, normalise(xRows, movingMean, movingVariance, 1e-3), 1e-5);
});

test('batchNormalization: axis 1 of a rank-3 input (channels first), by the formula', () => {
  // TensorFlow.js 4.22 (cpu) gives inference values for axis 1 of a rank-3 input that disagree
  // with Keras's formula (checked by hand), so the oracle here is that formula per channel c:
  // γ_c·(x − mean_c)/sqrt(var_c + ε) + β_c.
  const x = sn.randomNormal([2, 3, 4], { seed: 5 });
  const layer = sn.layers.batchNormalization({ axis: 1 });
  layer.apply(x);
  layer.setWeights([
    sn.tensor(gamma),
    sn.tensor(beta),
    sn.tensor(movingMean),
    sn.tensor(movingVariance),
  ]);
  const xs = x.arraySync() as number[][][];
  const expected = xs.map((b) =>
    b.map((row, c) =>
      row.map(
        (v) => gamma[c]! * ((v - movingMean[c]!) / Math.sqrt(movingVariance[c]! + 1e-3)) + beta[c]!,
      ),
    ),
  );
  assertClose(layer.apply(x), expected, 1e-5, [2, 3, 4]);
  // Training: statistics over axes 0 and 2 (8 values per channel) → each channel has mean β.
  const y = layer.apply(x, { training: true });
  assertClose(sn.mean(y, [0, 2]), beta, 1e-5);
});

test("batchNormalization: a training step normalises with the batch statistics and updates the moving ones (Keras's formula)", () => {
  const momentum = 0.9;
  const layer = makeLayer({ momentum });
  const y = layer.apply(sn.tensor(xRows), { training: true });
  const { mean, variance } = columnStats(xRows);
  assertClose(y, normalise(xRows, mean, variance, 1e-3), 1e-5);
  // moving = moving·momentum + batch·(1 − momentum)
  assertClose(
    layer.movingMean!,
    movingMean.map((m, j) => m * momentum + mean[j]! * (1 - momentum)),
    1e-6,
  );
  assertClose(
    layer.movingVariance!,
    movingVariance.map((v, j) => v * momentum + variance[j]! * (1 - momentum)),
    1e-6,
  );
  // TensorFlow.js gives the same output and the same update.
  const tfLayer = makeTfLayer({ momentum });
  const theirs = tfLayer.apply(tf.tensor(xRows), { training: true }) as tf.Tensor;
  assertClose(y, Array.from(theirs.dataSync()), 1e-5);
  const [, , tfMean, tfVar] = tfLayer.getWeights();
  assertClose(layer.movingMean!, Array.from(tfMean!.dataSync()), 1e-6);
  assertClose(layer.movingVariance!, Array.from(tfVar!.dataSync()), 1e-6);
});

test('batchNormalization: moving statistics update once per training call, never at inference or in a symbolic build', () => {
  const momentum = 0.5;
  const layer = makeLayer({ momentum });
  layer.apply(sn.tensor(xRows));
  layer.apply(sn.tensor(xRows), { training: false });
  assertClose(layer.movingMean!, movingMean, 0);
  layer.apply(sn.tensor(xRows), { training: true });
  layer.apply(sn.tensor(xRows), { training: true });
  // Two updates with the same batch: m·0.25 + μ·(1 − 0.25).
  const { mean } = columnStats(xRows);
  assertClose(
    layer.movingMean!,
    movingMean.map((m, j) => m * 0.25 + mean[j]! * 0.75),
    1e-6,
  );

  const symbolic = sn.layers.batchNormalization();
  assert.deepEqual(symbolic.apply(sn.input({ shape: [3] })).shape, [null, 3]);
  assertClose(symbolic.movingMean!, [0, 0, 0], 0);
  assertClose(symbolic.movingVariance!, [1, 1, 1], 0);
});

test('batchNormalization: one trainOnBatch step updates the moving statistics exactly once', () => {
  const bn = sn.layers.batchNormalization({ momentum: 0.5, inputShape: [3] });
  const model = sn.sequential({ layers: [bn] });
  model.compile({ optimizer: sn.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
  model.trainOnBatch(sn.tensor(xRows), sn.zeros([4, 3]));
  const { mean } = columnStats(xRows);
  assertClose(
    bn.movingMean!,
    mean.map((m) => 0 * 0.5 + m * 0.5),
    1e-6,
  ); // initial 0
});

test('batchNormalization: a frozen layer (trainable false) uses the moving statistics in training too (Keras 3)', () => {
  const layer = makeLayer();
  layer.trainable = false;
  const y = layer.apply(sn.tensor(xRows), { training: true });
  assertClose(y, normalise(xRows, movingMean, movingVariance, 1e-3), 1e-5);
  assertClose(layer.movingMean!, movingMean, 0);
});

test('batchNormalization: gradients in training match finite differences and the formulas for gamma, beta', () => {
  const layer = sn.layers.batchNormalization({ dtype: 'float64' });
  sn.testing.gradCheck((x) => layer.apply(x, { training: true }), [smooth([4, 3])], { atol: 1e-5 });
  const x = sn.tensor(xRows, undefined, 'float64');
  const w = smooth([4, 3]);
  const { grads } = sn.valueAndGrads(() => sn.sum(sn.mul(layer.apply(x, { training: true }), w)));
  assert.deepEqual(
    [...grads.keys()].map((v) => v.name),
    [`${layer.name}/gamma`, `${layer.name}/beta`],
  );
  // d/dβ_j = Σ_i w_ij; d/dγ_j = Σ_i x̂_ij·w_ij with x̂ the batch-normalised input.
  const { mean, variance } = columnStats(xRows);
  const ws = w.arraySync() as number[][];
  const xhat = xRows.map((r) => r.map((v, j) => (v - mean[j]!) / Math.sqrt(variance[j]! + 1e-3)));
  assertClose(
    grads.get(layer.beta!)!,
    [0, 1, 2].map((j) => ws.reduce((a, r) => a + r[j]!, 0)),
    1e-9,
  );
  assertClose(
    grads.get(layer.gamma!)!,
    [0, 1, 2].map((j) => ws.reduce((a, r, i) => a + xhat[i]![j]! * r[j]!, 0)),
    1e-9,
  );
});

test('batchNormalization: gamma and beta regularizers and constraints are attached', () => {
  const layer = sn.layers.batchNormalization({
    gammaRegularizer: sn.regularizers.l2(0.1),
    betaRegularizer: sn.regularizers.l1(0.5),
    gammaConstraint: 'nonNeg',
  });
  layer.apply(sn.zeros([2, 3]));
  assert.ok(layer.gamma!.constraint instanceof sn.constraints.NonNeg);
  // gamma ones [3]: 0.1·3 = 0.3; beta zeros: 0.
  assertClose(sn.scalar(layer.losses.reduce((a, t) => a + t.item(), 0)), 0.3, 1e-6);
  layer.gammaRegularizer = sn.regularizers.l2(1); // after build (docs/semantics.md rule 10): 1·3
  assertClose(sn.scalar(layer.losses.reduce((a, t) => a + t.item(), 0)), 3, 1e-6);
});

test('batchNormalization: bad options and inputs are errors naming the layer and shapes', () => {
  const cases: [sn.layers.BatchNormalizationOptions, RegExp][] = [
    [{ momentum: 1.5 }, /momentum must be a number in \[0, 1\]/],
    [{ epsilon: 0 }, /epsilon must be a finite number > 0/],
    [{ axis: 1.5 }, /axis must be an integer/],
    [{ center: 'yes' as unknown as boolean }, /center must be true or false/],
  ];
  for (const [options, pattern] of cases) {
    assert.throws(
      () => sn.layers.batchNormalization(options),
      (e: Error) => e instanceof sn.ConfigError && pattern.test(e.message),
    );
  }
  const layer = sn.layers.batchNormalization({ name: 'bn_err' });
  layer.apply(sn.zeros([2, 3]));
  assert.throws(
    () => layer.apply(sn.zeros([2, 4])),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      /BatchNormalization 'bn_err'/.test(e.message) &&
      /\[2, 4\]/.test(e.message),
  );
  assert.throws(
    () => layer.apply(sn.zeros([2, 3, 3])),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      /built for inputs of rank 2/.test(e.message) &&
      /\[2, 3, 3\]/.test(e.message),
  );
  assert.throws(
    () => sn.layers.batchNormalization({ axis: 3, name: 'bn_axis' }).apply(sn.zeros([2, 3])),
    (e: Error) =>
      e instanceof sn.ConfigError &&
      /BatchNormalization 'bn_axis'/.test(e.message) &&
      /axis 3/.test(e.message),
  );
  assert.throws(
    () => sn.layers.batchNormalization().apply(sn.input({ shape: [null] })),
    (e: Error) => e instanceof sn.ConfigError && /needs a known size along axis -1/.test(e.message),
  );
});

test('batchNormalization: getConfig → JSON → fromConfig round trip', () => {
  const layer = sn.layers.batchNormalization({
    name: 'bn_rt',
    axis: 1,
    momentum: 0.9,
    epsilon: 1e-5,
    center: false,
    gammaInitializer: sn.initializers.constant({ value: 2 }),
    gammaRegularizer: sn.regularizers.l2(0.01),
    gammaConstraint: sn.constraints.nonNeg(),
  });
  const config = JSON.parse(JSON.stringify(layer.getConfig()));
  assert.deepEqual(
    [config.axis, config.momentum, config.epsilon, config.center, config.scale],
    [1, 0.9, 1e-5, false, true],
  );
  assert.equal(config.betaRegularizer, null);
  const copy = sn.layers.BatchNormalization.fromConfig(config);
  assert.ok(copy instanceof sn.layers.BatchNormalization);
  assert.deepEqual(copy.getConfig(), layer.getConfig());
  copy.apply(sn.zeros([2, 3]));
  assertClose(copy.gamma!, [2, 2, 2], 0);
});
