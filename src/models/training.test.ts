import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { assertClose } from '../../test/helpers.js';

const seeded = (seed: number) => sn.initializers.glorotUniform({ seed });

/** [front →] dense(4, tanh, l2 kernel) → dense(2): small, regularized, deterministic. */
function mlp(seed = 1, front?: sn.Layer): sn.Sequential {
  return sn.sequential({
    layers: [
      sn.input({ shape: [3] }),
      ...(front ? [front] : []),
      sn.layers.dense({
        units: 4,
        activation: 'tanh',
        kernelInitializer: seeded(seed),
        kernelRegularizer: sn.regularizers.l2(0.01),
      }),
      sn.layers.dense({ units: 2, kernelInitializer: seeded(seed + 1) }),
    ],
  });
}

const X = sn.tensor(
  Array.from({ length: 10 }, (_, i) => [Math.sin(i), Math.cos(2 * i), (i % 3) - 1]),
);
const Y = sn.tensor(Array.from({ length: 10 }, (_, i) => [i / 10, 1 - (i % 2)]));

const values = (t: sn.Tensor): number[] => Array.from(t.dataSync());
const weightValues = (m: sn.Model): number[][] => m.weights.map(values);

/** The rows [from, to) of a tensor. */
const rows = (t: sn.Tensor, from: number, to: number): sn.Tensor =>
  sn.gather(
    t,
    sn.tensor(
      Array.from({ length: to - from }, (_, i) => from + i),
      undefined,
      'int32',
    ),
  );

/** mse of the model on (x, y) + 0.01·Σ K₁², computed with ops on the current weights. */
function manualLoss(model: sn.Model, x: sn.Tensor, y: sn.Tensor): number {
  const [k1, b1, k2, b2] = model.weights;
  const h = sn.tanh(sn.add(sn.matmul(x, k1!), b1!));
  const p = sn.add(sn.matmul(h, k2!), b2!);
  return sn.mean(sn.square(sn.sub(y, p))).item() + 0.01 * sn.sum(sn.square(k1!)).item();
}

test('predict in batches equals one apply on all samples', () => {
  const model = mlp();
  const whole = model.apply(X) as sn.Tensor;
  for (const batchSize of [1, 3, 4, 10, 64]) {
    const p = model.predict(X, { batchSize }) as sn.Tensor;
    assertClose(p, values(whole), 1e-6, [10, 2]);
  }
});

test('predict of a two-input, two-output model returns a list, batched', () => {
  const a = sn.input({ shape: [3] });
  const b = sn.input({ shape: [1] });
  const d = sn.layers.dense({ units: 2, kernelInitializer: seeded(3) });
  const e = sn.layers.dense({ units: 1, kernelInitializer: seeded(4) });
  const model = sn.model({ inputs: [a, b], outputs: [d.apply(a), e.apply(b)] });
  const xb = sn.tensor(Array.from({ length: 10 }, (_, i) => [i - 5]));
  const out = model.predict([X, xb], { batchSize: 4 }) as sn.Tensor[];
  assert.equal(out.length, 2);
  assertClose(out[0]!, values(sn.add(sn.matmul(X, d.kernel!), d.bias!)), 1e-6, [10, 2]);
  assertClose(out[1]!, values(sn.add(sn.matmul(xb, e.kernel!), e.bias!)), 1e-6, [10, 1]);
});

test('evaluate = mse + regularization by hand; testOnBatch equals evaluate', () => {
  const model = mlp();
  model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
  const logs = model.evaluate(X, Y, { batchSize: 3 });
  const expected = manualLoss(model, X, Y);
  assert.ok(Math.abs(logs.loss! - expected) < 1e-6, `${logs.loss} vs ${expected}`);
  const k1 = model.weights[0]!;
  assert.ok(Math.abs(logs.regularization_loss! - 0.01 * sn.sum(sn.square(k1)).item()) < 1e-7);
  const batch = model.testOnBatch(X, Y);
  for (const key of ['loss', 'regularization_loss', 'mae']) {
    assert.ok(Math.abs(batch[key]! - logs[key]!) < 1e-6, key);
  }
  assert.deepEqual(Object.keys(batch).sort(), ['loss', 'mae', 'regularization_loss']);
});

