import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../src/index.js';

/** Two Gaussian blobs in 2-D, labels 0/1, seeded. */
function blobs(n: number, seed: number): { x: sn.Tensor; y: sn.Tensor } {
  const rng = new sn.Random(seed);
  const xs: number[][] = [];
  const ys: number[][] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const c = label ? 1.5 : -1.5;
    xs.push([c + rng.nextNormal(), c + rng.nextNormal()]);
    ys.push([label]);
  }
  return { x: sn.tensor(xs), y: sn.tensor(ys) };
}

test('fit reaches > 95% accuracy on a generated two-class problem', async () => {
  const { x, y } = blobs(400, 1);
  const model = sn.sequential({
    layers: [
      sn.layers.dense({
        units: 8,
        activation: 'relu',
        inputShape: [2],
        kernelInitializer: sn.initializers.glorotUniform({ seed: 1 }),
      }),
      sn.layers.dense({
        units: 1,
        activation: 'sigmoid',
        kernelInitializer: sn.initializers.glorotUniform({ seed: 2 }),
      }),
    ],
  });
  model.compile({
    optimizer: sn.optimizers.adam({ learningRate: 0.05 }),
    loss: 'binaryCrossentropy',
    metrics: ['accuracy'],
  });
  const history = await model.fit(x, y, { epochs: 20, batchSize: 32, verbose: 0, seed: 7 });
  const test = blobs(200, 2);
  const logs = model.evaluate(test.x, test.y);
  assert.ok(logs.accuracy! > 0.95, `test accuracy ${logs.accuracy}`);
  assert.ok(
    history.history.accuracy!.at(-1)! > 0.95,
    `train accuracy ${history.history.accuracy!.at(-1)}`,
  );
  // Accuracy is the fraction of predictions on the right side of 0.5, computed here by hand.
  const p = (model.predict(test.x) as sn.Tensor).dataSync();
  const labels = test.y.dataSync();
  const right = Array.from(p).filter((v, i) => (v > 0.5 ? 1 : 0) === labels[i]).length;
  assert.ok(Math.abs(right / 200 - logs.accuracy!) < 1e-6);
});

test('a sparse autoencoder with an l1 activity penalty ends with a lower mean |code| than without', async () => {
  const x = sn.sigmoid(
    sn.matmul(sn.randomNormal([256, 6], { seed: 1 }), sn.randomNormal([6, 32], { seed: 2 })),
  );
  const meanCode = async (activityRegularizer?: sn.regularizers.Regularizer): Promise<number> => {
    const encoder = sn.layers.dense({
      units: 16,
      activation: 'sigmoid',
      inputShape: [32],
      kernelInitializer: sn.initializers.glorotUniform({ seed: 3 }),
      ...(activityRegularizer ? { activityRegularizer } : {}),
    });
    const model = sn.sequential({
      layers: [
        encoder,
        sn.layers.dense({
          units: 32,
          activation: 'sigmoid',
          kernelInitializer: sn.initializers.glorotUniform({ seed: 4 }),
        }),
      ],
    });
    model.compile({ optimizer: sn.optimizers.adam({ learningRate: 0.01 }), loss: 'mse' });
    await model.fit(x, x, { epochs: 15, batchSize: 32, verbose: 0, seed: 5 });
    const codes = sn.sequential({ layers: [encoder] }).predict(x) as sn.Tensor;
    return sn.mean(sn.abs(codes)).item();
  };
  const plain = await meanCode();
  const sparse = await meanCode(sn.regularizers.l1(1e-2));
  assert.ok(sparse < 0.5 * plain, `mean |code| with l1 ${sparse}, without ${plain}`);
});

test('earlyStopping with restoreBestWeights restores the weights of the best epoch', async () => {
  const { x, y } = blobs(64, 3);
  const model = sn.sequential({
    layers: [sn.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'zeros' })],
  });
  // A learning rate far too large makes the loss blow up after the first epochs.
  model.compile({ optimizer: sn.optimizers.sgd({ learningRate: 1.5 }), loss: 'mse' });
  const snapshots: sn.Tensor[][] = [];
  const record = sn.callbacks.lambdaCallback({
    onEpochEnd: () => void snapshots.push(model.getWeights()),
  });
  const stop = sn.callbacks.earlyStopping({
    monitor: 'loss',
    patience: 2,
    restoreBestWeights: true,
  });
  const history = await model.fit(x, y, {
    epochs: 30,
    batchSize: 64,
    verbose: 0,
    shuffle: false,
    callbacks: [record, stop],
  });
  const losses = history.history.loss!;
  assert.ok(losses.length < 30, 'stopped early');
  const best = losses.indexOf(Math.min(...losses));
  assert.ok(best < losses.length - 1, 'the best epoch was not the last');
  const restored = model.getWeights();
  snapshots[best]!.forEach((w, i) => assert.deepEqual(restored[i]!.dataSync(), w.dataSync()));
});

