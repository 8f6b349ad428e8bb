import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../src/index.js';
import { lcg, assertNear } from './helpers.js';
import { tfjsReader, tfjsSave } from './fixtures/tfjs-files.js';

/**
 * Model files with convolution layers (test/io-tfjs.test.ts's pattern): a sinew model saved
 * with sn.io.save loads back in sinew and in TensorFlow.js 4.22 (tf.loadLayersModel, cpu
 * backend) and predicts the same within 1e-5; a conv model made and saved by TensorFlow.js
 * loads in sinew and predicts the same. TensorFlow.js has no file:// handler without
 * tfjs-node, so its side reads and writes the files through a tiny IOHandler.
 */

const quiet = { onWarning: () => {} };

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

/** Non-zero biases, so a bias on the wrong axis or a dropped bias shows. */
function randomizeBiases(model: sn.Model, seed: number): void {
  for (const w of model.weights) {
    if (w.shortName === 'bias') w.assign(sn.tensor(values(w.shape, seed++)));
  }
}

interface Spec {
  name: string;
  inputShape: number[];
  layers: () => sn.Layer[];
}

const SPECS: Spec[] = [
  {
    name: 'conv1d (same, dilated) → conv1d (stride 2) → flatten → dense',
    inputShape: [9, 2],
    layers: () => [
      sn.layers.conv1d({
        filters: 3,
        kernelSize: 3,
        padding: 'same',
        dilationRate: 2,
        activation: 'relu',
        kernelRegularizer: sn.regularizers.l2(0.01),
        inputShape: [9, 2],
      }),
      sn.layers.conv1d({ filters: 2, kernelSize: 2, strides: 2, activation: 'tanh' }),
      sn.layers.flatten(),
      sn.layers.dense({ units: 2 }),
    ],
  },
  {
    name: 'conv2d → separableConv2d → depthwiseConv2d → conv2dTranspose',
    inputShape: [7, 6, 3],
    layers: () => [
      sn.layers.conv2d({
        filters: 4,
        kernelSize: [3, 2],
        strides: [2, 1],
        padding: 'same',
        activation: 'relu',
        inputShape: [7, 6, 3],
      }),
      sn.layers.separableConv2d({
        filters: 3,
        kernelSize: 2,
        depthMultiplier: 2,
        activation: 'elu',
        depthwiseRegularizer: sn.regularizers.l1(0.01),
        pointwiseRegularizer: sn.regularizers.l2(0.02),
      }),
      sn.layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, padding: 'same' }),
      sn.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, activation: 'sigmoid' }),
    ],
  },
  {
    name: 'channelsFirst conv2d → conv2d (dilated)',
    inputShape: [2, 8, 8],
    layers: () => [
      sn.layers.conv2d({
        filters: 3,
        kernelSize: 3,
        dataFormat: 'channelsFirst',
        inputShape: [2, 8, 8],
        biasRegularizer: sn.regularizers.l1l2({ l1: 0.01, l2: 0.02 }),
      }),
      sn.layers.conv2d({ filters: 2, kernelSize: 2, dilationRate: 2, dataFormat: 'channelsFirst' }),
    ],
  },
];

