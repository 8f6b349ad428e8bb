// Seeded fits running at the same time (issue 10.9): each draws its dropout masks and noise
// from a generator of its own, so N seeded fits under Promise.all end with the same weights,
// bit for bit, as the same fits run one after another (the oracle).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as sn from '../src/index.js';

/** A model whose dropout and noise have no seed of their own (they draw from fit's). */
function model(i: number): sn.Sequential {
  const m = sn.sequential({
    layers: [
      sn.layers.dense({
        units: 8,
        activation: 'relu',
        inputShape: [3],
        kernelInitializer: sn.initializers.glorotUniform({ seed: 100 + i }),
      }),
      sn.layers.dropout({ rate: 0.3 }),
      sn.layers.gaussianNoise({ stddev: 0.1 }),
      sn.layers.dense({ units: 1, kernelInitializer: sn.initializers.glorotUniform({ seed: i }) }),
    ],
  });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}

const x = sn.tensor(Array.from({ length: 24 }, (_, i) => [Math.sin(i), Math.cos(i), i / 24]));
const y = sn.tensor(Array.from({ length: 24 }, (_, i) => [Math.sin(2 * i)]));

async function train(i: number): Promise<number[][]> {
  const m = model(i);
  await m.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, seed: 7 + i });
  return m.getWeights().map((w) => Array.from(w.dataSync()));
}

test('20 seeded fits with dropout under Promise.all end as the same fits run one after another', async () => {
  const n = 20;
  const sequential: number[][][] = [];
  for (let i = 0; i < n; i++) sequential.push(await train(i));
  const concurrent = await Promise.all(Array.from({ length: n }, (_, i) => train(i)));
  for (let i = 0; i < n; i++) assert.deepEqual(concurrent[i], sequential[i], `fit ${i}`);
});

test('a seeded fit leaves the global generator of the code around it alone', async () => {
  sn.setSeed(5);
  const expected = sn.randomNormal([4]).dataSync(); // the stream setSeed(5) starts
  sn.setSeed(5);
  await model(0).fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, seed: 1 });
  assert.deepEqual(sn.randomNormal([4]).dataSync(), expected);
});
