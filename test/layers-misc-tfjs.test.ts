import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../src/index.js';
import { lcg, assertNear } from './helpers.js';
import { tfjsReader, tfjsSave } from './fixtures/tfjs-files.js';

/**
 * The misc layers of issue 12 part D1 against TensorFlow.js 4.22 (cpu backend): 20 epochs of
 * fit of small models with layerNormalization and prelu (their gamma, beta and alpha
 * penalised) give the same losses and weights as tfjs from the same starting weights, and
 * model files with every one of these layers tfjs has load in tfjs (and tfjs's in sinew)
 * and predict the same. Single-layer values and gradients are compared beside each layer
 * (src/layers/*.test.ts). Where tfjs deviates from Keras, those tests show it: softmax's
 * default axis (tfjs 1, Keras −1), ELU's alpha (tfjs refuses ≠ 1), ReLU's negativeSlope and
 * threshold (tfjs has neither), alpha dropout's dropped value (tfjs's sign slip).
 */

before(async () => {
  await tf.setBackend('cpu');
});

const N = 8;
const EPOCHS = 20;
const TOL = 1e-5;

/** |a − e| / max(|e|, 1) over the elements, as test/tfjs-parity.test.ts. */
function worst(actual: readonly number[], expected: readonly number[]): number {
  assert.equal(actual.length, expected.length);
  return actual.reduce((w, a, i) => {
    const e = expected[i]!;
    return Math.max(w, Number.isNaN(a) ? Infinity : Math.abs(a - e) / Math.max(Math.abs(e), 1));
  }, 0);
}

interface Pair {
  ours: sn.Sequential;
  theirs: tf.Sequential;
  inputShape: number[];
}

async function fitBoth({ ours, theirs, inputShape }: Pair, what: string): Promise<void> {
  theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
  const initial = ours.getWeights().map((w) => Array.from(w.dataSync()));
  const size = inputShape.reduce((a, b) => a * b, 1);
  const x = Array.from(lcg(N * size, 21, -1.5, 1.5));
  const y = Array.from(lcg(N * 3, 22, -1, 1));
  ours.compile({ optimizer: sn.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
  const ourHistory = await ours.fit(sn.tensor(x, [N, ...inputShape]), sn.tensor(y, [N, 3]), {
    epochs: EPOCHS,
    batchSize: N,
    shuffle: false,
    verbose: 0,
  });
  theirs.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
  const theirHistory = await theirs.fit(tf.tensor(x, [N, ...inputShape]), tf.tensor(y, [N, 3]), {
    epochs: EPOCHS,
    batchSize: N,
    shuffle: false,
    verbose: 0,
  });
  const lossGap = worst(ourHistory.history.loss!, theirHistory.history.loss as number[]);
  assert.ok(lossGap <= TOL, `${what}: losses differ by ${lossGap}`);
  const ourWeights = ours.getWeights().map((w) => Array.from(w.dataSync()));
  const theirWeights = theirs.getWeights().map((w) => Array.from(w.dataSync()));
  ourWeights.forEach((w, i) => {
    const gap = worst(w, theirWeights[i]!);
    assert.ok(gap <= TOL, `${what}: weight ${ours.weights[i]!.name} differs by ${gap}`);
    const moved = Math.max(...w.map((v, j) => Math.abs(v - initial[i]![j]!)));
    assert.ok(moved > 1e-3, `${what}: weight ${ours.weights[i]!.name} barely moved (${moved})`);
  });
  const reg = ourHistory.history.regularization_loss!;
  assert.ok(
    reg.every((r) => r > 0),
    `${what}: the penalties are part of the loss`,
  );
}

test('20 epochs: dense → layerNormalization → prelu → dense, penalties on gamma, beta, alpha', async () => {
  sn.setSeed(31);
  const ours = sn.sequential({
    layers: [
      sn.layers.dense({ units: 8, inputShape: [6] }),
      sn.layers.layerNormalization({
        gammaRegularizer: sn.regularizers.l2(0.05),
        betaRegularizer: sn.regularizers.l1(0.02),
        betaInitializer: sn.initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed: 2 }),
      }),
      sn.layers.prelu({
        alphaRegularizer: sn.regularizers.l2(0.1),
        alphaInitializer: sn.initializers.constant({ value: 0.25 }),
      }),
      sn.layers.dense({ units: 3 }),
    ],
  });
  const theirs = tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, inputShape: [6] }),
      tf.layers.layerNormalization({
        gammaRegularizer: tf.regularizers.l2({ l2: 0.05 }),
        betaRegularizer: tf.regularizers.l1({ l1: 0.02 }),
      }),
      tf.layers.prelu({ alphaRegularizer: tf.regularizers.l2({ l2: 0.1 }) }),
      tf.layers.dense({ units: 3 }),
    ],
  });
  await fitBoth({ ours, theirs, inputShape: [6] }, 'dense stack');
});