test('trainOnBatch equals one fit epoch on one batch with shuffle false', async () => {
  const a = mlp(5);
  const b = mlp(5);
  assert.deepEqual(weightValues(a), weightValues(b));
  a.compile({
    optimizer: sn.optimizers.adam({ learningRate: 0.1 }),
    loss: 'mse',
    metrics: ['mae'],
  });
  b.compile({
    optimizer: sn.optimizers.adam({ learningRate: 0.1 }),
    loss: 'mse',
    metrics: ['mae'],
  });
  const before = manualLoss(a, X, Y);
  const logs = a.trainOnBatch(X, Y);
  const history = await b.fit(X, Y, { epochs: 1, batchSize: 10, shuffle: false, verbose: 0 });
  assert.deepEqual(weightValues(a), weightValues(b));
  assert.equal(history.history.loss![0], logs.loss);
  assert.equal(history.history.mae![0], logs.mae);
  // The logged loss is the loss before the step.
  assert.ok(Math.abs(logs.loss! - before) < 1e-6);
  assert.ok(manualLoss(a, X, Y) < before);
});

/** A dense(1) with kernel ones and no bias: the prediction is the row sum. */
function rowSum(): sn.Sequential {
  return sn.sequential({
    layers: [
      sn.layers.dense({ units: 1, inputShape: [2], useBias: false, kernelInitializer: 'ones' }),
    ],
  });
}

// x rows sum to 1, 2, 3, 4; y = 0, 0, 1, 1 (labels).
const xw = sn.tensor([
  [1, 0],
  [1, 1],
  [2, 1],
  [2, 2],
]);
const yw = sn.tensor([[0], [0], [1], [1]]);
// Per-sample squared errors: (1−0)² = 1, (2−0)² = 4, (3−1)² = 4, (4−1)² = 9.

test('sampleWeight scales each sample and divides by the batch size (Keras 3)', () => {
  const model = rowSum();
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  assert.equal(model.evaluate(xw, yw).loss, (1 + 4 + 4 + 9) / 4);
  // weights 2, 0, 1, 0.5: (2·1 + 0·4 + 1·4 + 0.5·9) / 4 = 10.5 / 4 = 2.625
  const logs = model.evaluate(xw, yw, { sampleWeight: sn.tensor([2, 0, 1, 0.5]) });
  assert.equal(logs.loss, 2.625);
  assert.equal(model.testOnBatch(xw, yw, { sampleWeight: [2, 0, 1, 0.5] }).loss, 2.625);
  assert.throws(
    () => model.evaluate(xw, yw, { sampleWeight: [1, 2] }),
    (e: Error) =>
      e instanceof sn.ConfigError && /shape \[4\]/.test(e.message) && /\[2\]/.test(e.message),
  );
});

