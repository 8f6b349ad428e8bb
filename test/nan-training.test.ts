import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../src/index.js';

/**
 * A fit whose loss goes non-finite. The oracle is the same batches run one by one with
 * trainOnBatch, recording the weights and optimizer slots before each: terminateOnNaN must
 * end on the state before the last batch whose loss was finite; without it, fit warns once.
 */

const N = 64;
const BATCH = 8;
// A linear model with SGD at learning rate 0.5 on inputs up to 8: each step multiplies the
// weights by about -25, so the loss overflows to Infinity in the 14th batch (epoch 2).
const x = sn.tensor(Array.from({ length: N }, (_, i) => [1 + (i % 8), 2 - (i % 3)]));
const y = sn.tensor(Array.from({ length: N }, (_, i) => [i % 5]));

function makeModel(): sn.Model {
  const model = sn.sequential({
    layers: [sn.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'ones' })],
  });
  model.compile({
    optimizer: sn.optimizers.sgd({ learningRate: 0.5, momentum: 0.1 }),
    loss: 'mse',
  });
  return model;
}

const values = (ts: readonly sn.Tensor[]) => ts.map((t) => Array.from(t.dataSync()));

/** The optimizer's slots, named without the layer ('kernel/momentum'), with their values. */
function slotValues(model: sn.Model): [string, number[]][] {
  return model
    .compiled!.optimizer.getSlots()
    .map((s) => [s.name.replace(/^[^/]+\/(?=.*\/)/, ''), Array.from(s.tensor.dataSync())]);
}

/** The batches one by one: the loss of each, and the weights and slots before it. */
function reference(batches: number) {
  const model = makeModel();
  const steps: { loss: number; weights: number[][]; slots: [string, number[]][] }[] = [];
  for (let b = 0; b < batches; b++) {
    const start = (b * BATCH) % N;
    const weights = values(model.getWeights());
    const slots = slotValues(model);
    const { loss } = model.trainOnBatch(
      sn.slice(x, [start, 0], { size: [BATCH, 2] }),
      sn.slice(y, [start, 0], { size: [BATCH, 1] }),
    );
    steps.push({ loss: loss!, weights, slots });
  }
  return steps;
}

test('terminateOnNaN after an explosion keeps the last weights and optimizer state whose loss was finite', async (t) => {
  const steps = reference(3 * (N / BATCH));
  const bad = steps.findIndex((s) => !Number.isFinite(s.loss));
  assert.ok(bad > 1, 'the reference run goes non-finite after some finite batches');
  // The state before the bad batch is finite but already exploded (its loss is not finite).
  assert.ok(steps[bad]!.weights.flat().every(Number.isFinite));
  const log = t.mock.method(console, 'log', () => {});
  const warn = t.mock.method(console, 'warn', () => {});
  const model = makeModel();
  await model.fit(x, y, {
    epochs: 3,
    batchSize: BATCH,
    shuffle: false,
    verbose: 0,
    callbacks: [sn.callbacks.terminateOnNaN()],
  });
  const good = steps[bad - 1]!;
  assert.deepEqual(values(model.getWeights()), good.weights);
  assert.deepEqual(slotValues(model), good.slots);
  const { loss } = model.evaluate(x, y) as { loss: number };
  assert.ok(Number.isFinite(loss), `evaluate gives ${loss}`);
  const epoch = Math.floor(bad / (N / BATCH));
  const batch = bad % (N / BATCH);
  assert.equal(log.mock.callCount(), 1);
  assert.equal(
    log.mock.calls[0]!.arguments[0],
    `TerminateOnNaN: loss is Infinity at epoch ${epoch + 1}, batch ${batch + 1} of 8; training ` +
      'stopped, weights and optimizer state restored to those that gave the last finite loss ' +
      `(epoch ${Math.floor((bad - 1) / 8) + 1}, batch ${((bad - 1) % 8) + 1}).`,
  );
  assert.equal(warn.mock.callCount(), 0, 'fit does not warn besides terminateOnNaN');
});

test('without terminateOnNaN, fit warns once at the first non-finite loss and goes on', async (t) => {
  const steps = reference(3 * (N / BATCH));
  const bad = steps.findIndex((s) => !Number.isFinite(s.loss));
  const warn = t.mock.method(console, 'warn', () => {});
  const history = await makeModel().fit(x, y, {
    epochs: 3,
    batchSize: BATCH,
    shuffle: false,
    verbose: 0,
  });
  assert.equal(history.history.loss!.length, 3, 'all epochs ran, as in Keras');
  assert.equal(warn.mock.callCount(), 1);
  const message = String(warn.mock.calls[0]!.arguments[0]);
  assert.match(
    message,
    new RegExp(
      `^sinew: fit: the loss is ${steps[bad]!.loss} at epoch ${Math.floor(bad / 8) + 1}, ` +
        `batch ${(bad % 8) + 1} of 8; training goes on`,
    ),
  );
  assert.match(message, /lower learning rate \(now 0\.5\) or clipnorm: 1/);
  assert.match(message, /sn\.callbacks\.terminateOnNaN\(\)/);
});

test('terminateOnNaN with NaN in the first batch restores the initial weights and step count', async (t) => {
  const rows = x.arraySync() as number[][];
  rows[3]![1] = Number.NaN;
  const model = makeModel();
  const initial = values(model.getWeights());
  t.mock.method(console, 'log', () => {});
  const history = await model.fit(sn.tensor(rows), y, {
    epochs: 2,
    batchSize: BATCH,
    shuffle: false,
    verbose: 0,
    callbacks: [sn.callbacks.terminateOnNaN()],
  });
  assert.deepEqual(values(model.getWeights()), initial);
  // The oracle: a model that never trained. Same optimizer state, and one clean batch from
  // here gives what it gives on a fresh model (no NaN left in a momentum slot).
  const fresh = makeModel();
  assert.deepEqual(slotValues(model), slotValues(fresh));
  const clean = [
    sn.slice(x, [0, 0], { size: [BATCH, 2] }),
    sn.slice(y, [0, 0], { size: [BATCH, 1] }),
  ];
  model.trainOnBatch(clean[0]!, clean[1]!);
  fresh.trainOnBatch(clean[0]!, clean[1]!);
  assert.deepEqual(values(model.getWeights()), values(fresh.getWeights()));
  assert.deepEqual(slotValues(model), slotValues(fresh));
  assert.ok(Number.isNaN(history.history.loss![0]));
});
