// Switching backend after variables exist (issue 10.1): a Variable made on one backend keeps
// training after sn.setBackend. The oracle is the same run without a switch: on two
// instances of the cpu backend (setBackend('cpu', {}) makes a new one, whose store is not the
// old one's) the two runs must agree bit for bit; from wasm to cpu within float32 tolerance.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import * as sn from '../src/index.js';

const startup = sn.getBackend();
afterEach(() => sn.setBackend(startup));

sn.setBackend('wasm');
const wasmBuilt = sn.getBackend() === 'wasm';
sn.setBackend(startup);

/** The README's autoencoder loop; `switchAt` steps in, `switchTo` becomes the backend. */
function readmeLoop(
  steps: number,
  switchAt: number,
  switchTo: () => void,
): { losses: number[]; gradCounts: number[]; w1: Float32Array } {
  const x = sn.sigmoid(
    sn.matmul(sn.randomNormal([32, 8], { seed: 1 }), sn.randomNormal([8, 16], { seed: 2 })),
  );
  const w1 = sn.variable(sn.randomNormal([16, 4], { stddev: 0.1, seed: 3 }));
  const w2 = sn.variable(sn.randomNormal([4, 16], { stddev: 0.1, seed: 4 }));
  const losses: number[] = [];
  const gradCounts: number[] = [];
  for (let step = 0; step < steps; step++) {
    if (step === switchAt) switchTo();
    const { value, grads } = sn.valueAndGrads(() => {
      const codings = sn.sigmoid(sn.matmul(x, w1));
      const reconstruction = sn.sigmoid(sn.matmul(codings, w2));
      return sn.mean(sn.square(sn.sub(reconstruction, x)));
    });
    for (const [v, g] of grads) v.assign(v.sub(g.mul(10)));
    losses.push(value.item());
    gradCounts.push(grads.size);
  }
  return { losses, gradCounts, w1: w1.dataSync() as Float32Array };
}

test('the README loop keeps training after setBackend to a new cpu instance, bit for bit as without it', () => {
  sn.setBackend('cpu');
  const plain = readmeLoop(12, -1, () => undefined);
  sn.setBackend('cpu');
  const switched = readmeLoop(12, 6, () => sn.setBackend('cpu', {}));
  assert.deepEqual(switched.gradCounts, Array(12).fill(2), 'both variables get a gradient');
  assert.deepEqual(switched.losses, plain.losses);
  assert.deepEqual(switched.w1, plain.w1);
  assert.ok(switched.losses[11]! < switched.losses[6]!, `loss moves: ${switched.losses}`);
});

test(
  'the README loop keeps training after a switch from wasm to cpu, as the run without it',
  { skip: wasmBuilt ? false : 'wasm kernels not built' },
  () => {
    sn.setBackend('wasm');
    const plain = readmeLoop(12, -1, () => undefined);
    sn.setBackend('wasm');
    const switched = readmeLoop(12, 6, () => sn.setBackend('cpu'));
    assert.deepEqual(switched.gradCounts, Array(12).fill(2));
    switched.losses.forEach((l, i) => {
      assert.ok(Math.abs(l - plain.losses[i]!) < 1e-5, `step ${i}: ${l} vs ${plain.losses[i]}`);
    });
    for (let i = 7; i < 12; i++) assert.ok(switched.losses[i]! < switched.losses[i - 1]!);
  },
);

test('sn.grads of a tensor made on another backend is its gradient, not zeros', () => {
  sn.setBackend('cpu');
  const x = sn.tensor([1, -2, 3]);
  sn.setBackend('cpu', {});
  const [dx] = sn.grads((t) => sn.sum(sn.square(t)))([x]);
  assert.deepEqual(Array.from(dx!.dataSync()), [2, -4, 6]); // d/dx Σx² = 2x
});

function model(): sn.Sequential {
  const m = sn.sequential({
    layers: [
      sn.layers.dense({
        units: 3,
        activation: 'tanh',
        inputShape: [2],
        kernelInitializer: sn.initializers.glorotUniform({ seed: 1 }),
      }),
      sn.layers.dense({ units: 1, kernelInitializer: sn.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  m.compile({ optimizer: sn.optimizers.adam({ learningRate: 0.05 }), loss: 'mse' });
  return m;
}

test('fit after a backend switch between two fit calls trains, as without the switch', async () => {
  const data = (): [sn.Tensor, sn.Tensor] => [
    sn.tensor([
      [0, 1],
      [1, 0],
      [1, 1],
      [0, 0],
    ]),
    sn.tensor([[1], [1], [0], [0]]),
  ];
  const run = async (switchTo: () => void): Promise<{ weights: number[][]; loss: number[] }> => {
    sn.setBackend('cpu');
    const m = model();
    const [x, y] = data();
    await m.fit(x, y, { epochs: 3, batchSize: 2, verbose: 0, seed: 1 });
    switchTo();
    const h = await m.fit(x, y, { epochs: 3, batchSize: 2, verbose: 0, seed: 2 });
    return {
      weights: m.getWeights().map((w) => Array.from(w.dataSync())),
      loss: h.history.loss!,
    };
  };
  const plain = await run(() => undefined);
  const switched = await run(() => sn.setBackend('cpu', {}));
  assert.deepEqual(switched.weights, plain.weights);
  assert.deepEqual(switched.loss, plain.loss);
  assert.ok(plain.loss[2]! < plain.loss[0]!, `the reference run trains: ${plain.loss}`);
});