test('classWeight (and classWeight × sampleWeight) change the loss as computed by hand', async () => {
  const model = rowSum();
  model.compile({ optimizer: sn.optimizers.sgd({ learningRate: 0.01 }), loss: 'mse' });
  // class 0 weight 3, class 1 weight 0.5: (3·1 + 3·4 + 0.5·4 + 0.5·9) / 4 = 21.5 / 4 = 5.375
  const logs = model.trainOnBatch(xw, yw, { classWeight: { 0: 3, 1: 0.5 } });
  assert.equal(logs.loss, 5.375);

  const m2 = rowSum();
  m2.compile({ optimizer: sn.optimizers.sgd({ learningRate: 0.01 }), loss: 'mse' });
  // × sample weights 1, 2, 0, 4: (3·1·1 + 3·2·4 + 0 + 0.5·4·9) / 4 = (3 + 24 + 18) / 4 = 11.25
  const history = await m2.fit(xw, yw, {
    epochs: 1,
    batchSize: 4,
    shuffle: false,
    verbose: 0,
    classWeight: { 0: 3, 1: 0.5 },
    sampleWeight: [1, 2, 0, 4],
  });
  assert.equal(history.history.loss![0], 11.25);

  // One-hot targets: the class is the argmax. Rows [0,1] → class 1, [1,0] → class 0.
  const m3 = sn.sequential({
    layers: [
      sn.layers.dense({ units: 2, inputShape: [2], useBias: false, kernelInitializer: 'ones' }),
    ],
  });
  m3.compile({ optimizer: 'sgd', loss: 'mse' });
  // Predictions are [s, s] with s the row sum 1, 2, 3, 4; targets [1,0], [0,1], [1,0], [0,1].
  // Per-sample mse: ((1−1)²+(1−0)²)/2 = 0.5, ((2−0)²+(2−1)²)/2 = 2.5, (4+9)/2 = 6.5, (16+9)/2 = 12.5
  // weights class 0 → 2, class 1 → 1: (2·0.5 + 2.5 + 2·6.5 + 12.5) / 4 = 29 / 4 = 7.25
  const onehot = sn.tensor([
    [1, 0],
    [0, 1],
    [1, 0],
    [0, 1],
  ]);
  assert.equal(m3.trainOnBatch(xw, onehot, { classWeight: { 0: 2, 1: 1 } }).loss, 7.25);

  assert.throws(
    () => rowSumCompiled().trainOnBatch(xw, yw, { classWeight: { 0: 1 } }),
    (e: Error) => e instanceof sn.ConfigError && /no entry for class 1/.test(e.message),
  );
});

function rowSumCompiled(): sn.Sequential {
  const m = rowSum();
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}

