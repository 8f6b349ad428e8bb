import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { ADVICE_THRESHOLDS, advise, formatAdvice } from './advice.js';
import { monitor, type Monitor } from './monitor.js';
import { tensorStats } from './stats.js';
import type { LayerRecord, MonitorLog, MonitorRecord } from './types.js';

/** Fits `layers` as a model of x → y for one epoch (a tiny learning rate) with a monitor. */
async function watch(layers: sn.Layer[], x: sn.Tensor, y: sn.Tensor = x): Promise<Monitor> {
  const model = sn.sequential({ layers });
  model.compile({ optimizer: sn.optimizers.sgd({ learningRate: 1e-7 }), loss: 'mse' });
  const m = monitor({ probe: x, probeTargets: y });
  await model.fit(x, y, { epochs: 1, batchSize: 16, seed: 1, verbose: 0, callbacks: [m] });
  return m;
}

const uniform = (shape: number[], scale: number, seed: number): sn.Tensor =>
  sn.mul(sn.randomUniform(shape, { seed }), scale);

const rules = (m: Monitor): string[] => advise(m.log).map((a) => a.rule);

test("advice 'activity-regularizer': small weights, inputs ×50, saturated sigmoid", async () => {
  const layer = (): sn.Layer =>
    sn.layers.dense({
      units: 8,
      activation: 'sigmoid',
      inputShape: [10],
      kernelInitializer: sn.initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed: 3 }),
    });
  const big = uniform([32, 10], 50, 2);
  const code = layer();
  const m = await watch([code, sn.layers.dense({ units: 10 })], big);
  const advice = advise(m.log).filter((a) => a.rule === 'activity-regularizer');
  assert.equal(advice.length, 1);
  const a = advice[0]!;
  assert.equal(a.layer, code.name);
  assert.match(a.message, /activity regularizer/);
  // The numbers, recomputed from the layer's weights.
  const [kernel, bias] = code.ownWeights;
  const out = sn.sigmoid(sn.add(sn.matmul(big, kernel!), bias!)).dataSync();
  const saturated = Array.from(out).filter((v) => v < 0.01 || v > 0.99).length / out.length;
  assert.ok(Math.abs(a.numbers.saturation! - saturated) < 1e-9);
  assert.ok(saturated > 0.5);
  const maxAbs = Math.max(...Array.from(kernel!.dataSync(), Math.abs));
  assert.ok(Math.abs(a.numbers.maxAbsWeight! - maxAbs) < 1e-7 && maxAbs < 0.5);
  // Printed at the end of a verbose fit.
  const log = mock.method(console, 'log', () => undefined);
  try {
    m.params.verbose = 1;
    await m.onTrainEnd();
    assert.equal(log.mock.callCount(), 1);
    assert.match(
      String(log.mock.calls[0]!.arguments[0]),
      /\[activity-regularizer\].*activity regularizer/,
    );
  } finally {
    log.mock.restore();
  }
  // Neutral: the same layer on inputs in [0, 1] is not saturated.
  const neutral = await watch([layer(), sn.layers.dense({ units: 10 })], uniform([32, 10], 1, 2));
  assert.deepEqual(rules(neutral), []);
});

test("advice 'activity-regularizer': a linear layer followed by a sigmoid Activation layer", async () => {
  const linear = sn.layers.dense({
    units: 8,
    inputShape: [10],
    kernelInitializer: sn.initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed: 3 }),
  });
  const sigmoid = sn.layers.activation({ activation: 'sigmoid' });
  const m = await watch(
    [linear, sigmoid, sn.layers.dense({ units: 10 })],
    uniform([32, 10], 50, 2),
  );
  const advice = advise(m.log).filter((a) => a.rule === 'activity-regularizer');
  assert.equal(advice.length, 1);
  assert.equal(advice[0]!.layer, sigmoid.name);
  assert.match(advice[0]!.message, new RegExp(`weights of '${linear.name}' feeding it are small`));
  const maxAbs = Math.max(...Array.from(linear.kernel!.dataSync(), Math.abs));
  assert.ok(Math.abs(advice[0]!.numbers.maxAbsWeight! - maxAbs) < 1e-7);
});

test("advice 'activity-regularizer' stays silent for a layer that already has an activity penalty", async () => {
  const layer = sn.layers.dense({
    units: 8,
    activation: 'sigmoid',
    inputShape: [10],
    kernelInitializer: sn.initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed: 3 }),
    activityRegularizer: sn.regularizers.l1(1e-6),
  });
  const m = await watch([layer, sn.layers.dense({ units: 10 })], uniform([32, 10], 50, 2));
  assert.ok(m.log.records.at(-1)!.layers[0]!.saturation! > 0.5, 'saturated');
  assert.deepEqual(
    rules(m).filter((r) => r === 'activity-regularizer'),
    [],
  );
});

test("advice 'dead-relu': a bias of -10 kills every relu unit", async () => {
  const x = uniform([16, 3], 1, 4);
  const dead = sn.layers.dense({
    units: 6,
    activation: 'relu',
    inputShape: [3],
    biasInitializer: sn.initializers.constant({ value: -10 }),
  });
  const m = await watch([dead, sn.layers.dense({ units: 3 })], x);
  const a = advise(m.log).find((r) => r.rule === 'dead-relu');
  assert.equal(a?.layer, dead.name);
  assert.deepEqual(a?.numbers, { deadFraction: 1, deadUnits: 6, units: 6 });
  // A stricter threshold silences it.
  assert.equal(
    advise(m.log, undefined, { thresholds: { deadFraction: 1 } }).some(
      (r) => r.rule === 'dead-relu',
    ),
    false,
  );
  const alive = sn.layers.dense({
    units: 6,
    activation: 'relu',
    inputShape: [3],
    kernelInitializer: 'ones',
  });
  assert.deepEqual(rules(await watch([alive, sn.layers.dense({ units: 3 })], x)), []);
});