test('conv models: sn.io.save → sn.io.load and → tf.loadLayersModel predict the same', async (t) => {
  for (const [i, spec] of SPECS.entries()) {
    await t.test(spec.name, async () => {
      sn.setSeed(10 + i);
      const model = sn.sequential({ layers: spec.layers() });
      randomizeBiases(model, 20 + i);
      const shape = [3, ...spec.inputShape];
      const x = values(shape, 30 + i);
      const expected = (model.predict(sn.tensor(x, shape)) as sn.Tensor).dataSync();
      const dir = await mkdtemp(join(tmpdir(), 'sinew-conv-io-'));
      try {
        const warnings: string[] = [];
        await sn.io.save(model, dir, { onWarning: (w) => warnings.push(w) });
        assert.deepEqual(warnings, [], 'TensorFlow.js can run every layer here');

        const back = await sn.io.load(dir);
        // Regularizers are written in TF.js's L1L2 form (docs/semantics.md rule 19): compared by value.
        const withoutPenalties = (m: sn.Model) =>
          m.layers.map((l) =>
            Object.fromEntries(
              Object.entries(l.getConfig()).filter(([k]) => !k.endsWith('Regularizer')),
            ),
          );
        assert.deepEqual(withoutPenalties(back), withoutPenalties(model), 'same configs');
        const penalties = model.regularizationLosses();
        assert.ok(Object.keys(penalties).length > 0);
        const backPenalties = back.regularizationLosses();
        assert.deepEqual(Object.keys(backPenalties), Object.keys(penalties));
        for (const [k, v] of Object.entries(penalties)) assertNear([backPenalties[k]!], [v], k);
        assertNear((back.predict(sn.tensor(x, shape)) as sn.Tensor).dataSync(), expected, 'sinew');

        const theirs = await tf.loadLayersModel(tfjsReader(dir));
        const y = theirs.predict(tf.tensor(x, shape)) as tf.Tensor;
        assertNear(y.dataSync(), expected, 'tfjs');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});

test('a model.json written for conv layers has Keras names: weights, keys and data_format', async () => {
  const model = sn.sequential({
    layers: [
      sn.layers.separableConv2d({ filters: 2, kernelSize: 3, name: 'sep', inputShape: [5, 5, 2] }),
    ],
  });
  const dir = await mkdtemp(join(tmpdir(), 'sinew-conv-io-'));
  try {
    await sn.io.save(model, dir, quiet);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    const names = json.weightsManifest.flatMap((g: { weights: { name: string }[] }) =>
      g.weights.map((w) => w.name),
    );
    assert.deepEqual(names, ['sep/depthwise_kernel', 'sep/pointwise_kernel', 'sep/bias']);
    const config = json.modelTopology.config.layers[0].config;
    assert.equal(json.modelTopology.config.layers[0].class_name, 'SeparableConv2D');
    assert.equal(config.data_format, 'channels_last');
    assert.deepEqual(config.kernel_size, [3, 3]);
    assert.equal(config.depth_multiplier, 1);
    assert.equal(config.pointwise_initializer.class_name, 'GlorotUniform');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('TF.js-made conv models load in sinew and predict the same', async (t) => {
  const models: [string, number[], () => tf.layers.Layer[]][] = [
    [
      'conv1d → conv1d → flatten → dense',
      [10, 3],
      () => [
        tf.layers.conv1d({
          filters: 4,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          inputShape: [10, 3],
          kernelRegularizer: tf.regularizers.l1({ l1: 0.01 }),
        }),
        tf.layers.conv1d({ filters: 2, kernelSize: 2, strides: 2, dilationRate: 1 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    ],
    [
      'conv2d → separableConv2d → depthwiseConv2d → conv2dTranspose',
      [8, 7, 2],
      () => [
        tf.layers.conv2d({
          filters: 3,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          activation: 'relu',
          inputShape: [8, 7, 2],
          biasInitializer: 'randomNormal',
        }),
        // depthMultiplier 1: TF.js does not write it (see the test below).
        tf.layers.separableConv2d({
          filters: 4,
          kernelSize: 2,
          activation: 'tanh',
          biasInitializer: 'randomNormal',
          pointwiseRegularizer: tf.regularizers.l2({ l2: 0.01 }),
        }),
        tf.layers.depthwiseConv2d({
          kernelSize: 2,
          padding: 'same',
          depthMultiplier: 2,
          biasInitializer: 'randomNormal',
        }),
        tf.layers.conv2dTranspose({
          filters: 2,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          biasInitializer: 'randomNormal',
        }),
      ],
    ],
  ];
  for (const [i, [name, inputShape, layers]] of models.entries()) {
    await t.test(name, async () => {
      const theirs = tf.sequential({ layers: layers() });
      const dir = await mkdtemp(join(tmpdir(), 'sinew-conv-io-'));
      try {
        await tfjsSave(theirs, dir);
        const ours = await sn.io.load(dir);
        assert.deepEqual(
          ours.layers.map((l) => l.className),
          theirs.layers.map((l) => l.getClassName()),
        );
        const shape = [3, ...inputShape];
        const x = values(shape, 40 + i);
        const want = (theirs.predict(tf.tensor(x, shape)) as tf.Tensor).dataSync();
        assertNear((ours.predict(sn.tensor(x, shape)) as sn.Tensor).dataSync(), want, name);
        assert.ok(
          Object.keys(ours.regularizationLosses()).some((k) => /kernel$/.test(k)),
          'the regularizer came with the file',
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});

test("TF.js's own SeparableConv2D file drops depth_multiplier: TF.js and sinew both refuse it, sinew by naming the shapes", async () => {
  const theirs = tf.sequential({
    layers: [
      tf.layers.separableConv2d({
        filters: 2,
        kernelSize: 2,
        depthMultiplier: 2,
        inputShape: [4, 4, 3],
      }),
    ],
  });
  assert.equal(theirs.layers[0]!.getConfig().depthMultiplier, undefined, 'not in its config');
  const dir = await mkdtemp(join(tmpdir(), 'sinew-conv-io-'));
  try {
    await tfjsSave(theirs, dir);
    await assert.rejects(tf.loadLayersModel(tfjsReader(dir)), /Shape mismatch/);
    await assert.rejects(sn.io.load(dir), (e: unknown) => {
      assert.ok(e instanceof sn.io.SerializationError);
      assert.match(e.message, /depthwise_kernel' has shape \[2, 2, 3, 1\].*\[2, 2, 3, 2\]/);
      return true;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a TF.js DepthwiseConv2D with a depthwise regularizer (which TF.js also writes as its constraint) loads, penalty kept', async () => {
  const theirs = tf.sequential({
    layers: [
      tf.layers.depthwiseConv2d({
        kernelSize: 2,
        depthwiseRegularizer: tf.regularizers.l2({ l2: 0.01 }),
        inputShape: [4, 4, 3],
      }),
    ],
  });
  const dir = await mkdtemp(join(tmpdir(), 'sinew-conv-io-'));
  const warn = console.warn;
  const warnings: string[] = [];
  console.warn = (m: string) => warnings.push(m);
  try {
    await tfjsSave(theirs, dir);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    const config = json.modelTopology.config.layers[0].config;
    assert.equal(config.depthwise_constraint.class_name, 'L1L2', "TF.js's own file");
    const ours = await sn.io.load(dir);
    assert.match(warnings.join('\n'), /depthwise_constraint holds the regularizer L1L2/);
    const layer = ours.layers[0] as sn.layers.DepthwiseConv2D;
    assert.equal(layer.depthwiseConstraint, undefined);
    const kernel = theirs.getWeights()[0]!;
    const want = 0.01 * tf.sum(tf.square(kernel)).dataSync()[0]!;
    assertNear([ours.regularizationLosses()[`${layer.name}/depthwise_kernel`]!], [want], 'penalty');
  } finally {
    console.warn = warn;
    await rm(dir, { recursive: true, force: true });
  }
});

test('options TF.js would ignore are exported with a warning naming the layer', async () => {
  const model = sn.sequential({
    layers: [
      sn.layers.conv2dTranspose({
        filters: 1,
        kernelSize: 3,
        strides: 2,
        outputPadding: 1,
        name: 'up',
        inputShape: [4, 4, 1],
      }),
      sn.layers.depthwiseConv2d({ kernelSize: 2, dilationRate: 2, name: 'dw' }),
    ],
  });
  const dir = await mkdtemp(join(tmpdir(), 'sinew-conv-io-'));
  try {
    const warnings: string[] = [];
    await sn.io.save(model, dir, { onWarning: (w) => warnings.push(w) });
    const text = warnings.join('\n');
    assert.match(text, /Conv2DTranspose 'up'.*outputPadding.*TensorFlow\.js ignores/);
    assert.match(text, /DepthwiseConv2D 'dw'.*dilationRate > 1.*TensorFlow\.js ignores/);
    // sinew itself reads both options back.
    const back = await sn.io.load(dir);
    assert.deepEqual((back.layers[0] as sn.layers.Conv2DTranspose).outputPadding, [1, 1]);
    assert.deepEqual((back.layers[1] as sn.layers.DepthwiseConv2D).dilationRate, [2, 2]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