test('terminateOnNaN stops on NaN in the data and keeps the last good weights', async () => {
  const values = Array.from({ length: 32 }, (_, i) => [i / 32, 1 - i / 32]);
  values[20]![0] = Number.NaN;
  const x = sn.tensor(values);
  const y = sn.ones([32, 1]);
  const model = sn.sequential({
    layers: [sn.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'ones' })],
  });
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const history = await model.fit(x, y, {
    epochs: 3,
    batchSize: 8,
    shuffle: false,
    verbose: 0,
    callbacks: [sn.callbacks.terminateOnNaN()],
  });
  const weights = model.getWeights();
  for (const w of weights)
    assert.ok(Array.from(w.dataSync()).every(Number.isFinite), `weights ${w.toString()}`);
  assert.ok((history.history.loss?.length ?? 0) <= 1, 'training stopped in the first epoch');
  // Batches 0 and 1 trained (finite), batch 2 held the NaN: the last finite loss was batch
  // 1's, computed on the weights batch 0 left.
  const reference = sn.sequential({
    layers: [sn.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'ones' })],
  });
  reference.compile({ optimizer: 'sgd', loss: 'mse' });
  reference.trainOnBatch(sn.slice(x, [0, 0], { size: [8, 2] }), sn.ones([8, 1]));
  reference.getWeights().forEach((w, i) => assert.deepEqual(weights[i]!.dataSync(), w.dataSync()));
});

test('bad input to compile, fit and layers gives typed errors that name the problem and the fix', async () => {
  const model = sn.sequential({
    layers: [sn.layers.dense({ units: 2, inputShape: [3], name: 'encoder' })],
  });
  const x = sn.ones([4, 3]);
  const y = sn.ones([4, 2]);
  await assert.rejects(
    model.fit(x, y),
    (e: unknown) => e instanceof sn.ConfigError && /not compiled/.test(e.message),
  );
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  await assert.rejects(
    model.fit(x, sn.ones([5, 2]), { verbose: 0 }),
    (e: unknown) =>
      e instanceof sn.ConfigError && /4 samples/.test(e.message) && /5/.test(e.message),
  );
  for (const batchSize of [0, 2.5]) {
    await assert.rejects(
      model.fit(x, y, { batchSize, verbose: 0 }),
      (e: unknown) =>
        e instanceof sn.ConfigError && /batchSize must be a positive integer/.test(e.message),
    );
  }
  await assert.rejects(
    model.fit(x, y, { validationSplit: 1.5, verbose: 0 }),
    (e: unknown) =>
      e instanceof sn.ConfigError && /validationSplit must be a number in \[0, 1\)/.test(e.message),
  );
  // Wrong input width: the message names the layer, both shapes and a fix.
  const dense = sn.layers.dense({ units: 4, name: 'encoder2' });
  dense.apply(sn.ones([2, 784]));
  assert.throws(
    () => dense.apply(sn.ones([32, 28, 28])),
    (e: unknown) =>
      e instanceof sn.ShapeError &&
      /Dense 'encoder2' expected input with last dimension 784, received shape \[32, 28, 28\]; add a flatten\(\) layer before it/.test(
        e.message,
      ),
  );
  assert.throws(
    () => model.compile({ optimizer: 'adamm', loss: 'mse' }),
    (e: unknown) => e instanceof sn.ConfigError && /adam/.test(e.message),
  );
  assert.throws(
    () => model.compile({ optimizer: 'sgd', loss: 'msee' }),
    (e: unknown) =>
      e instanceof sn.ConfigError && /mean_squared_error|meanSquaredError/.test(e.message),
  );
  assert.throws(
    () => sn.layers.dense({ units: 2, activation: 'relux' }),
    (e: unknown) => e instanceof sn.ConfigError && /relu/.test(e.message),
  );
  assert.throws(
    () => sn.layers.dense({ units: 2, kernelRegularizer: 'l3' as never }),
    (e: unknown) => e instanceof sn.ConfigError && /l1l2/.test(e.message),
  );
});
