import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../src/index.js';
import { assertClose } from './helpers.js';

/**
 * docs/semantics.md, rule by rule: what kernel and activity regularizers contribute, when, and how
 * they are reduced. Expected numbers are worked by hand in the comments.
 */

const sum = (t: sn.Tensor): number => Array.from(t.dataSync()).reduce((a, b) => a + b, 0);
const total = (losses: sn.Tensor[]): number => losses.reduce((s, l) => s + l.item(), 0);

/** Dense(5), kernel all ones, no bias, with the given regularizers (the worked example). */
function workedDense(options: Partial<sn.layers.DenseOptions> = {}): sn.layers.Dense {
  return sn.layers.dense({ units: 5, useBias: false, kernelInitializer: 'ones', ...options });
}

test('rule 6, the worked example: kernel l1(0.01) 0.25 + activity l2(0.01) 5.0 = 5.25', () => {
  const layer = workedDense({
    kernelRegularizer: sn.regularizers.l1(0.01),
    activityRegularizer: sn.regularizers.l2(0.01),
  });
  const y = layer.apply(sn.mul(sn.ones([5, 5]), 2));
  assertClose(y, new Array(25).fill(10)); // each output: Σ_5 (2 · 1) = 10
  const terms = Object.fromEntries(layer.lossTerms().map((t) => [t.name, t.value.item()]));
  // kernel: 0.01 · Σ|1| over 25 entries = 0.25; activity: 0.01 · Σ 10² over 25 = 25, / batch 5 = 5.0
  assert.deepEqual(Object.keys(terms).sort(), [`${layer.name}/activity`, `${layer.name}/kernel`]);
  assertClose(sn.scalar(terms[`${layer.name}/kernel`]!), 0.25, 1e-6);
  assertClose(sn.scalar(terms[`${layer.name}/activity`]!), 5.0, 1e-6);
  assertClose(sn.scalar(total(layer.losses)), 5.25, 1e-6);
});

test("rule 8: activityRegularizerReduction 'sum' does not divide by the batch size", () => {
  const layer = workedDense({
    activityRegularizer: sn.regularizers.l2(0.01),
    activityRegularizerReduction: 'sum',
  });
  layer.apply(sn.mul(sn.ones([5, 5]), 2));
  assertClose(sn.scalar(total(layer.losses)), 25, 1e-6); // 0.01 · 25 · 100
});

test('rule 6: a batch of 0 gives 0; the penalty follows the batch size of each call', () => {
  const layer = workedDense({ activityRegularizer: sn.regularizers.l2(0.01) });
  layer.apply(sn.zeros([0, 5]));
  assert.equal(total(layer.losses), 0);
  layer.apply(sn.mul(sn.ones([2, 5]), 2)); // 0.01 · 10 outputs · 100 / 2 = 5
  assertClose(sn.scalar(total(layer.losses)), 5, 1e-6);
});

test('rule 7: klSparsity is a batch statistic and is not divided by the batch size again', () => {
  // Sigmoid codes for a batch of 2 and 2 units: unit 0 = [0.1, 0.3] → ρ̂ 0.2; unit 1 = [0.5, 0.5] → ρ̂ 0.5.
  const codes = sn.tensor([
    [0.1, 0.5],
    [0.3, 0.5],
  ]);
  const rho = 0.05;
  const kl = (r: number) => rho * Math.log(rho / r) + (1 - rho) * Math.log((1 - rho) / (1 - r));
  const expected = 3 * (kl(0.2) + kl(0.5)); // β = 3
  const layer = sn.layers.activityRegularization({});
  layer.activityRegularizer = sn.regularizers.klSparsity({ rho, beta: 3 });
  layer.apply(codes);
  assertClose(sn.scalar(total(layer.losses)), expected, 1e-5);
});

test('rule 2.1: a plain function is accepted as an activity regularizer', () => {
  const layer = workedDense({ activityRegularizer: (y: sn.Tensor) => sn.mul(0.5, sn.sum(y)) });
  layer.apply(sn.mul(sn.ones([5, 5]), 2)); // 0.5 · Σ 10 over 25 = 125, / batch 5 = 25
  assertClose(sn.scalar(total(layer.losses)), 25, 1e-6);
});