test("advice 'kl-sparsity-target': rho 0.05 against sigmoid codes near 0.5", async () => {
  const x = uniform([16, 4], 0.1, 5);
  const code = (rho: number): sn.Layer =>
    sn.layers.dense({
      units: 8,
      activation: 'sigmoid',
      inputShape: [4],
      activityRegularizer: sn.regularizers.klSparsity({ rho, beta: 0.001 }),
    });
  const layer = code(0.05);
  const m = await watch([layer, sn.layers.dense({ units: 4 })], x);
  const a = advise(m.log).find((r) => r.rule === 'kl-sparsity-target');
  assert.equal(a?.layer, layer.name);
  // ρ̂ by hand: the mean of the sigmoid code over the probe.
  const [kernel, bias] = layer.ownWeights;
  const rhoHat = sn.mean(sn.sigmoid(sn.add(sn.matmul(x, kernel!), bias!))).item();
  assert.ok(Math.abs(a!.numbers.meanRhoHat! - rhoHat) < 1e-6);
  assert.equal(a!.numbers.rho, 0.05);
  assert.ok(Math.abs(a!.numbers.ratio! - rhoHat / 0.05) < 1e-4);
  assert.deepEqual(rules(await watch([code(0.5), sn.layers.dense({ units: 4 })], x)), []);
});

test("advice 'regularization-dominates': l2(100) dwarfs the data loss", async () => {
  const x = uniform([16, 3], 1, 6);
  const layer = (c: number): sn.Layer =>
    sn.layers.dense({ units: 3, inputShape: [3], kernelRegularizer: sn.regularizers.l2(c) });
  const strong = layer(100);
  const m = await watch([strong], x);
  const a = advise(m.log).find((r) => r.rule === 'regularization-dominates');
  assert.equal(a?.layer, strong.name);
  const { data, terms } = m.log.records.at(-1)!.loss;
  const term = terms[`${strong.name}/kernel`]!;
  assert.ok(Math.abs(term - 100 * sn.sum(sn.square(strong.ownWeights[0]!)).item()) < 1e-3);
  assert.deepEqual(a?.numbers, { term, dataLoss: data, ratio: term / data! });
  assert.deepEqual(rules(await watch([layer(1e-6)], x)), []);
});

/** A log whose one layer has a kernel of L2 norm `norms[i]` at record i (one record per epoch). */
function growingLog(norms: number[]): MonitorLog {
  const records: MonitorRecord[] = norms.map((n, epoch) => {
    const layer: LayerRecord = {
      name: 'dense',
      className: 'Dense',
      weights: [
        {
          name: 'dense/kernel',
          shape: [2],
          stats: tensorStats([n, 0]),
          gradNorm: 0,
          updateRatio: null,
        },
      ],
      output: tensorStats([0]),
    };
    return {
      epoch,
      step: epoch,
      loss: { total: 1, data: 1, regularization: 0, terms: {} },
      layers: [layer],
    };
  });
  return { model: 'm', probeSize: 1, records };
}

test("advice 'kernel-regularizer': a growing kernel norm with a widening train/validation gap", () => {
  const log = growingLog([1, 1.1, 1.2, 1.5, 1.8]);
  const loss = [1, 0.8, 0.6, 0.4, 0.3];
  const overfit = { loss, val_loss: [1.1, 0.9, 0.8, 0.8, 0.9] };
  const advice = advise(log, overfit);
  assert.deepEqual(
    advice.map((a) => [a.rule, a.layer]),
    [['kernel-regularizer', 'dense']],
  );
  // Middle record 2 (norm 1.2) → last (1.8); middle epoch 2 (gap 0.2) → last (gap 0.6).
  const n = advice[0]!.numbers;
  assert.ok(Math.abs(n.growth! - 0.5) < 1e-12);
  assert.ok(Math.abs(n.gapBefore! - 0.2) < 1e-12 && Math.abs(n.gapAfter! - 0.6) < 1e-12);
  assert.match(advice[0]!.message, /kernel regularizer/);
  // Neutral: the gap stays put, or the weights stop growing.
  assert.deepEqual(advise(log, { loss, val_loss: [1.1, 0.9, 0.7, 0.5, 0.4] }), []);
  assert.deepEqual(advise(growingLog([1, 1.1, 1.2, 1.2, 1.21]), overfit), []);
  // The history kept in the log is the default.
  assert.equal(advise({ ...log, history: overfit }).length, 1);
});

test('formatAdvice: one line per advice with its numbers; thresholds are documented constants', () => {
  const text = formatAdvice([
    {
      rule: 'dead-relu',
      layer: 'd',
      message: "Layer 'd': 75% dead.",
      numbers: { deadFraction: 0.75, units: 4 },
    },
  ]);
  assert.equal(
    text,
    "Advice (1):\n- [dead-relu] Layer 'd': 75% dead.\n    deadFraction = 0.75, units = 4",
  );
  assert.equal(formatAdvice([]), '');
  assert.equal(ADVICE_THRESHOLDS.regularizationRatio, 10);
  assert.deepEqual(advise({ model: 'm', probeSize: 0, records: [] }), []);
});
