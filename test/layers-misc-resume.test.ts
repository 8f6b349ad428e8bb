import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sn from '../src/index.js';
import { fileCheckpointer } from '../src/models/checkpoint/files.js';
import { data, weightBytes } from './fixtures/checkpoint-model.js';

/**
 * The seeded noise layers of issue 12 part D1 (spatialDropout1d, gaussianDropout,
 * alphaDropout) keep their generators in fit's checkpoints, as Dropout and GaussianNoise do.
 * The oracle is the same run never interrupted: same weight bytes, same history.
 */

const root = mkdtempSync(join(tmpdir(), 'sinew-misc-resume-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));

function noisyModel(initSeed: number): sn.Model {
  sn.setSeed(initSeed);
  const model = sn.sequential({
    layers: [
      sn.layers.dense({ units: 6, activation: 'tanh', inputShape: [3] }),
      sn.layers.reshape({ targetShape: [2, 3] }),
      sn.layers.spatialDropout1d({ rate: 0.3, seed: 5 }),
      sn.layers.flatten(),
      // 5 · 6 = 30 normal draws per batch; alphaDropout then draws 30 uniforms.
      sn.layers.gaussianDropout({ rate: 0.2, seed: 6 }),
      sn.layers.alphaDropout({ rate: 0.2, seed: 7 }),
      sn.layers.dense({ units: 1 }),
    ],
  });
  model.compile({ optimizer: sn.optimizers.adam({ learningRate: 0.05 }), loss: 'mse' });
  return model;
}

async function fitNoisy(model: sn.Model, dir?: string, crashAtStep?: number) {
  const { x, y } = data();
  let steps = 0;
  const history = await model.fit(x, y, {
    epochs: 3,
    batchSize: 5,
    seed: 42,
    verbose: 0,
    callbacks: [
      {
        onBatchEnd: async () => {
          if (++steps === crashAtStep) throw new Error('crash');
        },
      },
    ],
    ...(dir ? { checkpoint: { dir, every: 3 } } : {}),
  });
  return { history, steps };
}

test('spatialDropout1d, gaussianDropout and alphaDropout: a resumed fit draws what an uninterrupted one would', async () => {
  const expected = noisyModel(1);
  const reference = await fitNoisy(expected);
  const dir = join(root, 'run');
  await assert.rejects(fitNoisy(noisyModel(1), dir, 14), /crash/);
  const saved = await fileCheckpointer.load(dir, noisyModel(1));
  assert.deepEqual(
    saved?.state.layerRngs.map((l) => l.className),
    ['SpatialDropout1D', 'GaussianDropout', 'AlphaDropout'],
  );
  const model = noisyModel(99);
  const resumed = await fitNoisy(model, dir);
  assert.equal(resumed.steps, 24 - 12);
  assert.deepEqual(weightBytes(model), weightBytes(expected));
  assert.deepEqual(resumed.history.history, reference.history.history);
});