test('rules 1 and 5: the activity penalty is computed on the OUTPUT, also inside a model called as a layer', () => {
  // Inner layer doubles its input (kernel 2·I); its activity penalty is l1(1) on its output.
  const inner = sn.layers.dense({
    units: 3,
    useBias: false,
    kernelInitializer: sn.initializers.identity({ gain: 2 }),
    activityRegularizer: sn.regularizers.l1(1),
  });
  const innerIn = sn.input({ shape: [3] });
  const innerModel = sn.model({ inputs: innerIn, outputs: inner.apply(innerIn) });
  const outerIn = sn.input({ shape: [3] });
  const outer = sn.model({ inputs: outerIn, outputs: innerModel.apply(outerIn) });
  const x = sn.tensor([
    [1, -2, 3],
    [0.5, 0.5, -1],
  ]);
  outer.apply(x);
  // On the output (2x): Σ|2x| = 2 · (6 + 2) = 16, / batch 2 = 8. On the input it would be 4.
  assertClose(sn.scalar(total(outer.losses)), 8, 1e-6);
  assert.deepEqual(Object.keys(outer.regularizationLosses()), [`${inner.name}/activity`]);
});

test('rule 5: applied at inference too; building a model symbolically records nothing', () => {
  const layer = workedDense({ activityRegularizer: sn.regularizers.l2(0.01) });
  const x = sn.input({ shape: [5] });
  const model = sn.model({ inputs: x, outputs: layer.apply(x) });
  assert.deepEqual(model.losses, [], 'symbolic build adds no loss');
  model.apply(sn.mul(sn.ones([5, 5]), 2), { training: false });
  assertClose(sn.scalar(total(model.losses)), 5, 1e-6);
});

test('rule 9: losses describe the latest outermost pass; a shared layer called twice adds two activity penalties', () => {
  const shared = workedDense({
    units: 5,
    kernelRegularizer: sn.regularizers.l1(0.01),
    activityRegularizer: sn.regularizers.l2(0.01),
  });
  const a = sn.input({ shape: [5] });
  const b = sn.input({ shape: [5] });
  const m = sn.model({ inputs: [a, b], outputs: [shared.apply(a), shared.apply(b)] });
  m.apply([sn.mul(sn.ones([5, 5]), 2), sn.ones([5, 5])]);
  // activity: call 1 → 5.0 (outputs 10); call 2 → 0.01 · 25 · 25 / 5 = 1.25; kernel once: 0.25
  const terms = m.lossTerms().map((t) => [t.name, t.value.item()] as const);
  assert.equal(terms.filter(([n]) => n.endsWith('/activity')).length, 2);
  assert.equal(
    terms.filter(([n]) => n.endsWith('/kernel')).length,
    1,
    'rule 11: the shared kernel is penalised once',
  );
  assertClose(sn.scalar(total(m.losses)), 5 + 1.25 + 0.25, 1e-6);
  // A new outermost call replaces the activity terms instead of adding to them.
  m.apply([sn.ones([5, 5]), sn.ones([5, 5])]);
  assertClose(sn.scalar(total(m.losses)), 1.25 + 1.25 + 0.25, 1e-6);
  assert.deepEqual(Object.keys(m.regularizationLosses()).sort(), [
    `${shared.name}/activity`,
    `${shared.name}/kernel`,
  ]);
  assertClose(sn.scalar(m.regularizationLosses()[`${shared.name}/activity`]!), 2.5, 1e-6);
});

test('rule 10: setting kernelRegularizer after the model is built takes effect', () => {
  const layer = workedDense();
  const model = sn.sequential({ layers: [layer] });
  model.apply(sn.ones([1, 5]));
  assert.equal(total(model.losses), 0);
  layer.kernelRegularizer = sn.regularizers.l2(1e-4); // 1e-4 · 25 = 0.0025
  assertClose(sn.scalar(total(model.losses)), 0.0025, 1e-6);
  layer.kernelRegularizer = undefined;
  assert.equal(total(model.losses), 0);
});