test('validationSplit holds out the LAST samples, before shuffling (Keras)', async () => {
  const recorder = new Recorder();
  const tracked = mlp(7, recorder);
  tracked.compile({ optimizer: sn.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
  const params: sn.TrainingParams[] = [];
  const history = await tracked.fit(X, Y, {
    epochs: 2,
    batchSize: 3,
    validationSplit: 0.2,
    verbose: 0,
    seed: 1,
    callbacks: new (class extends sn.Callback {
      override async onTrainBegin(): Promise<void> {
        params.push(this.params);
      }
    })(),
  });
  // 10 · (1 − 0.2) = 8 training samples, in ceil(8/3) = 3 batches.
  assert.equal(params[0]?.samples, 8);
  assert.equal(params[0]?.steps, 3);
  // Training batches saw exactly the first 8 rows, every epoch.
  const trained = recorder.training.flat();
  const firstEight = Array.from({ length: 8 }, (_, i) => rowKey(X, i)).sort();
  assert.deepEqual(trained.slice(0, 8).sort(), firstEight);
  assert.deepEqual(trained.slice(8, 16).sort(), firstEight);
  // Validation after the last epoch: the loss on rows 8 and 9 with the final weights.
  const manual = manualLoss(tracked, rows(X, 8, 10), rows(Y, 8, 10));
  assert.ok(Math.abs(history.history.val_loss![1]! - manual) < 1e-6);
  assert.ok(history.history.val_regularization_loss![1]! > 0);
  // Evaluated once per epoch, on rows 8 and 9 only.
  assert.deepEqual(recorder.inference, [
    [rowKey(X, 8), rowKey(X, 9)],
    [rowKey(X, 8), rowKey(X, 9)],
  ]);
});

/** An identity layer that records which rows it saw, in training and at inference. */
class Recorder extends sn.Layer {
  static override readonly className: string = 'Recorder';
  readonly training: string[][] = [];
  readonly inference: string[][] = [];
  call(inputs: sn.Tensor | readonly sn.Tensor[], options: sn.layers.CallOptions): sn.Tensor {
    const x = inputs as sn.Tensor;
    const keys = Array.from({ length: x.shape[0]! }, (_, i) => rowKey(x, i));
    (options.training ? this.training : this.inference).push(keys);
    return x;
  }
}

/** The row's values as a string. */
function rowKey(x: sn.Tensor, i: number): string {
  return values(rows(x, i, i + 1))
    .map((v) => v.toFixed(5))
    .join(',');
}

test('shuffle false feeds batches in order; shuffle true permutes every epoch', async () => {
  const ids = sn.tensor(Array.from({ length: 7 }, (_, i) => [i]));
  const targets = sn.zeros([7, 1]);
  const recorder = new Recorder();
  const model = sn.sequential({
    layers: [recorder, sn.layers.dense({ units: 1, kernelInitializer: 'zeros' })],
  });
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  await model.fit(ids, targets, { epochs: 2, batchSize: 3, shuffle: false, verbose: 0 });
  const fmt = (i: number) => i.toFixed(5);
  const inOrder = [[0, 1, 2].map(fmt), [3, 4, 5].map(fmt), [6].map(fmt)];
  assert.deepEqual(recorder.training, [...inOrder, ...inOrder]);

  recorder.training.length = 0;
  await model.fit(ids, targets, { epochs: 2, batchSize: 3, verbose: 0, seed: 4 });
  const epochs = [recorder.training.slice(0, 3).flat(), recorder.training.slice(3).flat()];
  for (const e of epochs) assert.deepEqual([...e].sort(), [0, 1, 2, 3, 4, 5, 6].map(fmt));
  assert.notDeepEqual(epochs[0], epochs[1]);
  assert.notDeepEqual(epochs[0], [0, 1, 2, 3, 4, 5, 6].map(fmt));
});

test('seed makes two runs bit-identical (shuffling and dropout); another seed differs', async () => {
  const run = async (seed: number): Promise<number[][]> => {
    const model = mlp(9, sn.layers.dropout({ rate: 0.5 }));
    model.compile({ optimizer: sn.optimizers.adam({ learningRate: 0.05 }), loss: 'mse' });
    await model.fit(X, Y, { epochs: 3, batchSize: 4, verbose: 0, seed });
    return weightValues(model);
  };
  const first = await run(11);
  const second = await run(11);
  assert.deepEqual(first, second);
  const other = await run(12);
  assert.notDeepEqual(first, other);
});

test('initialEpoch starts the count: epochs is the last epoch, exclusive', async () => {
  const model = mlp();
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const begun: number[] = [];
  const history = await model.fit(X, Y, {
    epochs: 5,
    initialEpoch: 2,
    verbose: 0,
    callbacks: { onEpochBegin: async (epoch: number) => void begun.push(epoch) },
  });
  assert.deepEqual(history.epoch, [2, 3, 4]);
  assert.deepEqual(begun, [2, 3, 4]);
  assert.equal(history.history.loss!.length, 3);
  await assert.rejects(
    model.fit(X, Y, { initialEpoch: -1 }),
    (e: Error) =>
      e instanceof sn.ConfigError && /initialEpoch must be an integer >= 0/.test(e.message),
  );
});

test('fit with epochs 0 trains nothing and returns an empty history', async () => {
  const model = mlp();
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const before = weightValues(model);
  const history = await model.fit(X, Y, { epochs: 0, verbose: 2 });
  assert.deepEqual(history.epoch, []);
  assert.deepEqual(history.history, {});
  assert.deepEqual(weightValues(model), before);
});

test('plain nested arrays train exactly like tensors', async () => {
  const a = mlp(13);
  const b = mlp(13);
  for (const m of [a, b]) {
    m.compile({ optimizer: sn.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
  }
  const xs = X.arraySync() as number[][];
  const ys = Y.arraySync() as number[][];
  const ha = await a.fit(X, Y, { epochs: 2, batchSize: 4, verbose: 0, seed: 3 });
  const hb = await b.fit(xs, ys, { epochs: 2, batchSize: 4, verbose: 0, seed: 3 });
  assert.deepEqual(weightValues(a), weightValues(b));
  assert.deepEqual(ha.history.loss, hb.history.loss);
  assert.ok(Math.abs(b.evaluate(xs, ys).loss! - manualLoss(b, X, Y)) < 1e-6);
  assertClose(b.predict(xs) as sn.Tensor, values(a.predict(X) as sn.Tensor), 0, [10, 2]);
});

test('verbose 2 writes one line per epoch to stdout with the logged values', async () => {
  const model = mlp();
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const lines: string[] = [];
  const write = process.stdout.write;
  // Only our lines are kept; anything else (the test runner's own output) passes through.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && chunk.startsWith('Epoch ')) {
      lines.push(chunk);
      return true;
    }
    return (write as (...a: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
  }) as typeof process.stdout.write;
  let history: sn.History;
  try {
    history = await model.fit(X, Y, { epochs: 3, batchSize: 4, verbose: 2, validationSplit: 0.2 });
  } finally {
    process.stdout.write = write;
  }
  assert.equal(lines.length, 3);
  lines.forEach((line, i) => {
    assert.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n'));
    assert.ok(line.startsWith(`Epoch ${i + 1}/3 - `), line);
    const h = history.history;
    for (const key of ['loss', 'regularization_loss', 'val_loss', 'val_regularization_loss']) {
      assert.ok(line.includes(` - ${key}: ${h[key]![i]!.toFixed(4)}`), `${key} in ${line}`);
    }
  });
});

test('predict on 0 samples returns empty outputs; fit and evaluate reject empty data', async () => {
  const model = mlp();
  const p = model.predict(sn.zeros([0, 3])) as sn.Tensor;
  assert.deepEqual(p.shape, [0, 2]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  await assert.rejects(
    model.fit(sn.zeros([0, 3]), sn.zeros([0, 2])),
    (e: Error) => e instanceof sn.ConfigError && /0 samples/.test(e.message),
  );
  assert.throws(
    () => model.evaluate(sn.zeros([0, 3]), sn.zeros([0, 2])),
    (e: Error) => e instanceof sn.ConfigError && /0 samples/.test(e.message),
  );
});

test('fit, evaluate and predict reject bad arguments with typed errors', async () => {
  const model = mlp();
  await assert.rejects(
    model.fit(X, Y),
    (e: Error) => e instanceof sn.ConfigError && /not compiled/.test(e.message),
  );
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  await assert.rejects(
    model.fit(X, rows(Y, 0, 7)),
    (e: Error) =>
      e instanceof sn.ConfigError && /10 samples/.test(e.message) && /7/.test(e.message),
  );
  await assert.rejects(
    model.fit(X, Y, { validationSplit: 1 }),
    (e: Error) => e instanceof sn.ConfigError && /validationSplit/.test(e.message),
  );
  await assert.rejects(
    model.fit(X, Y, { batchSize: 0 }),
    (e: Error) =>
      e instanceof sn.ConfigError && /batchSize must be a positive integer/.test(e.message),
  );
  assert.throws(
    () => model.predict(X, { batchSize: 1.5 }),
    (e: Error) => e instanceof sn.ConfigError && /predict: batchSize/.test(e.message),
  );
  assert.throws(
    () => model.evaluate([X, X], Y),
    (e: Error) =>
      e instanceof sn.ConfigError && /has 1 input but x is a list of 2 tensors/.test(e.message),
  );
  assert.throws(
    () => model.predict([X, X]),
    (e: Error) =>
      e instanceof sn.ConfigError && /has 1 input but x is a list of 2 tensors/.test(e.message),
  );
  assert.throws(
    () => model.evaluate(X, [Y, Y]),
    (e: Error) =>
      e instanceof sn.ConfigError && /1 output\(s\)/.test(e.message) && /2 target/.test(e.message),
  );
});