test('20 epochs: permute → layerNormalization over [1, 2] → shared-axis prelu → flatten → dense', async () => {
  sn.setSeed(32);
  const ours = sn.sequential({
    layers: [
      sn.layers.permute({ dims: [2, 1], inputShape: [4, 3] }),
      sn.layers.layerNormalization({
        axis: [1, 2],
        gammaRegularizer: sn.regularizers.l1l2({ l1: 0.01, l2: 0.02 }),
        gammaInitializer: sn.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: 3 }),
      }),
      sn.layers.prelu({
        sharedAxes: [1],
        alphaRegularizer: sn.regularizers.l1(0.05),
        alphaInitializer: sn.initializers.randomUniform({ minval: 0.1, maxval: 0.4, seed: 4 }),
      }),
      sn.layers.flatten(),
      sn.layers.dense({ units: 3 }),
    ],
  });
  const theirs = tf.sequential({
    layers: [
      tf.layers.permute({ dims: [2, 1], inputShape: [4, 3] }),
      tf.layers.layerNormalization({
        axis: [1, 2],
        gammaRegularizer: tf.regularizers.l1l2({ l1: 0.01, l2: 0.02 }),
      }),
      tf.layers.prelu({ sharedAxes: [1], alphaRegularizer: tf.regularizers.l1({ l1: 0.05 }) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3 }),
    ],
  });
  await fitBoth({ ours, theirs, inputShape: [4, 3] }, 'sequence stack');
});

// ---------------------------------------------------------------------------------------------
// Model files, both directions (the helpers of test/io-tfjs.test.ts, in short).

const INPUT = [4, 6];
const xs = Array.from(lcg(3 * 24, 5, -2, 2));

/** Every misc layer tfjs has, in one stack ([batch, 4, 6] → [batch, 2, 3]). */
function sinewStack(): sn.Sequential {
  return sn.sequential({
    layers: [
      sn.layers.permute({ dims: [2, 1], inputShape: INPUT }),
      sn.layers.layerNormalization({ betaInitializer: sn.initializers.constant({ value: 0.1 }) }),
      sn.layers.spatialDropout1d({ rate: 0.3 }),
      sn.layers.gaussianDropout({ rate: 0.2 }),
      sn.layers.alphaDropout({ rate: 0.1 }),
      sn.layers.prelu({
        sharedAxes: [1],
        alphaInitializer: sn.initializers.constant({ value: 0.2 }),
      }),
      sn.layers.leakyReLU({ alpha: 0.1 }),
      sn.layers.elu(),
      sn.layers.reLU({ maxValue: 1.5 }),
      sn.layers.softmax({ axis: -1 }),
      sn.layers.flatten(),
      sn.layers.dense({ units: 3 }),
      sn.layers.repeatVector({ n: 2 }),
    ],
  });
}