test('rule 12: a frozen layer or variable is not penalised', () => {
  const layer = workedDense({ kernelRegularizer: sn.regularizers.l1(0.01) });
  const model = sn.sequential({ layers: [layer] });
  model.apply(sn.ones([1, 5]));
  assertClose(sn.scalar(total(model.losses)), 0.25, 1e-6);
  layer.trainable = false;
  assert.equal(total(model.losses), 0);
  assert.equal(model.trainableWeights.length, 0);
  layer.trainable = true;
  layer.kernel!.trainable = false;
  assert.equal(total(model.losses), 0);
  layer.kernel!.trainable = true;
  model.trainable = false; // freezing the model freezes its layers
  assert.equal(total(model.losses), 0);
});

test('rules 13 and 14: fit, evaluate and validation all add regularization; History carries regularization_loss', async () => {
  const make = () => {
    const m = sn.sequential({
      layers: [
        sn.layers.dense({
          units: 4,
          inputShape: [3],
          kernelInitializer: sn.initializers.glorotUniform({ seed: 1 }),
          kernelRegularizer: sn.regularizers.l2(0.1),
          activityRegularizer: sn.regularizers.l1(0.05),
        }),
        sn.layers.dense({
          units: 1,
          kernelInitializer: sn.initializers.glorotUniform({ seed: 2 }),
        }),
      ],
    });
    m.compile({ optimizer: sn.optimizers.sgd({ learningRate: 0.01 }), loss: 'mse' });
    return m;
  };
  const x = sn.randomNormal([16, 3], { seed: 3 });
  const y = sn.randomNormal([16, 1], { seed: 4 });
  const model = make();
  const logs = model.evaluate(x, y, { batchSize: 16 });
  // The oracle: the data loss computed by hand from predict, plus every penalty of that pass.
  const pred = model.predict(x) as sn.Tensor;
  const mse = sum(sn.square(sn.sub(pred, y))) / 16;
  model.apply(x);
  const reg = total(model.losses);
  assert.ok(reg > 0.01);
  assertClose(sn.scalar(logs.loss!), mse + reg, 1e-5);
  assertClose(sn.scalar(logs.regularization_loss!), reg, 1e-5);

  const history = await model.fit(x, y, {
    epochs: 2,
    batchSize: 8,
    validationData: [x, y],
    verbose: 0,
    shuffle: false,
  });
  for (const key of ['loss', 'regularization_loss', 'val_loss', 'val_regularization_loss']) {
    assert.equal(history.history[key]?.length, 2, `history has ${key}`);
  }
  const after = model.evaluate(x, y, { batchSize: 16 });
  assertClose(sn.scalar(history.history.val_loss![1]!), after.loss!, 1e-5);
  assertClose(
    sn.scalar(history.history.val_regularization_loss![1]!),
    after.regularization_loss!,
    1e-5,
  );
});

test('rule 17: kernel_regularizer and bias_regularizer are always written (null when unset), activity_regularizer only when set, coefficients as given', () => {
  const model = sn.sequential({
    layers: [
      sn.layers.dense({ name: 'plain', units: 2, inputShape: [3] }),
      sn.layers.dense({
        name: 'penalised',
        units: 2,
        kernelRegularizer: sn.regularizers.l2(0.001),
        activityRegularizer: sn.regularizers.l1(0.3),
      }),
    ],
  });
  const artifacts = sn.io.toMemory(model, { onWarning: () => {} });
  const topology = artifacts.modelTopology as {
    config: { layers: { config: Record<string, unknown> }[] };
  };
  const [plain, penalised] = topology.config.layers.map((l) => l.config);
  assert.equal(plain!.kernel_regularizer, null);
  assert.equal(plain!.bias_regularizer, null);
  assert.ok(!('activity_regularizer' in plain!), 'no activity_regularizer key when unset');
  // Written in TensorFlow.js's L1L2 form (rule 19), with 0.001 as given, not float32-rounded.
  assert.deepEqual(penalised!.kernel_regularizer, {
    module: 'keras.regularizers',
    class_name: 'L1L2',
    config: { l1: 0, l2: 0.001 },
    registered_name: null,
  });
  assert.equal(penalised!.bias_regularizer, null);
  assert.deepEqual(penalised!.activity_regularizer, {
    module: 'keras.regularizers',
    class_name: 'L1L2',
    config: { l1: 0.3, l2: 0 },
    registered_name: null,
  });
});
