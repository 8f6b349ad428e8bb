import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { advise } from './advice.js';
import { monitor } from './monitor.js';

const close = (a: number | undefined, b: number, tol = 1e-6): void =>
  assert.ok(a !== undefined && Math.abs(a - b) <= tol, `${a} != ${b}`);

/** An LSTM of one unit on one feature, weights set by hand: kernel [i, f, c, o], zero bias. */
function tinyLstm(kernel: number[], recurrent: number[]): sn.Model {
  const lstm = sn.layers.lstm({ units: 1, inputShape: [2, 1], name: 'lstm' });
  const model = sn.sequential({ layers: [lstm] });
  lstm.setWeights([sn.tensor([kernel]), sn.tensor([recurrent]), sn.zeros([4])]);
  model.compile({ optimizer: sn.optimizers.sgd({ learningRate: 0 }), loss: 'mse' });
  return model;
}

async function firstRecord(model: sn.Model, x: sn.Tensor): Promise<sn.diagnostics.MonitorLog> {
  const m = monitor({ probe: x, probeTargets: sn.zeros([x.shape[0]!, 1]) });
  await model.fit(x, sn.zeros([x.shape[0]!, 1]), { epochs: 1, verbose: 0, callbacks: [m] });
  return m.log;
}

test('monitor: LSTM kernel and recurrent kernel side by side, gate saturation by hand', async () => {
  // Recurrent kernel 0: each step's gates depend on x_t only, z = x_t · kernel.
  // Step 1, x = 10: i = σ(10), f = σ(10) > 0.99, g = tanh(10) > 0.99, o = σ(1) = 0.73.
  // Step 2, x = 0.1: σ(0.1), σ(0.1), tanh(0.1), σ(0.01): none saturated.
  const model = tinyLstm([1, 1, 1, 0.1], [0, 0, 0, 0]);
  const log = await firstRecord(model, sn.tensor([[[10], [0.1]]]));
  const layer = log.records[0]!.layers.find((l) => l.className === 'LSTM')!;
  assert.deepEqual(
    layer.weights.map((w) => [w.name, w.shape]),
    [
      ['lstm/kernel', [1, 4]],
      ['lstm/recurrent_kernel', [1, 4]],
      ['lstm/bias', [4]],
    ],
  );
  close(layer.weights[0]!.stats.max ?? undefined, 1);
  const g = layer.gateSaturation!;
  close(g.input, 1 / 2);
  close(g.forget, 1 / 2);
  close(g.candidate, 1 / 2);
  close(g.output, 0);
  close(g.all, 3 / 8);
});

test('monitor: LSTM gate saturation follows the state through time (recurrent kernel)', async () => {
  // Kernel 0, recurrent kernel 1 on every gate, one unit: z_1 = 0 → i = f = o = 0.5, g = 0,
  // c_1 = 0, h_1 = 0; so z_2 = 0 too: nothing saturates whatever the input.
  const model = tinyLstm([0, 0, 0, 0], [1, 1, 1, 1]);
  const log = await firstRecord(model, sn.tensor([[[50], [-50]]]));
  close(log.records[0]!.layers[0]!.gateSaturation!.all, 0);
  // Kernel 10, recurrent kernel 100: step 1 (x = 1) has z = 10, every gate saturated, and
  // h_1 = σ(10)·tanh(σ(10)·tanh(10)) ≈ 0.76; step 2 (x = 0) saturates through the state alone,
  // z_2 = 100·h_1 ≈ 76 (a replay that dropped the state would see z_2 = 0 and report 1/2).
  const carried = await firstRecord(
    tinyLstm([10, 10, 10, 10], [100, 100, 100, 100]),
    sn.tensor([[[1], [0]]]),
  );
  close(carried.records[0]!.layers[0]!.gateSaturation!.all, 1);
});

test('advice: recurrent-gates fires for saturated gates with small weights, not otherwise', async () => {
  // Weights at most 0.4, inputs 100: every pre-activation is ≥ 40, every gate saturated.
  const big = await firstRecord(
    tinyLstm([0.4, 0.4, 0.4, 0.4], [0.1, 0.1, 0.1, 0.1]),
    sn.tensor([[[100], [100]]]),
  );
  close(big.records[0]!.layers[0]!.gateSaturation!.all, 1);
  const advice = advise(big).filter((a) => a.rule === 'recurrent-gates');
  assert.equal(advice.length, 1);
  assert.equal(advice[0]!.layer, 'lstm');
  close(advice[0]!.numbers.maxAbsKernel, 0.4, 1e-6);
  close(advice[0]!.numbers.gateSaturation, 1);
  assert.match(advice[0]!.message, /rescale the inputs/);
  // The same weights on inputs of 1: pre-activations ≤ 0.5, nothing saturated, no advice.
  const small = await firstRecord(
    tinyLstm([0.4, 0.4, 0.4, 0.4], [0.1, 0.1, 0.1, 0.1]),
    sn.tensor([[[1], [1]]]),
  );
  assert.equal(advise(small).filter((a) => a.rule === 'recurrent-gates').length, 0);
});