function tfjsStack(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.permute({ dims: [2, 1], inputShape: INPUT }),
      tf.layers.layerNormalization({ betaInitializer: tf.initializers.constant({ value: 0.1 }) }),
      tf.layers.spatialDropout1d({ rate: 0.3 }),
      tf.layers.gaussianDropout({ rate: 0.2 }),
      tf.layers.alphaDropout({ rate: 0.1 }),
      tf.layers.prelu({
        sharedAxes: [1],
        alphaInitializer: tf.initializers.constant({ value: 0.2 }),
      }),
      tf.layers.leakyReLU({ alpha: 0.1 }),
      tf.layers.elu(),
      tf.layers.reLU({ maxValue: 1.5 }),
      tf.layers.softmax({ axis: -1 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3 }),
      tf.layers.repeatVector({ n: 2 }),
    ],
  });
}

const CLASSES = [
  'Permute',
  'LayerNormalization',
  'SpatialDropout1D',
  'GaussianDropout',
  'AlphaDropout',
  'PReLU',
  'LeakyReLU',
  'ELU',
  'ReLU',
  'Softmax',
  'Flatten',
  'Dense',
  'RepeatVector',
];

test('a sinew model with every misc layer tfjs has loads in tfjs and predicts the same', async () => {
  sn.setSeed(7);
  const model = sinewStack();
  const dir = await mkdtemp(join(tmpdir(), 'sinew-misc-'));
  try {
    const warnings: string[] = [];
    await sn.io.save(model, `file://${dir}`, { onWarning: (w: string) => warnings.push(w) });
    assert.deepEqual(warnings, []);
    const theirs = await tf.loadLayersModel(tfjsReader(dir));
    assert.deepEqual(
      theirs.layers.map((l) => l.getClassName()),
      CLASSES,
    );
    const ours = model.predict(sn.tensor(xs, [3, ...INPUT])) as sn.Tensor;
    const want = theirs.predict(tf.tensor(xs, [3, ...INPUT])) as tf.Tensor;
    assert.deepEqual(ours.shape, want.shape);
    assertNear(ours.dataSync(), want.dataSync(), 'sinew → tfjs', 1e-6);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a tfjs model with every misc layer it has loads in sinew and predicts the same', async () => {
  const model = tfjsStack();
  const dir = await mkdtemp(join(tmpdir(), 'sinew-misc-'));
  try {
    await tfjsSave(model, dir);
    // Every key tfjs writes is one sinew reads or knows to ignore: no warning.
    const warned: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warned.push(args);
    let ours: sn.Model;
    try {
      ours = await sn.io.load(dir);
    } finally {
      console.warn = warn;
    }
    assert.deepEqual(warned, []);
    assert.deepEqual(
      ours.layers.map((l) => l.className),
      CLASSES,
    );
    const got = ours.predict(sn.tensor(xs, [3, ...INPUT])) as sn.Tensor;
    const want = model.predict(tf.tensor(xs, [3, ...INPUT])) as tf.Tensor;
    assertNear(got.dataSync(), want.dataSync(), 'tfjs → sinew', 1e-6);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('spatialDropout2d, which tfjs lacks, saves and loads in sinew format with a warning for tfjs', async () => {
  sn.setSeed(8);
  const model = sn.sequential({
    layers: [
      sn.layers.spatialDropout2d({
        rate: 0.4,
        dataFormat: 'channelsFirst',
        seed: 3,
        inputShape: [2, 3, 3],
      }),
      sn.layers.reLU({ negativeSlope: 0.2, threshold: 0.1 }),
      sn.layers.flatten(),
      sn.layers.dense({ units: 2 }),
    ],
  });
  const dir = await mkdtemp(join(tmpdir(), 'sinew-misc-'));
  try {
    const warnings: string[] = [];
    await sn.io.save(model, dir, { onWarning: (w: string) => warnings.push(w) });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /SpatialDropout2D/);
    const back = await sn.io.load(dir);
    const layer = back.layers[0] as sn.layers.SpatialDropout2D;
    assert.equal(layer.dataFormat, 'channelsFirst');
    assert.equal(layer.seed, 3);
    const x = sn.tensor(Array.from(lcg(36, 2, -1, 1)), [2, 2, 3, 3]);
    assert.deepEqual(
      Array.from((back.predict(x) as sn.Tensor).dataSync()),
      Array.from((model.predict(x) as sn.Tensor).dataSync()),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
