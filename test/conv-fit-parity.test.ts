import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../src/index.js';
import { lcg, assertNear } from './helpers.js';

/**
 * Training parity of small conv models with TensorFlow.js 4.22 (cpu backend): the same
 * initial weights (sinew's, copied into tfjs), the same data, 20 epochs of SGD with weight
 * penalties on conv kernels (depthwise, pointwise, bias too); every epoch's loss and every
 * final weight agree within 1e-5, as |sinew − tfjs| / max(|tfjs|, 1).
 */

const R = sn.regularizers;

before(async () => {
  await tf.setBackend('cpu');
});

function values(shape: readonly number[], seed: number): number[] {
  return Array.from(
    lcg(
      shape.reduce((a, b) => a * b, 1),
      seed,
      -1,
      1,
    ),
  );
}

interface ModelPair {
  name: string;
  inputShape: number[];
  outputs: number;
  sinew: () => sn.Layer[];
  tfjs: () => tf.layers.Layer[];
}

const MODELS: ModelPair[] = [
  {
    name: 'conv2d → separableConv2d → depthwiseConv2d → conv2dTranspose → dense',
    inputShape: [6, 6, 2],
    outputs: 3,
    sinew: () => [
      sn.layers.conv2d({
        filters: 3,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelRegularizer: R.l2(0.01),
        inputShape: [6, 6, 2],
      }),
      sn.layers.separableConv2d({
        filters: 4,
        kernelSize: 3,
        activation: 'tanh',
        depthwiseRegularizer: R.l2(0.02),
        pointwiseRegularizer: R.l1(0.01),
      }),
      sn.layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, activation: 'relu' }),
      sn.layers.conv2dTranspose({
        filters: 2,
        kernelSize: 2,
        strides: 2,
        biasRegularizer: R.l2(0.05),
      }),
      sn.layers.flatten(),
      sn.layers.dense({ units: 3 }),
    ],
    tfjs: () => [
      tf.layers.conv2d({
        filters: 3,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }),
        inputShape: [6, 6, 2],
      }),
      tf.layers.separableConv2d({
        filters: 4,
        kernelSize: 3,
        activation: 'tanh',
        depthwiseRegularizer: tf.regularizers.l2({ l2: 0.02 }),
        pointwiseRegularizer: tf.regularizers.l1({ l1: 0.01 }),
      }),
      tf.layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, activation: 'relu' }),
      tf.layers.conv2dTranspose({
        filters: 2,
        kernelSize: 2,
        strides: 2,
        biasRegularizer: tf.regularizers.l2({ l2: 0.05 }),
      }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3 }),
    ],
  },
  {
    name: 'conv1d → conv1d (stride 2) → dense',
    inputShape: [10, 3],
    outputs: 2,
    sinew: () => [
      sn.layers.conv1d({
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelRegularizer: R.l1(0.01),
        inputShape: [10, 3],
      }),
      sn.layers.conv1d({ filters: 2, kernelSize: 2, strides: 2, activation: 'tanh' }),
      sn.layers.flatten(),
      sn.layers.dense({ units: 2 }),
    ],
    tfjs: () => [
      tf.layers.conv1d({
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelRegularizer: tf.regularizers.l1({ l1: 0.01 }),
        inputShape: [10, 3],
      }),
      tf.layers.conv1d({ filters: 2, kernelSize: 2, strides: 2, activation: 'tanh' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }),
    ],
  },
];

test('fit: 20 epochs of small conv models give the same losses and weights as tfjs', async (t) => {
  const N = 8;
  for (const [i, m] of MODELS.entries()) {
    await t.test(m.name, async () => {
      sn.setSeed(400 + i);
      const ours = sn.sequential({ layers: m.sinew() });
      const theirs = tf.sequential({ layers: m.tfjs() });
      theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
      const initial = ours.getWeights().map((w) => Array.from(w.dataSync()));
      const xShape = [N, ...m.inputShape];
      const x = values(xShape, 500 + i);
      const y = values([N, m.outputs], 600 + i);

      ours.compile({ optimizer: sn.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
      const h1 = await ours.fit(sn.tensor(x, xShape), sn.tensor(y, [N, m.outputs]), {
        epochs: 20,
        batchSize: 4,
        shuffle: false,
        verbose: 0,
      });
      theirs.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
      const h2 = await theirs.fit(tf.tensor(x, xShape), tf.tensor(y, [N, m.outputs]), {
        epochs: 20,
        batchSize: 4,
        shuffle: false,
        verbose: 0,
      });
      assertNear(h1.history.loss!, h2.history.loss as number[], 'loss per epoch');
      const final = ours.getWeights().map((w) => Array.from(w.dataSync()));
      theirs.getWeights().forEach((w, j) => assertNear(final[j]!, w.dataSync(), `weight ${j}`));
      const moved = Math.max(
        ...final.flatMap((w, j) => w.map((v, k) => Math.abs(v - initial[j]![k]!))),
      );
      assert.ok(moved > 1e-3, `the weights barely moved (${moved})`);
    });
  }
});
